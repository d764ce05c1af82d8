import CBLAS
import CCPUFeatures
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the running CPU can do, as far as OpenBLAS's kernel choice is concerned (CPUID + XGETBV).
public struct CPUFeatures: Sendable, Equatable {
    public var avx: Bool
    public var avx2: Bool
    public var fma: Bool
    public var avx512f: Bool

    public init(avx: Bool, avx2: Bool, fma: Bool, avx512f: Bool) {
        self.avx = avx
        self.avx2 = avx2
        self.fma = fma
        self.avx512f = avx512f
    }

    /// The features of this machine.
    public static let current: CPUFeatures = {
        let f = gw_read_cpu_features()
        return CPUFeatures(avx: f.avx, avx2: f.avx2, fma: f.fma, avx512f: f.avx512f)
    }()

    /// A short list for `--version` and benchmark headers, e.g. "avx2 fma avx512f".
    public var summary: String {
        let names = [("avx", avx), ("avx2", avx2), ("fma", fma), ("avx512f", avx512f)].filter(\.1).map(\.0)
        return names.isEmpty ? "no AVX" : names.joined(separator: " ")
    }
}

/// OpenBLAS's run-time state: which kernel family ("core") it loaded, how many threads it uses, and the
/// start-up check that moves it onto the fastest kernels this CPU supports.
public enum BLASRuntime {
    /// The environment variable OpenBLAS reads once, when the library loads, to force a kernel family.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Set in the environment of the re-executed process, so the switch happens at most once.
    public static let reexecGuardVariable = "GENWINDOW_BLAS_REEXEC"

    /// The kernel family OpenBLAS chose (`openblas_get_corename`), e.g. "Prescott", "Haswell", "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (`openblas_get_config`).
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// Threads OpenBLAS uses for one call (`openblas_get_num_threads`).
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the threads OpenBLAS uses for one call (`openblas_set_num_threads`); clamped to at least 1.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// Runs `body` with OpenBLAS limited to at most `n` threads, then restores the previous count. For operations
    /// that are faster on one thread than on several (LAPACK's symmetric eigensolver: see BENCHMARKS.md), or whose
    /// results must not depend on the thread count (OpenBLAS's sgemm gives other bits on two threads than on one).
    /// The count is process-wide, so BLAS calls of other threads during `body` run with it too; limits that
    /// overlap in time (from several threads) compose: the count is the smallest active limit until the last one
    /// ends, and only then goes back to the count before the first.
    public static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        let token = ThreadLimits.shared.push(max(1, n))
        defer { ThreadLimits.shared.pop(token) }
        return try body()
    }

    /// The fastest OpenBLAS kernel family for these CPU features, or nil when the generic kernels are all it has.
    public static func preferredCore(for features: CPUFeatures) -> String? {
        if features.avx512f && features.avx2 && features.fma { return "SkylakeX" }
        if features.avx2 && features.fma { return "Haswell" }
        if features.avx { return "Sandybridge" }
        return nil
    }

    /// Rough speed tier of an OpenBLAS core name: 0 generic SSE, 1 AVX, 2 AVX2/FMA, 3 AVX-512.
    public static func tier(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": 3
        case "haswell", "zen", "excavator": 2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": 1
        default: 0
        }
    }

    /// The core to force when OpenBLAS picked a slower family than the CPU supports and the user has not
    /// chosen one; nil when nothing should change.
    public static func coreToForce(active: String, features: CPUFeatures, environment: [String: String]) -> String? {
        if environment[coreTypeVariable] != nil || environment[reexecGuardVariable] != nil { return nil }
        guard let preferred = preferredCore(for: features) else { return nil }
        return tier(ofCore: active) < tier(ofCore: preferred) ? preferred : nil
    }

    /// A one-line warning when the user forced a kernel family slower than this CPU supports; nil otherwise.
    public static func slowForcedCoreWarning(environment: [String: String]) -> String? {
        guard let forced = environment[coreTypeVariable], let preferred = preferredCore(for: .current),
              tier(ofCore: coreName) < tier(ofCore: preferred) else { return nil }
        return "\(coreTypeVariable)=\(forced) is set, so OpenBLAS runs its \(coreName) kernels; this CPU supports \(preferred) (unset the variable for faster BLAS)"
    }

    /// OpenBLAS's variable for how long an idle worker thread spins (2^value cycles) before it sleeps.
    public static let threadTimeoutVariable = "OPENBLAS_THREAD_TIMEOUT"
    /// 2²⁰ cycles, about 0.4 ms. OpenBLAS's default, 2²⁸ (about 0.1 s), keeps its workers spinning in
    /// `sched_yield` through every element-wise pass between two GEMMs, on the cores genwindow's own threads
    /// (the DDPM update's slices, the nearest-neighbour scan) need then; 0.4 ms still covers the short gaps
    /// between the GEMMs of one training step. Measured: memorized fraction n = 1k d = 64 from 0.47–0.52 to
    /// 0.64–0.65 of its GEMM, the DDPM step d784 w1024 from 0.73–0.80 to 0.84–0.86 (BENCHMARKS.md).
    public static let threadTimeout = "20"

    /// The OpenBLAS variables genwindow sets before the library loads (it reads them only then): a faster core
    /// (`coreToForce`) and the worker spin time, each only where the user has not set it; empty once the switch
    /// happened.
    public static func environmentChanges(active: String, features: CPUFeatures,
                                          environment: [String: String]) -> [String: String] {
        if environment[reexecGuardVariable] != nil { return [:] }
        var changes: [String: String] = [:]
        if let core = coreToForce(active: active, features: features, environment: environment) {
            changes[coreTypeVariable] = core
        }
        if environment[threadTimeoutVariable] == nil { changes[threadTimeoutVariable] = threadTimeout }
        return changes
    }

    /// Re-executes the current program once with `environmentChanges` applied: when OpenBLAS loaded slower
    /// kernels than this CPU supports (Debian's 0.3.21 falls back to "Prescott" on CPUs it does not recognise),
    /// and to shorten its workers' spin time. Call first thing in `main`, before any thread starts. Returns
    /// normally when nothing needs to change or the re-exec fails (the program then runs as loaded).
    public static func applyEnvironmentBeforeUse() {
        #if os(Linux)
        var environment: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { environment[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        let changes = environmentChanges(active: coreName, features: .current, environment: environment)
        guard !changes.isEmpty else { return }
        for (name, value) in changes { setenv(name, value, 1) }
        setenv(reexecGuardVariable, "1", 1)
        let args = CommandLine.unsafeArgv
        // The binary's own path, not /proc/self/exe: the kernel names a process after the file it executes, and
        // ps, top and pkill should keep seeing "genwindow", not "exe".
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &path, Int(PATH_MAX))
        if length > 0 { execv(path, args) }
        execv("/proc/self/exe", args)
        // execv only returns on failure: undo, and continue as loaded.
        for name in changes.keys { unsetenv(name) }
        unsetenv(reexecGuardVariable)
        #endif
    }
}

/// The `withThreads` limits in effect, across threads: the count OpenBLAS uses is the smallest of them (never more
/// than the count before the first began), restored when the last ends.
private final class ThreadLimits: @unchecked Sendable {
    static let shared = ThreadLimits()
    private let lock = NSLock()
    private var active: [Int: Int] = [:]   // token → limit
    private var nextToken = 0
    private var base = 0

    func push(_ limit: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if active.isEmpty { base = BLASRuntime.threads }
        let token = nextToken
        nextToken += 1
        active[token] = limit
        apply()
        return token
    }

    func pop(_ token: Int) {
        lock.lock()
        defer { lock.unlock() }
        active[token] = nil
        apply()
    }

    /// Sets the count for the active limits (the base count when none is left), only when it changes.
    private func apply() {
        let wanted = min(base, active.values.min() ?? base)
        if BLASRuntime.threads != wanted { BLASRuntime.setThreads(wanted) }
    }
}
