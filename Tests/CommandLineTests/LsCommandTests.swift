import Foundation
import RunFiles
import RunFormat
import Testing
import TestSupport

/// `genwindow ls`: the runs table without a terminal.
@Suite struct LsCommandTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "genwindow-ls-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/seed1", withIntermediateDirectories: true)
        func write(_ path: String, n: Int, seed: Int, end: EndReason?, tauMem: Int?) throws {
            let w = try RunWriter(creating: dir + "/" + path,
                                  header: RunHeader(created: "2026-12-04T00:00:00Z", model: "ddpm", config: ["data": "digits", "n": .number(Double(n)), "seed": .number(Double(seed))]))
            try w.append(.metrics(MetricsRecord(step: 100, timeSeconds: 1, values: [("train_loss", 0.5), ("mem_frac", 0.25)])))
            try w.append(.event(EventRecord(kind: "tau_gen", step: 100, fields: ["provisional": false])))
            if let tauMem {
                try w.append(.event(EventRecord(kind: "tau_mem", step: tauMem, fields: ["provisional": true])))
            }
            if let end { try w.append(.end(EndRecord(step: 200, reason: end))) }
            try w.close()
        }
        try write("n32.jsonl", n: 32, seed: 0, end: .completed, tauMem: 150)
        try write("seed1/n32.jsonl", n: 32, seed: 1, end: .diverged, tauMem: nil)
        try write("n64.jsonl", n: 64, seed: 0, end: nil, tauMem: nil)
        try "not a run\n".write(toFile: dir + "/notes.jsonl", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func jsonHasExactlyTheContractKeys() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try runGenwindow(["ls", dir, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("skipped 1 file(s)"))
        let list = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 3)
        for row in list {
            #expect(Set(row.keys) == ["path", "model", "status", "step", "settings", "tau_gen", "tau_mem", "latest"])
        }
        let byPath = Dictionary(uniqueKeysWithValues: list.map { ($0["path"] as! String, $0) })
        #expect(byPath["n32.jsonl"]?["status"] as? String == "completed")
        #expect(byPath["seed1/n32.jsonl"]?["status"] as? String == "diverged")
        #expect(byPath["n64.jsonl"]?["status"] as? String == "running")
        #expect(byPath["n32.jsonl"]?["step"] as? Int == 200 && byPath["n32.jsonl"]?["tau_gen"] as? Int == 100)
        #expect(byPath["n32.jsonl"]?["tau_mem"] is NSNull, "a provisional tau_mem is not listed")
        #expect((byPath["n64.jsonl"]?["latest"] as? [String: Double]) == ["train_loss": 0.5, "mem_frac": 0.25])
        #expect((byPath["n64.jsonl"]?["settings"] as? [String: Any])?["n"] as? Int == 64)
    }

    @Test func anEarlyStoppedRunIsListedAsSuchAtItsStopStep() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try RunWriter(creating: dir + "/stopped.jsonl",
                              header: RunHeader(created: "2026-12-04T00:00:00Z", model: "ddpm", config: ["n": 16, "stop_when": "window"]))
        try w.append(.metrics(MetricsRecord(step: 120, timeSeconds: 1, values: [("mem_frac", 0.25)])))
        try w.append(.event(EventRecord(kind: "tau_mem", step: 90, fields: ["provisional": false])))
        try w.append(.end(EndRecord(step: 120, reason: .earlyStop, extra: ["stop_when": "window", "restored_step": 60])))
        try w.close()
        let json = try runGenwindow(["ls", dir + "/stopped.jsonl", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(list.first?["status"] as? String == "early_stop" && list.first?["step"] as? Int == 120 && list.first?["tau_mem"] as? Int == 90)
        let table = try runGenwindow(["ls", dir])
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("stopped.jsonl") && $0.contains("early_stop") }, "\(table.stdout)")
    }

    @Test func tableShowsTheSettingsThatDifferAndStalledRuns() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = Date(timeIntervalSinceNow: -600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir + "/n64.jsonl")
        let out = try runGenwindow(["ls", dir])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["path", "model", "status", "step", "n", "seed", "tau_gen", "tau_mem", "train", "test", "f_mem", "fid"])
        #expect(lines.contains { $0.hasPrefix("n64.jsonl") && $0.contains("stalled") }, "\(out.stdout)")
        let shorter = try runGenwindow(["ls", dir, "--stall-after", "1000"])
        #expect(shorter.stdout.split(separator: "\n").contains { $0.hasPrefix("n64.jsonl") && $0.contains("running") })
    }

    @Test func filtersAndBadInput() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let filtered = try runGenwindow(["ls", dir, "--json", "--filter", "n<64 seed=1"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]])
        #expect(list.map { $0["path"] as? String } == ["seed1/n32.jsonl"])
        let bad = try runGenwindow(["ls", dir, "--filter", "n>=many"])
        #expect(bad.status == 64 && bad.stderr == "genwindow: --filter: n>=many: >= compares numbers, many is not one\n")
        let missing = try runGenwindow(["ls", dir + "/nope"])
        #expect(missing.status == 1 && missing.stderr.hasSuffix("does not exist\n"))
        let empty = dir + "/seed1/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try runGenwindow(["ls", empty])
        #expect(none.status == 1 && none.stderr == "genwindow: no genwindow runs in \(empty)\n")
    }
}
