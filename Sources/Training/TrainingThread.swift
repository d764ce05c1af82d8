import Foundation
import Synchronization

/// A serial executor that runs every job on one dedicated thread (8 MiB stack), the executor of
/// `TrainingRunner`: a training step's BLAS work never occupies a thread of Swift's cooperative pool.
///
/// While a job trains, the thread is busy inside one actor call; the job's `TrainingContext` calls `drain()` at
/// every step boundary (and while paused), which runs the actor calls queued meanwhile (stop, pause, marks) right
/// there, in the order they arrived. The thread ends when the executor is released and its queue is empty.
public final class TrainingThread: SerialExecutor {
    private final class Queue: Sendable {
        let jobs = Mutex<(pending: [UnownedJob], closed: Bool)>(([], false))
        /// One signal per enqueued job, and one when the executor goes.
        let wake = DispatchSemaphore(value: 0)
        /// The thread's POSIX identity, once it runs.
        let identity = Mutex<pthread_t?>(nil)

        func pop() -> UnownedJob? {
            jobs.withLock { $0.pending.isEmpty ? nil : $0.pending.removeFirst() }
        }
    }

    private let queue = Queue()

    public init() {
        let queue = self.queue, executor = UnownedSerialExecutor(ordinary: self)
        let thread = Thread {
            queue.identity.withLock { $0 = pthread_self() }
            while true {
                queue.wake.wait()
                if let job = queue.pop() {
                    job.runSynchronously(on: executor)
                } else if queue.jobs.withLock({ $0.closed && $0.pending.isEmpty }) {
                    return
                }
            }
        }
        thread.name = "genwindow-training"
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit {
        queue.jobs.withLock { $0.closed = true }
        queue.wake.signal()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.jobs.withLock { $0.pending.append(job) }
        queue.wake.signal()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// True on this executor's thread.
    var isCurrent: Bool { queue.identity.withLock { $0.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }

    /// Runs the jobs queued so far, in order; only on this executor's thread, between two steps of the job it is
    /// running (the semaphore's extra signals are absorbed by the thread's loop, which finds the queue empty).
    func drain() {
        while let job = queue.pop() { job.runSynchronously(on: asUnownedSerialExecutor()) }
    }
}
