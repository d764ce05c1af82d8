import RunFormat
import Testing
import Workspace

@Suite struct RunStatusTests {
    @Test func endedRunsSayWhyAndSilentOnesStall() {
        #expect(RunStatus.of(end: .completed, secondsSinceLastWrite: 1e6, stallAfter: 300) == .completed)
        #expect(RunStatus.of(end: .diverged, secondsSinceLastWrite: 0, stallAfter: 300) == .diverged)
        #expect(RunStatus.of(end: .interrupted, secondsSinceLastWrite: 0, stallAfter: 300) == .interrupted)
        #expect(RunStatus.of(end: .earlyStop, secondsSinceLastWrite: 1e6, stallAfter: 300).rawValue == "early_stop")
        #expect(RunStatus.of(end: nil, secondsSinceLastWrite: 299, stallAfter: 300) == .running)
        #expect(RunStatus.of(end: nil, secondsSinceLastWrite: 301, stallAfter: 300) == .stalled)
    }
}

@Suite struct RunTallyTests {
    @Test func keepsTheNewestOfEverything() {
        let records: [RunRecord] = [
            .header(RunHeader(created: "", model: "ddpm", config: ["n": 64, "seed": 1])),
            .metrics(MetricsRecord(step: 100, timeSeconds: 1, values: [("train_loss", 0.5), ("mem_frac", 0)])),
            .event(EventRecord(kind: "tau_gen", step: 100, fields: ["provisional": true])),
            .metrics(MetricsRecord(step: 200, timeSeconds: 2, values: [("train_loss", 0.4), ("fid", nil)])),
            .event(EventRecord(kind: "tau_gen", step: 150, fields: ["provisional": false])),
            .end(EndRecord(step: 250, reason: .completed)),
        ]
        let t = RunTally(records)
        #expect(t.header?.model == "ddpm" && t.step == 250 && t.end == .completed)
        #expect(t.latest == ["train_loss": 0.4, "mem_frac": 0], "a non-finite value does not replace a measured one")
        #expect(t.tauGen?.step == 150 && !RunTally.isProvisional(t.tauGen) && t.tauMem == nil)
    }
}

@Suite struct RunSettingsTests {
    @Test func differingSettingsAndSeedGroups() {
        let a: JSONObject = ["data": "digits", "n": 64, "seed": 0, "labels": "true"]
        let b: JSONObject = ["data": "digits", "n": 64, "seed": 1, "labels": "true"]
        let c: JSONObject = ["data": "digits", "n": 128, "seed": 0]
        #expect(RunSettings.differing([a, b, c]) == ["n", "seed"], "labels is missing from one run")
        #expect(RunSettings.differing([a, b]) == ["seed"])
        #expect(RunSettings.differing([a]) == [])
        #expect(RunSettings.groupKey(model: "ddpm", config: a) == RunSettings.groupKey(model: "ddpm", config: b))
        #expect(RunSettings.groupKey(model: "ddpm", config: a) != RunSettings.groupKey(model: "ddpm", config: c))
        #expect(RunSettings.text(.number(64)) == "64" && RunSettings.text(.number(0.1)) == "0.1" && RunSettings.text(nil) == "–")
        let groups = seedGroups([a, b, c]) { RunSettings.groupKey(model: "ddpm", config: $0) }
        #expect(groups.map(\.members.count) == [2, 1])
    }

    @Test func groupStatistics() throws {
        let s = try #require(GroupStatistic([1000, 1200, 1400]))
        #expect(s.mean == 1200 && s.count == 3 && abs(s.sd! - 200) < 1e-9)
        #expect(GroupStatistic([5])?.sd == nil && GroupStatistic([]) == nil)
    }
}

@Suite struct RunQueryTests {
    static let settings: JSONObject = ["n": 64, "labels": "random", "lr": 0.001, "data": "digits"]

    @Test func settingsNamesAndRegexes() throws {
        #expect(try RunQuery("n>=64 labels=random").matches(name: "n64-random.jsonl", settings: Self.settings))
        #expect(try !RunQuery("n>64").matches(name: "x", settings: Self.settings))
        #expect(try RunQuery("n=64.0 lr<0.01 data!=fashion").matches(name: "x", settings: Self.settings))
        #expect(try !RunQuery("width>10").matches(name: "x", settings: Self.settings), "a run without the setting")
        #expect(try RunQuery("RANDOM").matches(name: "n64-random.jsonl", settings: [:]))
        #expect(try RunQuery("/^n[0-9]+-r/").matches(name: "n64-random.jsonl", settings: [:]))
        #expect(try !RunQuery("/^n[0-9]+$/").matches(name: "n64-random.jsonl", settings: [:]))
        #expect(try RunQuery("").matches(name: "anything", settings: [:]))
    }

    @Test func badQueriesAreOneLine() {
        #expect(throws: RunQueryError("n>=big: >= compares numbers, big is not one")) { try RunQuery("n>=big") }
        #expect(throws: RunQueryError("=64: a setting and a value on both sides of =")) { try RunQuery("=64") }
        #expect(throws: RunQueryError("/(/: not a regular expression")) { try RunQuery("/(/") }
    }
}
