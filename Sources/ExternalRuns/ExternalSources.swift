import RunFormat

/// Opens runs that genwindow did not write, for `watch`, `replay` and `export`.
public enum ExternalSources {
    /// Seconds between polls of a followed run: a scalar the writer flushed is on screen within about this long.
    public static let followInterval = 0.25

    /// The source reading `path` in `format` (detected by content when nil), with `map` (`--map` text) choosing
    /// the tags that feed genwindow's series. Reads what is there already, so that a `--map` naming a tag the
    /// run does not have fails here, listing the tags (a run with no scalars yet is not checked).
    ///
    /// Throws a one-line error for a path that does not exist, an unknown format, an empty log directory, a
    /// malformed `--map`, and for a genwindow run file (then `ExternalRunError.genwindowRun` is set: the caller
    /// opens it with genwindow's own run-file reader).
    public static func open(path: String, format: ExternalFormat? = nil, map: String? = nil, live: Bool = true) throws -> any RecordSource {
        let tagMap = try map.map { text throws(ExternalRunError) in try TagMap.parse(text) } ?? TagMap()
        let resolved = try format ?? FormatDetection.detect(path: path)
        switch resolved {
        case .genwindow:
            throw ExternalRunError.genwindowRunFile(path)
        case .tfevents:
            let source = try TensorBoardSource(path: path, map: tagMap, live: live)
            return try checked(source, tagMap) { source.tags }
        case .csv:
            let source = try CSVSource(path: path, map: tagMap, live: live)
            return try checked(source, tagMap) { source.log.tags.names }
        case .jsonl:
            let source = try JSONLinesSource(path: path, map: tagMap, live: live)
            return try checked(source, tagMap) { source.log.tags.names }
        }
    }

    /// Primes `source` with a first poll (kept for the caller's first `poll()`) and checks `map` against its tags.
    private static func checked(_ source: any RecordSource, _ map: TagMap, tags: () -> [String]) throws -> any RecordSource {
        let primed = PrimedSource(source)
        let names = tags().filter { !$0.isEmpty }
        if !map.explicit.isEmpty && !names.isEmpty { try map.check(against: names) }
        return primed
    }
}

extension ExternalRunError {
    /// The error `ExternalSources.open` throws for a genwindow run file (`genwindowRun` holds its path).
    static func genwindowRunFile(_ path: String) -> ExternalRunError {
        ExternalRunError("\(path): a genwindow run file, not an external run (open it as a run file)", genwindowRun: path)
    }
}

/// A source whose runs carry image summaries (TensorBoard's `add_images`), read as the source polls.
public protocol ImageSummaries: AnyObject {
    /// The runs read so far, sorted.
    var runKeys: [RunKey] { get }
    /// The image summaries of `run` read so far, in the order read.
    func images(of run: RunKey) -> [ImageEntry]
}

/// A source whose first poll was already made (to learn its tags): hands those updates out first.
final class PrimedSource: RecordSource, ImageSummaries {
    private let inner: any RecordSource
    private var first: [SourceUpdate]?

    init(_ inner: any RecordSource) {
        self.inner = inner
        first = inner.poll()
    }

    var path: String { inner.path }
    var pollInterval: Double? { inner.pollInterval }
    var isLive: Bool { inner.isLive }
    func markFile(for run: RunKey) -> String? { inner.markFile(for: run) }

    var runKeys: [RunKey] { (inner as? ImageSummaries)?.runKeys ?? [] }
    func images(of run: RunKey) -> [ImageEntry] { (inner as? ImageSummaries)?.images(of: run) ?? [] }

    func poll() -> [SourceUpdate] {
        if let f = first {
            first = nil
            return f
        }
        return inner.poll()
    }
}
