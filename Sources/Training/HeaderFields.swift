import RunFormat

/// A run header's settings read back for resuming: each accessor throws a `TrainingStateError` naming the key
/// that is missing or malformed.
struct HeaderFields {
    let config: JSONObject

    func number(_ key: String) throws -> Double {
        guard let x = config[key]?.double, x.isFinite else { throw TrainingStateError("the header lacks '\(key)'") }
        return x
    }

    /// A non-negative integer.
    func int(_ key: String) throws -> Int {
        guard let x = config[key]?.int, x >= 0 else { throw TrainingStateError("the header lacks '\(key)'") }
        return x
    }

    func string(_ key: String) throws -> String {
        guard let x = config[key]?.string else { throw TrainingStateError("the header lacks '\(key)'") }
        return x
    }

    func choice<T: RawRepresentable<String>>(_ key: String, _: T.Type) throws -> T {
        guard let x = T(rawValue: try string(key)) else { throw TrainingStateError("the header's '\(key)' is unknown") }
        return x
    }
}
