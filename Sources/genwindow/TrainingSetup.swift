import Dispatch
import Foundation
import RunFiles
import RunFormat
import Training

/// The part of `train` before its first step (the RF model's U, V and eigendecomposition, a dataset's loading),
/// run while the run file already exists: the file starts with a preliminary header (`"setup": "in progress"`),
/// so a terminating signal during a long setup still leaves a run that says what happened.
enum TrainingSetup {
    /// The value of the preliminary header's `setup` key.
    static let inProgress = "in progress"

    /// Creates `path` with the preliminary header, builds the job with `setup` on another thread and waits for
    /// it or for SIGINT, SIGTERM or SIGHUP (caught by `signals`, installed before the call).
    ///
    /// - A signal first: appends an `end` record (step 0, interrupted, `"during": "setup"`), prints one line and
    ///   exits with 128 + the signal.
    /// - A failed setup: removes the file (nothing was trained) and rethrows.
    /// - A finished setup: the job's full header replaces the preliminary one atomically; the writer appends
    ///   after it.
    static func run(path: String, preliminary: RunHeader, overwrite: Bool, signals: StopSignals,
                    setup: @escaping () throws -> TrainingJob) async throws -> (job: TrainingJob, writer: RunWriter) {
        let race = SetupRace()
        signals.onSignal { race.settle(.signal($0)) }
        let early: RunWriter
        do {
            early = try RunWriter(creating: path, header: preliminary, overwrite: overwrite)
        } catch let error as RunFileError {
            throw RuntimeError("\(error)")
        }
        let work = UncheckedBox(setup)
        let thread = Thread { race.settle(.finished(Result { try work.value() })) }
        thread.start()
        switch await race.outcome() {
        case .signal(let sig):
            try? early.append(.end(EndRecord(step: 0, reason: .interrupted, extra: ["during": "setup"])))
            try? early.close()
            writeStandardError("genwindow: \(signalName(sig)) during the setup, before the first step; \(path) ends interrupted at step 0\n")
            // `_exit`, not `exit`: the setup thread may still be inside OpenBLAS, whose exit handler joins its
            // worker threads and then waits forever (seen as a hung `train` after this very message). The run
            // file is closed and synced and the output streams are flushed here, so no exit handler has anything left to do.
            fflush(nil)
            _exit(128 + sig)
        case .finished(.failure(let error)):
            try? early.close()
            unlink(path)
            throw error
        case .finished(.success(let job)):
            do {
                try early.close()
                return (job, try RunWriter(replacing: path, header: job.header))
            } catch let error as RunFileError {
                throw RuntimeError("\(error)")
            }
        }
    }

    /// "SIGTERM" for 15 and so on, for the signals `run` waits for.
    static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(sig)"
        }
    }
}

/// Whichever comes first of the setup's result and a terminating signal; later ones are ignored.
private final class SetupRace: @unchecked Sendable {
    /// Made on the setup thread or a signal handler's queue and handed once to the waiting task.
    enum Outcome: @unchecked Sendable {
        case finished(Result<TrainingJob, Error>)
        case signal(Int32)
    }

    private let lock = NSLock()
    private var settled: Outcome?
    private var waiter: CheckedContinuation<Outcome, Never>?

    func settle(_ outcome: Outcome) {
        let waiter: CheckedContinuation<Outcome, Never>? = lock.withLock {
            guard settled == nil else { return nil }
            settled = outcome
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(returning: outcome)
    }

    func outcome() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready: Outcome? = lock.withLock {
                if let settled { return settled }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Hands a value that is not `Sendable` (the setup closure, which captures the parsed options) to the setup
/// thread; only that thread uses it.
private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
