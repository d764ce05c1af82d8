#if canImport(Glibc)
import Glibc
#endif
import RunFormat

/// A saved run, read once: replay.
public final class SavedRunSource: RecordSource {
    public let path: String
    public let pollInterval: Double? = nil
    public let isLive = false
    private var log: RunLog?

    public init(_ log: RunLog) {
        path = log.path
        self.log = log
    }

    public func markFile(for run: RunKey) -> String? { run.path }

    public func poll() -> [SourceUpdate] {
        guard let log else { return [] }
        self.log = nil
        let run = RunKey(path: log.path, name: RunFileSources.name(of: log.path))
        var changes: [RunChange] = [.records([.header(log.header)] + log.records)]
        if let first = log.problems.first {
            changes.append(.problem("\(log.problems.count) malformed line(s) skipped; first: \(first)"))
        }
        changes.append(.finished)
        return changes.map { SourceUpdate(run: run, change: $0) }
    }
}

/// A run file another process is writing (it may not exist yet), followed like `tail -f`.
public final class RunFileSource: RecordSource {
    public let path: String
    public let pollInterval: Double? = RunFileSources.followInterval
    public let isLive = true
    private let follower: RunFollower
    private let run: RunKey

    public init(path: String) {
        self.path = path
        follower = RunFollower(path: path)
        run = RunKey(path: path, name: RunFileSources.name(of: path))
    }

    public func markFile(for run: RunKey) -> String? { run.path }

    public func poll() -> [SourceUpdate] { RunFileSources.changes(of: follower, name: run.name).map { SourceUpdate(run: run, change: $0) } }
}

/// Every run file (`.jsonl`) of a folder: followed, new ones included as they appear, or read once (replay).
/// On the first poll the most recently modified run is reported first (a session shows the first run it hears
/// of).
public final class RunFolderSource: RecordSource {
    public let path: String
    public let pollInterval: Double?
    public let isLive: Bool
    private var followers: [(run: RunKey, follower: RunFollower)] = []
    private var nextListing = -Double.infinity
    private let clock: () -> Double

    /// Seconds between listings of the folder.
    public static let listInterval = 1.0

    /// `follow`: keep reading (watch) rather than read once (replay). `clock` (seconds) times the listings.
    public init(directory: String, follow: Bool = true, clock: @escaping () -> Double = RunWriter.monotonicSeconds) {
        path = directory
        pollInterval = follow ? RunFileSources.followInterval : nil
        isLive = follow
        self.clock = clock
    }

    public func markFile(for run: RunKey) -> String? { run.path }

    public func poll() -> [SourceUpdate] {
        let now = clock()
        if now >= nextListing {
            nextListing = now + RunFolderSource.listInterval
            let known = Set(followers.map(\.run.path))
            let added = RunFileSources.runFiles(in: path).filter { !known.contains($0) }
            let newestFirst = added.sorted { RunFileSources.modified($0) > RunFileSources.modified($1) }
            followers += newestFirst.map { (RunKey(path: $0, name: RunFileSources.name(of: $0)), RunFollower(path: $0)) }
        }
        var updates: [SourceUpdate] = []
        for (run, follower) in followers {
            updates += RunFileSources.changes(of: follower, name: run.name).map { SourceUpdate(run: run, change: $0) }
        }
        return updates
    }
}

/// What the run-file sources share.
public enum RunFileSources {
    /// Seconds between polls of a followed run file (each poll is one stat when nothing changed).
    public static let followInterval = 0.25

    /// The `.jsonl` files of a folder, sorted by name.
    public static func runFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".jsonl") { names.append(name) }
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.sorted().map { base + $0 }
    }

    /// The file's modification time in seconds (0 when it cannot be read).
    static func modified(_ path: String) -> Double {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9
    }

    static func name(of path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// A follower's news as run changes.
    static func changes(of follower: RunFollower, name: String) -> [RunChange] {
        do {
            return try follower.poll().map { update in
                switch update {
                case .waiting: .waiting("waiting for \(follower.path) to appear…")
                case .header(let h): .header(h)
                case .records(let records): .records(records)
                case .problem(let e): .problem("\(name): \(e)")
                case .restarted: .restarted
                }
            }
        } catch {
            return [.problem("\(error)")]
        }
    }
}
