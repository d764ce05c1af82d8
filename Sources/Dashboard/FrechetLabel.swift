import RunFormat

/// What a run's `fid` series is called, by its feature space: only a Fréchet distance between Inception-v3
/// features is the FID papers report; the others are Fréchet distances named by their space, so a reader never
/// compares a pixel-space number with a paper's FID.
public enum FrechetLabel {
    /// "FID" for `inception`; "FD·classifier"; "FD·pixels" for raw values of an image dataset, "FD·data" for
    /// raw vectors. `features` is the run's `fid_features` (nil: raw values), `data` its dataset name.
    public static func label(features: String?, data: String) -> String {
        switch features {
        case "inception": return "FID"
        case "classifier": return "FD·classifier"
        default: return isImageData(data) ? "FD·pixels" : "FD·data"
        }
    }

    /// The same name as a CSV column: ASCII, lower case ("fid", "fd_classifier", "fd_pixels", "fd_data").
    public static func column(features: String?, data: String) -> String {
        switch label(features: features, data: data) {
        case "FID": MetricName.fid
        case let other: other.lowercased().replacingOccurrences(of: "·", with: "_")
        }
    }

    /// The feature space an evaluation record names (`fid_features`, or `features` in older files).
    public static func featureSpace(of m: MetricsRecord) -> String? {
        (m.extra["fid_features"] ?? m.extra["features"])?.string
    }

    static func isImageData(_ data: String) -> Bool {
        ["digits", "fashion-mnist", "mnist", "cifar10"].contains(data) || data.hasPrefix("png:")
    }
}
