import RunFormat
import TerminalUI

/// One `samples` record: a few generated samples from an evaluation, each with its nearest training point and
/// the distance ratio d1/d2 the memorization test uses.
///
/// Two producers write it. Image models (DDPM) write 8-bit pixels: `shape` [h, w], `samples`, `neighbours`,
/// `ratios`. Vector models (the generative RF) write coordinates: `samples`, `nearest`, `ratio`, `tau`, and
/// `projection`, the training set's two principal axes (2 × d) to draw them on.
public struct SamplePreview: Sendable {
    public enum Content: Sendable {
        case images(samples: [GrayImage], neighbours: [GrayImage])
        /// Points already projected onto the two principal axes.
        case vectors(samples: [(Double, Double)], nearest: [(Double, Double)])
    }

    public var step: Int
    public var tau: Double?
    public var ratios: [Double]
    public var content: Content

    public var count: Int { ratios.count }

    /// Reads a `samples` record's fields; nil (with the reason) when they are not one of the two forms.
    public static func parse(_ fields: JSONObject) -> Result<SamplePreview, SamplePreviewError> {
        guard let step = fields["step"]?.int else { return .failure(SamplePreviewError("samples record without a step")) }
        guard let samples = matrix(fields["samples"]) else { return .failure(SamplePreviewError("samples record at step \(step): no samples array")) }
        let ratios = (fields["ratios"] ?? fields["ratio"])?.array?.map { $0.double ?? .nan } ?? []
        guard ratios.count == samples.count else {
            return .failure(SamplePreviewError("samples record at step \(step): \(samples.count) samples but \(ratios.count) ratios"))
        }
        let neighbours = matrix(fields["neighbours"] ?? fields["nearest"]) ?? []
        guard neighbours.count == samples.count else {
            return .failure(SamplePreviewError("samples record at step \(step): \(samples.count) samples but \(neighbours.count) neighbours"))
        }
        let tau = fields[MetricName.tau]?.double
        if let shape = fields["shape"]?.array?.compactMap(\.int), shape.count >= 2 {
            let h = shape[shape.count - 2], w = shape[shape.count - 1]
            guard h > 0, w > 0, (samples + neighbours).allSatisfy({ $0.count == h * w }) else {
                return .failure(SamplePreviewError("samples record at step \(step): pixel rows do not match shape \(h)×\(w)"))
            }
            let image = { (row: [Double]) in
                GrayImage(width: w, height: h, pixels: row.map { UInt8(min(max($0.isFinite ? $0.rounded() : 0, 0), 255)) })
            }
            return .success(SamplePreview(step: step, tau: tau, ratios: ratios,
                                          content: .images(samples: samples.map(image), neighbours: neighbours.map(image))))
        }
        guard let axes = matrix(fields["projection"]), axes.count >= 2,
              let d = samples.first?.count, axes[0].count == d, axes[1].count == d,
              (samples + neighbours).allSatisfy({ $0.count == d }) else {
            return .failure(SamplePreviewError("samples record at step \(step): neither a pixel shape nor a projection matching the samples"))
        }
        let project = { (v: [Double]) -> (Double, Double) in
            var a = 0.0, b = 0.0
            for k in 0..<d { a += axes[0][k] * v[k]; b += axes[1][k] * v[k] }
            return (a, b)
        }
        return .success(SamplePreview(step: step, tau: tau, ratios: ratios,
                                      content: .vectors(samples: samples.map(project), nearest: neighbours.map(project))))
    }

    private static func matrix(_ value: JSONValue?) -> [[Double]]? {
        guard let rows = value?.array else { return nil }
        var out: [[Double]] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            guard let entries = row.array else { return nil }
            out.append(entries.map { $0.double ?? .nan })
        }
        return out
    }
}

/// Why a `samples` record could not be read (shown in the status line).
public struct SamplePreviewError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
