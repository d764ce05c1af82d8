import Foundation
import RunFiles
import RunFormat
import Synchronization
import Testing
@testable import Training

/// A job that counts steps, emitting one metrics record per step, until done or told to stop.
final class CountingJob: TrainingJob {
    let header = RunHeader(created: "2026-11-23T00:00:00Z", model: "counting", config: ["steps": 50])
    let steps: Int
    let failAt: Int?
    let waitForStop: Bool
    var checkpoints: [String] = []

    init(steps: Int, failAt: Int? = nil, waitForStop: Bool = false) {
        self.steps = steps
        self.failAt = failAt
        self.waitForStop = waitForStop
    }

    var totalSteps: Int? { steps }

    struct Boom: Error, CustomStringConvertible { var description: String { "boom at step 3" } }

    func run(_ context: TrainingContext) throws -> EndRecord {
        var step = 0
        while step < steps || waitForStop {
            try context.waitWhilePaused { label in try context.emit(.mark(MarkRecord(step: step, label: label))) }
            if context.shouldStop { return EndRecord(step: step, reason: .interrupted) }
            if step == failAt { throw Boom() }
            step += 1
            if step <= steps {
                try context.emit(.metrics(MetricsRecord(step: step, timeSeconds: context.elapsedSeconds, values: [("loss", 1 / Double(step))])))
            }
            try context.progress(step: step)
            if waitForStop { usleep(1000) }
        }
        return EndRecord(step: step, reason: .completed)
    }

    func saveCheckpoint(to path: String) throws {
        checkpoints.append(path)
        try Data("ckpt".utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// Where `ThreadJob` ran.
final class ThreadSeen: Sendable {
    let onTrainingThread = Mutex<Bool?>(nil)
    let thread: TrainingThread
    init(_ thread: TrainingThread) { self.thread = thread }
}

/// A job that only notes whether it runs on a given training thread.
final class ThreadJob: TrainingJob {
    let header = RunHeader(created: "2026-11-23T00:00:00Z", model: "thread", config: [:])
    let seen: ThreadSeen
    init(seen: ThreadSeen) { self.seen = seen }
    var totalSteps: Int? { 0 }

    func run(_ context: TrainingContext) throws -> EndRecord {
        let current = seen.thread.isCurrent
        seen.onTrainingThread.withLock { $0 = current }
        return EndRecord(step: 0, reason: .completed)
    }

    func saveCheckpoint(to path: String) throws {}
}

func runPath(_ name: String = #function) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-train-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/run.jsonl"
}

@Suite("Training runner")
struct TrainingRunnerTests {
    @Test("streams every record, in order, and writes the same records to the run file")
    func completes() async throws {
        let path = runPath()
        let job = CountingJob(steps: 50)
        let writer = try RunWriter(creating: path, header: job.header)
        let runner = TrainingRunner()
        runner.start(job, writer: writer)
        var streamed: [RunRecord] = []
        for await update in runner.updates {
            if case .record(let r) = update { streamed.append(r) }
        }
        guard case .success(let end) = await runner.result() else { Issue.record("job failed"); return }
        #expect(end == EndRecord(step: 50, reason: .completed))
        #expect(streamed.count == 52)  // header + 50 metrics + end
        let log = try RunReader.read(path: path)
        #expect([RunRecord.header(log.header)] + log.records == streamed)
    }

    @Test("a stop request ends the run as interrupted and saves a checkpoint beside the run")
    func interrupt() async throws {
        let path = runPath()
        let job = CountingJob(steps: 10, waitForStop: true)
        let runner = TrainingRunner()
        runner.start(job, writer: try RunWriter(creating: path, header: job.header))
        for await update in runner.updates {
            if case .progress = update { await runner.stop() }
        }
        guard case .success(let end) = await runner.result() else { Issue.record("job failed"); return }
        #expect(end.reason == .interrupted)
        let log = try RunReader.read(path: path)
        #expect(log.end == end)
        let checkpoint = TrainingRunner.checkpointPath(forRun: path, step: end.step)
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        #expect(checkpoint.hasSuffix("/run.step\(end.step).ckpt"))
    }

    @Test("a paused job waits, and a stop request also ends a pause")
    func pause() async throws {
        let job = CountingJob(steps: 5)
        let runner = TrainingRunner()
        await runner.setPaused(true)
        runner.start(job, writer: nil)
        try await Task.sleep(for: .milliseconds(150))
        await runner.stop()
        guard case .success(let end) = await runner.result() else { Issue.record("job failed"); return }
        #expect(end == EndRecord(step: 0, reason: .interrupted))
    }

    @Test("a throwing job reports the error and leaves a readable run without an end record")
    func failure() async throws {
        let path = runPath()
        let job = CountingJob(steps: 10, failAt: 3)
        let runner = TrainingRunner()
        runner.start(job, writer: try RunWriter(creating: path, header: job.header))
        var failure: String?
        for await update in runner.updates {
            if case .failed(let message) = update { failure = message }
        }
        #expect(failure == "boom at step 3")
        guard case .failure(let error) = await runner.result() else { Issue.record("expected failure"); return }
        #expect(error.message == "boom at step 3")
        let log = try RunReader.read(path: path)
        #expect(log.records.count == 3 && log.end == nil)
    }

    @Test("a paused job writes a requested mark and a mark deletion at once, without being resumed")
    func pausedJobTakesMarks() async throws {
        let path = runPath()
        let job = CountingJob(steps: 5, waitForStop: true)
        let writer = try RunWriter(creating: path, header: job.header)
        let runner = TrainingRunner()
        await runner.setPaused(true)
        runner.start(job, writer: writer)
        await runner.requestMark(label: "here")
        var marks: [MarkRecord] = [], deletions: [Int] = []
        for await update in runner.updates {
            guard case .record(let record) = update else { continue }
            switch record {
            case .mark(let m):
                marks.append(m)
                #expect(await runner.paused)
                await runner.requestMarkDeletion(step: m.step)
            case .event(let e) where e.kind == "mark_deleted":
                deletions.append(e.step)
                await runner.stop()
            default: break
            }
        }
        #expect(marks == [MarkRecord(step: 0, label: "here")] && deletions == [0])
        guard case .success(let end) = await runner.result() else { Issue.record("expected an end"); return }
        #expect(end.reason == .interrupted && end.step == 0)
        let log = try RunReader.read(path: path)
        #expect(log.records.contains(.mark(MarkRecord(step: 0, label: "here"))))
        #expect(log.records.contains(.event(EventRecord(kind: "mark_deleted", step: 0))))
    }

    @Test("the synchronous control forwards its requests to the actor in order: marks asked for with a stop are kept")
    func controlForwardsInOrder() async throws {
        let job = CountingJob(steps: 5, waitForStop: true)
        let runner = TrainingRunner()
        await runner.setPaused(true)
        runner.start(job, writer: nil)
        runner.control.requestMark(label: "a")
        runner.control.requestMark(label: "b")
        runner.control.requestStop()
        var marks: [String] = []
        for await update in runner.updates {
            if case .record(.mark(let m)) = update { marks.append(m.label) }
        }
        #expect(marks == ["a", "b"])
        guard case .success(let end) = await runner.result() else { Issue.record("expected an end"); return }
        #expect(end == EndRecord(step: 0, reason: .interrupted))
    }

    @Test("jobs train on the runner's own thread, not on the cooperative pool")
    func trainsOnItsOwnThread() async throws {
        let runner = TrainingRunner()
        let seen = ThreadSeen(runner.thread)
        #expect(!runner.thread.isCurrent)
        guard case .success = await runner.train(ThreadJob(seen: seen), writer: nil) else {
            Issue.record("job failed")
            return
        }
        runner.finishUpdates()
        #expect(seen.onTrainingThread.withLock { $0 } == true)
    }
}
