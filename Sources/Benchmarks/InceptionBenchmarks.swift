import Dispatch
import Inception
import NumericCore

/// Throughput of the FID Inception-v3 features (issue 22): a batch of 32 RGB 299×299 images through the
/// preprocessing and the network on every BLAS thread (one image per worker, one BLAS thread each). Flops count
/// the convolutions' multiply–adds ×2; the reference case runs exactly the convolutions' GEMMs (same shapes, same
/// order, same workers) and nothing else, so the ratio to it measures the im2col, pools and element-wise work.
public enum InceptionBenchmarks {
    public static let batch = 32

    /// The features case and its GEMMs, for the weights in `directory` (their values do not change the timing,
    /// but the shapes come from the file).
    public static func cases(weightsDirectory directory: String) -> [BenchmarkCase] {
        [gemms(weightsDirectory: directory), features(weightsDirectory: directory)]
    }

    static func network(_ directory: String) throws -> InceptionNetwork {
        try InceptionNetwork(weights: InceptionWeights(directory: directory))
    }

    /// Multiply–adds of one image's convolutions (the fixed architecture: 5,711,168,096).
    static func flopsPerBatch(_ net: InceptionNetwork) -> Double { 2 * Double(batch) * Double(net.multiplyAddsPerImage) }

    public static func features(weightsDirectory directory: String) -> BenchmarkCase {
        BenchmarkCase(name: "inception_features_b\(batch)", unit: "images/s", workPerRepetition: Double(batch),
                      flopsPerRepetition: Self.architectureFlops, reference: gemmsName) {
            let net = try network(directory)
            var rng = Xoshiro256(seed: 4)
            let side = InceptionNetwork.inputSize
            let images = InceptionImages(count: batch, height: side, width: side, channels: 3,
                                         pixels: (0..<(batch * side * side * 3)).map { _ in Float(rng.nextInt(below: 256)) })
            let workspaces = InceptionWorkspace.make(BLASRuntime.threads)
            return { _ = net.features(of: images, workspaces: workspaces) }
        }
    }

    static let gemmsName = "sgemm_inception_b\(batch)"

    /// 2 × the network's convolution multiply–adds for a batch (checked against the weights in `gemms`).
    static let architectureFlops = 2.0 * Double(batch) * 5_711_168_096

    /// The convolutions' GEMMs for a batch: per image, each convolution's (oh·ow)×K·K×out product, β = 0, images
    /// spread over the BLAS threads' count of workers with one BLAS thread each. Operands sit where the network's
    /// do: every convolution has its own weights (shared by the workers), and each worker reads its patches from
    /// one patch buffer and writes into one output buffer, as the network's workspace does.
    public static func gemms(weightsDirectory directory: String) -> BenchmarkCase {
        BenchmarkCase(name: gemmsName, unit: "GFLOP/s", workPerRepetition: architectureFlops / 1e9,
                      flopsPerRepetition: architectureFlops) {
            let net = try network(directory)
            precondition(flopsPerBatch(net) == architectureFlops, "the weights' convolutions do not have the FID network's shapes")
            let shapes = net.gemmShapes
            let workers = max(1, BLASRuntime.threads)
            var rng = Xoshiro256(seed: 5)
            let weights = shapes.map { FloatBufferSet(rng.normals($0.k * $0.n, std: 0.05, as: Float.self)) }
            let patches = (0..<workers).map { _ in
                FloatBufferSet(rng.normals(shapes.map { $0.m * $0.k }.max()!, as: Float.self))
            }
            let outputs = (0..<workers).map { _ in
                FloatBufferSet([Float](repeating: 0, count: shapes.map { $0.m * $0.n }.max()!))
            }
            return {
                BLASRuntime.withThreads(1) {
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        for _ in stride(from: w, to: batch, by: workers) {
                            for (l, s) in shapes.enumerated() {
                                Float.gemm(.none, .none, m: s.m, n: s.n, k: s.k, alpha: 1, a: patches[w].base, lda: s.k,
                                           b: weights[l].base, ldb: s.n, beta: 0, c: outputs[w].base, ldc: s.n)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Memory of one GEMM operand, owned for the benchmark's lifetime.
final class FloatBufferSet: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ values: [Float]) {
        base = .allocate(capacity: max(1, values.count))
        base.initialize(from: values, count: values.count)
    }
    deinit { base.deallocate() }
}
