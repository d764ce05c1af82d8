@testable import ExternalRuns
import Foundation
import RunFormat
import Testing

/// The committed fixtures, written by torch, tensorboardX and tensorboard, read exactly as tensorboard's
/// EventAccumulator reads them.
@Suite("Fixtures from the real writers")
struct FixtureTests {
    static let tensorBoardFixtures = ["torch_simple", "torch_new_style", "torch_add_scalars", "tensorboardx", "purge",
                                      "tensor_scalars", "images"]

    func read(_ path: String) throws -> TensorBoardSource {
        let source = try TensorBoardSource(path: path, live: false)
        let updates = source.poll()
        for u in updates { if case .problem(let p) = u.change { Issue.record("problem: \(p)") } }
        return source
    }

    @Test("every scalar equals EventAccumulator's, in its order", arguments: tensorBoardFixtures)
    func scalars(_ name: String) throws {
        let source = try read(fixtures + "/" + name)
        let runs = expected["tfevents"]!.object![name]!.object!
        let logs = source.logs
        #expect(logs.count == runs.count)
        for (runName, run) in runs {
            let log = try #require(logs.first { $0.key.name == runName }?.value)
            let want = series(run.object!["scalars"]!.object!)
            #expect(Set(log.tags.names) == Set(want.keys))
            for (tag, points) in want {
                #expect(same(log.series(tag), points), "\(name) \(tag): \(log.series(tag)) vs \(points)")
            }
        }
    }

    @Test("add_images summaries keep the writer's PNG bytes, size and step")
    func images() throws {
        let source = try read(fixtures + "/images")
        let log = try #require(source.logs.values.first)
        let want = expected["tfevents"]!.object!["images"]!.object!["."]!.object!["images"]!.object!["test_samples"]!.array!
        #expect(log.images.count == want.count)
        for (image, w) in zip(log.images, want) {
            let o = w.object!
            let hex = image.png.map { String(format: "%02x", $0) }.joined()
            #expect(image.tag == "test_samples" && image.step == o["step"]!.int && image.width == o["width"]!.int
                && image.height == o["height"]!.int && hex == o["png"]!.string)
            #expect(image.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test("single event files are read as one run each; the purge fixture's files one by one differ from the merge")
    func singleFile() throws {
        let dir = fixtures + "/purge"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files.count == 2)
        let first = try read(dir + "/" + files[0])
        #expect(same(try #require(first.logs.values.first).series("loss"), (0..<10).map { ($0, 10.0 - Double($0)) }))
        let key = try #require(first.logs.keys.first)
        #expect(key.name == files[0] && key.path == dir + "/" + files[0])
    }

    @Test("the Lightning CSV, before and after its rewrite, reads as Python's csv module reads it")
    func lightningCSV() throws {
        for file in ["metrics_narrow.csv", "metrics.csv"] {
            let source = try CSVSource(path: fixtures + "/lightning/" + file, live: false)
            let updates = source.poll()
            #expect(updates.last?.change == .finished)
            let want = series(expected["csv"]!.object![file]!.object!)
            #expect(Set(source.log.tags.names) == Set(want.keys))
            for (tag, points) in want { #expect(same(source.log.series(tag), points), "\(file) \(tag)") }
        }
    }

    @Test("JSON lines read as Python's json module reads them; text values are skipped")
    func jsonLines() throws {
        let source = try JSONLinesSource(path: fixtures + "/jsonl/metrics.jsonl", live: false)
        _ = source.poll()
        let want = series(expected["jsonl"]!.object!)
        #expect(Set(source.log.tags.names) == Set(want.keys))
        for (tag, points) in want { #expect(same(source.log.series(tag), points), "\(tag)") }
    }

    @Test("formats are detected by content")
    func detection() throws {
        #expect(try FormatDetection.detect(path: fixtures + "/torch_simple") == .tfevents)
        let event = try FileManager.default.contentsOfDirectory(atPath: fixtures + "/tensorboardx")[0]
        let copy = temporaryFolder() + "/renamed.bin"
        try FileManager.default.copyItem(atPath: fixtures + "/tensorboardx/" + event, toPath: copy)
        #expect(try FormatDetection.detect(path: copy) == .tfevents)
        #expect(try FormatDetection.detect(path: fixtures + "/lightning/metrics.csv") == .csv)
        #expect(try FormatDetection.detect(path: fixtures + "/jsonl/metrics.jsonl") == .jsonl)
        #expect(FormatDetection.detect(Array(#"{"type":"header","format":"genwindow-run","version":1,"model":"rf","config":{}}"#.utf8)) == .genwindow)
        #expect(FormatDetection.detect(Array("a,b\n1,2\n".utf8)) == nil)
        #expect(FormatDetection.detect(Array(#"{"loss": 1}"#.utf8)) == nil)
        let other = temporaryFolder() + "/notes.txt"
        try "hello\n".write(toFile: other, atomically: true, encoding: .utf8)
        #expect(throws: ExternalRunError("\(other): unknown format; looked for \(FormatDetection.lookedFor)")) {
            try FormatDetection.detect(path: other)
        }
    }

    @Test("records carry mapped series under genwindow's names and the rest under their tags, one per step")
    func records() throws {
        let source = try ExternalSources.open(path: fixtures + "/torch_simple", live: false)
        let updates = source.poll()
        guard case .header(let header)? = updates.first(where: { if case .header = $0.change { true } else { false } })?.change else {
            Issue.record("no header")
            return
        }
        #expect(header.model == "external")
        #expect(header.config["format"] == "tfevents")
        #expect(header.config["map"] == .object(["train_loss": "train/loss", "test_loss": "val/loss"]))
        let records = metrics(updates)
        #expect(records.map(\.step) == Array(0..<20))
        let want = series(expected["tfevents"]!.object!["torch_simple"]!.object!["."]!.object!["scalars"]!.object!)
        #expect(same(values(records, "train_loss"), want["train/loss"]!))
        #expect(same(values(records, "test_loss"), want["val/loss"]!))
        #expect(same(values(records, "lr"), want["lr"]!))
        #expect(records[3].timeSeconds == 3)
        #expect(updates.last?.change == .finished)
    }
}
