import Foundation
import NumericCore

/// Watches a folder of sample dumps (`--samples DIR`): each `.npy` file whose name ends in a step is read once,
/// when complete. A dump that does not read (a half-written file) is tried again on later polls while its size
/// changes; once it fails at an unchanged size it is reported once and left alone.
public final class SampleDumpFolder {
    /// A dump read in full.
    public struct Dump: Equatable, Sendable {
        public var step: Int
        public var path: String
        public var array: NpyArray
    }

    public let path: String
    private var done = Set<String>()
    /// Size at the last failed attempt, by file name.
    private var failedAtSize: [String: UInt64] = [:]

    public init(path: String) { self.path = path }

    /// The dumps completed since the last poll, in step order, and one line per dump given up on.
    public func poll() -> (dumps: [Dump], problems: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return ([], [])
        }
        var dumps: [Dump] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".npy") && !done.contains(name) {
            guard let step = SampleDump.step(fileName: name) else { continue }
            let file = path + "/" + name
            let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.uint64Value ?? 0
            do {
                dumps.append(Dump(step: step, path: file, array: try NpyArray.read(path: file)))
                done.insert(name)
                failedAtSize[name] = nil
            } catch {
                if failedAtSize[name] == size {
                    problems.append("\(error)")
                    done.insert(name)
                    failedAtSize[name] = nil
                } else {
                    failedAtSize[name] = size
                }
            }
        }
        return (dumps.sorted { ($0.step, $0.path) < ($1.step, $1.path) }, problems)
    }
}
