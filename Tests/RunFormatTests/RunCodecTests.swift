import RunFormat
import Testing

@Suite("Run records and their JSON-lines codec")
struct RunCodecTests {
    static let header = RunHeader(created: "2026-11-23T21:40:00Z", model: "rf",
                                  config: ["seed": 0, "d": 25, "p": 1600, "data": "gaussian"])

    @Test("every record type encodes to the documented line and decodes back")
    func roundTrip() throws {
        let records: [(RunRecord, String)] = [
            (.header(Self.header),
             #"{"type":"header","format":"genwindow-run","version":1,"created":"2026-11-23T21:40:00Z","model":"rf","config":{"seed":0,"d":25,"p":1600,"data":"gaussian"}}"#),
            (.metrics(MetricsRecord(step: 10, timeSeconds: 0.5, values: [("train_loss", 0.25), ("test_loss", nil)], extra: ["features": "data"])),
             #"{"type":"metrics","step":10,"time_s":0.5,"train_loss":0.25,"test_loss":null,"features":"data"}"#),
            (.mark(MarkRecord(step: 7, label: "stop here", checkpoint: "run.step7.ckpt")),
             #"{"type":"mark","step":7,"label":"stop here","checkpoint":"run.step7.ckpt"}"#),
            (.event(EventRecord(kind: "tau_mem", step: 900, fields: ["tau": 12.5, "provisional": true])),
             #"{"type":"event","kind":"tau_mem","step":900,"tau":12.5,"provisional":true}"#),
            (.end(EndRecord(step: 1000, reason: .completed)), #"{"type":"end","step":1000,"reason":"completed"}"#),
            (.other(type: "spectrum", fields: ["eigenvalues": [1, 2]]), #"{"type":"spectrum","eigenvalues":[1,2]}"#),
        ]
        for (record, line) in records {
            #expect(RunCodec.encode(record) == line)
            #expect(try RunCodec.decode(line) == record)
        }
    }

    @Test("metrics values are looked up by name; absent means not measured")
    func metricsLookup() throws {
        guard case .metrics(let m) = try RunCodec.decode(#"{"type":"metrics","step":3,"time_s":1,"mem_frac":0.5}"#) else {
            Issue.record("not metrics"); return
        }
        #expect(m["mem_frac"] == 0.5)
        #expect(m["fid"] == nil)
        var copy = m
        copy.set("fid", 12)
        copy.set("mem_frac", 0.75)
        #expect(copy.values.map(\.name) == ["mem_frac", "fid"] && copy["mem_frac"] == 0.75)
    }

    static let bad: [(String, String)] = [
        ("[1]", "expected a JSON object"),
        (#"{"step":1}"#, "missing \"type\""),
        (#"{"type":5}"#, "expected a string for \"type\""),
        (#"{"type":"metrics","time_s":1}"#, "missing \"step\""),
        (#"{"type":"metrics","step":"abc"}"#, "expected a non-negative integer for \"step\", found \"abc\""),
        (#"{"type":"metrics","step":1.5}"#, "expected a non-negative integer"),
        (#"{"type":"metrics","step":-1}"#, "expected a non-negative integer"),
        (#"{"type":"end","step":1,"reason":"bored"}"#, "unknown end reason"),
        (#"{"type":"event","step":1}"#, "missing \"kind\""),
        (#"{"type":"header","format":"other","version":1}"#, "not a genwindow run"),
        (#"{"type":"header","format":"genwindow-run","version":2,"model":"rf","config":{}}"#, "version 2 is not supported"),
        (#"{"type":"header","format":"genwindow-run","version":1,"model":"rf","config":[]}"#, "expected an object for \"config\""),
        (#"{"type":"metrics","step":1"#, "invalid JSON"),
    ]

    @Test("invalid records are rejected with a one-line reason", arguments: bad)
    func rejects(line: String, reason: String) {
        do {
            _ = try RunCodec.decode(line)
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.message.contains(reason), "\(line): \(error)")
            #expect(!error.message.contains("\n"))
        }
    }
}
