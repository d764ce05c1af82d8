import Foundation
import Inception
import NumericCore
import Testing

/// The FID weights, found as the program finds them (`$GENWINDOW_FID_WEIGHTS`, else the cache folder), loaded
/// once for all tests. Missing weights fail the test that needs them with a message naming `make fid-weights`.
enum SharedInception {
    static let loaded: Result<(InceptionWeights, InceptionNetwork), any Error> = Result {
        let dir = try InceptionWeights.locate(explicit: nil, environment: ProcessInfo.processInfo.environment,
                                              executableDirectory: nil)
        let weights = try InceptionWeights(directory: dir)
        return (weights, try InceptionNetwork(weights: weights))
    }

    /// The weights and the network, or a recorded failure (and nil) when the weights are not available.
    static func network(sourceLocation: SourceLocation = #_sourceLocation) -> (InceptionWeights, InceptionNetwork)? {
        switch loaded {
        case .success(let pair): return pair
        case .failure(let error):
            Issue.record("FID Inception weights unavailable — run 'make fid-weights' (or set GENWINDOW_FID_WEIGHTS): \(error)",
                         sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// The two reference pool3 vectors (fixture `fid_inception_reference.csv`): all-zeros input, then the sine input.
func referenceFeatures() throws -> [[Float]] {
    let url = try #require(Bundle.module.url(forResource: "fid_inception_reference", withExtension: "csv",
                                             subdirectory: "Fixtures"))
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").map { $0.split(separator: ",").map { Float(String($0))! } }
}

/// x[c][h][w] = sin(0.05·h + 0.03·w + c) for c = 0, 1, 2 at 299×299, as NHWC.
func sineModelInput() -> [Float] {
    let s = InceptionNetwork.inputSize
    var x = [Float](repeating: 0, count: s * s * 3)
    for h in 0..<s {
        for w in 0..<s {
            for c in 0..<3 {
                x[(h * s + w) * 3 + c] = Float(sin(Double(Float(0.05) * Float(h) + Float(0.03) * Float(w) + Float(c))))
            }
        }
    }
    return x
}

/// `count` uniform values in (0, 1) from `rng`.
func uniforms(_ rng: inout Xoshiro256, _ count: Int) -> [Float] {
    (0..<count).map { _ in Float(rng.nextOpenUniform()) }
}
