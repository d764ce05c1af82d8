import Foundation
import NumericCore

/// A saved MLP denoiser: its shape, schedule, sampling defaults, and weights (plus EMA weights when trained with
/// EMA). File layout: the line "genwindow-checkpoint 1", then `key=value` lines, an empty line, then the raw
/// little-endian Float32 weights (`parameters` values, then as many EMA values when `ema=1`).
public struct Checkpoint: Equatable {
    public var config: MLPConfig
    public var schedule: NoiseSchedule.Kind
    public var scheduleSteps: Int
    public var step: Int
    /// Extra settings kept for the reader (dataset, labels mode, data shape…), without '=' or newlines in keys.
    public var metadata: [String: String]
    public var parameters: [Float]
    public var emaParameters: [Float]?

    public init(config: MLPConfig, schedule: NoiseSchedule.Kind, scheduleSteps: Int, step: Int,
                metadata: [String: String], parameters: [Float], emaParameters: [Float]?) {
        self.config = config
        self.schedule = schedule
        self.scheduleSteps = scheduleSteps
        self.step = step
        self.metadata = metadata
        self.parameters = parameters
        self.emaParameters = emaParameters
    }

    static let magic = "genwindow-checkpoint 1"

    /// The weights to sample with: EMA when present.
    public var samplingParameters: [Float] { emaParameters ?? parameters }

    /// Serialized bytes.
    public func encode() -> [UInt8] {
        var fields: [(String, String)] = [
            ("dimension", "\(config.dimension)"), ("width", "\(config.width)"), ("depth", "\(config.depth)"),
            ("time_embedding", "\(config.timeEmbedding)"), ("layernorm", config.layerNorm ? "1" : "0"),
            ("classes", "\(config.classes)"), ("schedule", schedule.rawValue), ("schedule_steps", "\(scheduleSteps)"),
            ("step", "\(step)"), ("parameters", "\(parameters.count)"), ("ema", emaParameters == nil ? "0" : "1"),
        ]
        fields += metadata.sorted { $0.key < $1.key }.map { ("meta.\($0.key)", $0.value) }
        var text = Checkpoint.magic + "\n"
        for (k, v) in fields { text += "\(k)=\(v.replacingOccurrences(of: "\n", with: " "))\n" }
        text += "\n"
        var bytes = Array(text.utf8)
        for values in [parameters] + (emaParameters.map { [$0] } ?? []) {
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> Checkpoint {
        func fail(_ why: String) -> CheckpointError { CheckpointError("\(path): \(why)") }
        guard let end = (0..<max(0, bytes.count - 1)).first(where: { bytes[$0] == 10 && bytes[$0 + 1] == 10 }) else {
            throw fail("not a genwindow checkpoint (no header)")
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == magic else { throw fail("not a genwindow checkpoint (expected '\(magic)')") }
        var f: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let eq = line.firstIndex(of: "=") else { throw fail("malformed header line '\(line)'") }
            f[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        func int(_ k: String) throws -> Int {
            guard let v = f[k].flatMap({ Int($0) }) else { throw fail("missing or bad '\(k)'") }
            return v
        }
        guard let kind = f["schedule"].flatMap(NoiseSchedule.Kind.init(rawValue:)) else { throw fail("bad 'schedule'") }
        let config = MLPConfig(dimension: try int("dimension"), width: try int("width"), depth: try int("depth"),
                               timeEmbedding: try int("time_embedding"), layerNorm: try int("layernorm") == 1,
                               classes: try int("classes"))
        let count = try int("parameters"), hasEMA = try int("ema") == 1
        let start = end + 2, need = count * 4 * (hasEMA ? 2 : 1)
        guard bytes.count - start == need else { throw fail("expected \(need) bytes of weights, found \(bytes.count - start)") }
        func floats(_ from: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { buf, n in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[from..<(from + count * 4)]))
                }
                n = count
            }
        }
        var meta: [String: String] = [:]
        for (k, v) in f where k.hasPrefix("meta.") { meta[String(k.dropFirst(5))] = v }
        let checkpoint = Checkpoint(config: config, schedule: kind, scheduleSteps: try int("schedule_steps"),
                                    step: try int("step"), metadata: meta, parameters: floats(start),
                                    emaParameters: hasEMA ? floats(start + count * 4) : nil)
        guard MLPNetwork(config, maxRows: 1).layout.count == count else {
            throw fail("weights do not match the network shape in the header")
        }
        return checkpoint
    }

    /// Writes atomically (`AtomicFile`): a crash leaves the old checkpoint or the new one.
    public func write(to path: String) throws {
        do { try AtomicFile.write(encode(), to: path) } catch { throw CheckpointError("\(error)") }
    }

    public static func read(path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else { throw CheckpointError("\(path): cannot read") }
        return try decode([UInt8](data), path: path)
    }
}

public struct CheckpointError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
