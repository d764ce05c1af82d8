import ExternalRuns
import Testing

@Suite("Tag map")
struct TagMapTests {
    @Test("common names map case-insensitively, the most specific first")
    func rules() {
        let map = TagMap()
        #expect(map.resolve(["Loss", "lr"]) == ["train_loss": "Loss"])
        #expect(map.resolve(["loss", "train/loss"]) == ["train_loss": "train/loss"])
        #expect(map.resolve(["loss/train", "loss/val", "FID"]) == ["train_loss": "loss/train", "test_loss": "loss/val", "fid": "FID"])
        #expect(map.resolve(["train_loss", "test_loss", "eval/fid", "mem_frac"])
            == ["train_loss": "train_loss", "test_loss": "test_loss", "fid": "eval/fid", "mem_frac": "mem_frac"])
        #expect(map.resolve(["val_loss", "eval/loss"]) == ["test_loss": "val_loss"])
        #expect(map.resolve(["accuracy"]) == [:])
    }

    @Test("--map overrides the rules; a tag spelled like a series it does not feed is prefixed")
    func overrides() throws {
        let map = try TagMap.parse("train_loss=loss/ema,test_loss=val")
        let tags = ["loss/ema", "train_loss", "val", "val/loss"]
        let resolved = map.resolve(tags)
        #expect(resolved == ["train_loss": "loss/ema", "test_loss": "val"])
        #expect(TagMap.valueNames(tags, resolved: resolved) == ["train_loss", "tag:train_loss", "test_loss", "val/loss"])
    }

    @Test("malformed --map text and unknown tags are one-line errors; an unknown tag lists the run's tags")
    func errors() throws {
        #expect(throws: ExternalRunError("--map: expected SERIES=TAG, found 'loss'")) { try TagMap.parse("loss") }
        #expect(throws: ExternalRunError("--map: unknown series 'acc' (expected one of train_loss, test_loss, mem_frac, fid)")) {
            try TagMap.parse("acc=x")
        }
        #expect(throws: ExternalRunError("--map: no tag given for fid")) { try TagMap.parse("fid=") }
        #expect(throws: ExternalRunError("--map: no tag 'nope' for train_loss; the run's scalar tags: a, b")) {
            try TagMap.parse("train_loss=nope").check(against: ["b", "a"])
        }
        try TagMap.parse("train_loss=a").check(against: ["a"])
    }
}
