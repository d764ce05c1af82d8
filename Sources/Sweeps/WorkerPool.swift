#if canImport(Glibc)
import Glibc
#endif
import RunFiles
import Synchronization

/// One process for the pool to run.
public struct WorkerTask: Sendable {
    /// Caller's handle for the task (e.g. a cell name).
    public var id: String
    public var executable: String
    /// Arguments after the executable name.
    public var arguments: [String]
    /// Variables added to (or replacing those in) the pool's own environment.
    public var environment: [String: String]
    /// stdout and stderr of the process go here (truncated first).
    public var logPath: String

    public init(id: String, executable: String, arguments: [String], environment: [String: String], logPath: String) {
        self.id = id
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logPath = logPath
    }
}

/// How a worker process ended.
public enum WorkerExit: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// The process could not be started (errno text).
    case notStarted(String)

    public var succeeded: Bool { self == .exited(0) }
    public var description: String {
        switch self {
        case .exited(let c): "exit \(c)"
        case .signaled(let s): "signal \(s)"
        case .notStarted(let why): "not started: \(why)"
        }
    }
}

/// What the pool reports while it runs.
public enum PoolEvent: Sendable {
    case started(id: String, pid: Int32)
    /// `stopping`: the worker ended after the pool began stopping on a signal (it was told to stop).
    case finished(id: String, exit: WorkerExit, seconds: Double, stopping: Bool)
}

/// Why the pool stopped before running every task.
public enum PoolStop: Equatable, Sendable {
    /// SIGINT, SIGTERM or SIGHUP reached the pool; running workers got SIGTERM and were waited for.
    case signal(Int32)
    /// A worker exited with status 64 (usage error): the remaining tasks would fail the same way.
    case usageError(id: String)
}

/// Runs tasks as child processes, at most `maxWorkers` at once.
///
/// While it runs, SIGINT/SIGTERM/SIGHUP stop it: no new task starts, every running worker gets SIGTERM (so
/// `genwindow train` ends its run file with "interrupted"), and the pool waits for all of them. The loop polls
/// `waitpid` four times a second, which also paces `tick` (the live progress display).
public final class WorkerPool {
    public let maxWorkers: Int
    public let pollInterval: Double

    public init(maxWorkers: Int, pollInterval: Double = 0.25) {
        self.maxWorkers = max(1, maxWorkers)
        self.pollInterval = pollInterval
    }

    /// Runs `tasks` in order; returns why it stopped early, or nil when every task ran.
    public func run(_ tasks: [WorkerTask], onEvent: (PoolEvent) -> Void, tick: () -> Void = {}) -> PoolStop? {
        let handlers = StopSignalHandlers()
        defer { handlers.restore() }
        var queue = tasks[...]
        var running: [Int32: (task: WorkerTask, start: Double)] = [:]
        var stop: PoolStop?
        var forwarded = false
        while !queue.isEmpty || !running.isEmpty {
            if stop == nil, let s = handlers.received { stop = .signal(s) }
            if stop != nil, !forwarded {
                for pid in running.keys { kill(pid, SIGTERM) }
                forwarded = true
            }
            while stop == nil, running.count < maxWorkers, let task = queue.popFirst() {
                let start = RunWriter.monotonicSeconds()
                switch spawn(task) {
                case .success(let pid):
                    running[pid] = (task, start)
                    onEvent(.started(id: task.id, pid: pid))
                case .failure(let why):
                    onEvent(.finished(id: task.id, exit: .notStarted(why.message), seconds: 0, stopping: false))
                }
            }
            // Only our own children, by pid: other code in this process may have children of its own.
            var reaped = false
            for pid in Array(running.keys) {
                var status: Int32 = 0
                guard waitpid(pid, &status, WNOHANG) == pid, let (task, start) = running.removeValue(forKey: pid) else {
                    continue
                }
                reaped = true
                let exit = Self.decode(status)
                onEvent(.finished(id: task.id, exit: exit, seconds: RunWriter.monotonicSeconds() - start, stopping: forwarded))
                if stop == nil, exit == .exited(64) { stop = .usageError(id: task.id) }
            }
            if queue.isEmpty && running.isEmpty { break }
            if stop != nil && running.isEmpty { break }
            tick()
            if !reaped { sleepSeconds(pollInterval) }
        }
        tick()
        return stop
    }

    private static func decode(_ status: Int32) -> WorkerExit {
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }

    private func spawn(_ task: WorkerTask) -> Result<Int32, SweepError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, task.logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        // The pool catches stop signals; its workers start with the default dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in StopSignalHandlers.signals { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // …and with no signal blocked, whatever mask the thread that started the sweep had.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var env = currentEnvironment()
        for (k, v) in task.environment { env[k] = v }
        let argv = ([task.executable] + task.arguments).map { strdup($0) } + [nil]
        let envp = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, task.executable, &actions, &attributes, argv, envp)
        if rc != 0 { return .failure(SweepError("\(task.executable): \(String(cString: strerror(rc)))")) }
        return .success(pid)
    }
}

/// This process's environment as a dictionary.
func currentEnvironment() -> [String: String] {
    var env: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") {
            env[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        p += 1
    }
    return env
}

func sleepSeconds(_ s: Double) {
    var request = timespec(tv_sec: Int(s), tv_nsec: Int((s - s.rounded(.down)) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// The first stop signal received while the pool runs (0: none). A signal handler may only touch lock-free
/// state, hence a global atomic.
private let receivedStopSignal = Atomic<Int32>(0)

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that record the first one, and puts the old ones back.
final class StopSignalHandlers {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var previous: [(Int32, sigaction)] = []

    init() {
        receivedStopSignal.store(0, ordering: .sequentiallyConsistent)
        // A launcher may have started us with these blocked (Foundation's Process passes its thread's mask on);
        // the polling thread must receive them.
        var set = sigset_t()
        sigemptyset(&set)
        for s in Self.signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for s in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                _ = receivedStopSignal.compareExchange(expected: 0, desired: sig, ordering: .sequentiallyConsistent)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(s, &action, &old)
            previous.append((s, old))
        }
    }

    var received: Int32? {
        let s = receivedStopSignal.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    func restore() {
        for (s, old) in previous {
            var o = old
            sigaction(s, &o, nil)
        }
        previous.removeAll()
    }
}
