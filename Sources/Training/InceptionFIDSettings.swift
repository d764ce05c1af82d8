/// `--fid-features inception` of a DDPM run on image data: the live FID is measured in Inception-v3 pool3
/// features, off the training thread (`InceptionFIDWorker`), at the cadence of `InceptionCadence`.
public struct InceptionFIDSettings: Sendable, Equatable {
    /// The folder of `fid_inception.f32` and `fid_inception.tsv` (`InceptionWeights.locate`).
    public var weightsDirectory: String
    /// Where the reference statistics are cached (`StatisticsCache`).
    public var statisticsDirectory: String
    /// Samples per FID: the first this many of an evaluation's samples.
    public var samples: Int
    /// The largest share of wall time the network may take.
    public var share: Double

    public init(weightsDirectory: String, statisticsDirectory: String, samples: Int,
                share: Double = InceptionCadence.defaultShare) {
        self.weightsDirectory = weightsDirectory
        self.statisticsDirectory = statisticsDirectory
        self.samples = samples
        self.share = share
    }
}
