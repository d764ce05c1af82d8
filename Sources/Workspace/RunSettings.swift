import RunFormat

/// The settings runs of one folder are told apart by.
public enum RunSettings {
    /// The header settings every one of `configs` has and whose values are not all the same, in the order of
    /// the first config (settings of one model only say nothing when runs of several models are listed).
    public static func differing(_ configs: [JSONObject]) -> [String] {
        guard let first = configs.first else { return [] }
        return first.keys.filter { key in
            let values = configs.map { $0[key] }
            return !values.contains(nil) && values.contains { $0 != values[0] }
        }
    }

    /// A setting's value as shown in a table cell or compared by a query: numbers without a trailing ".0",
    /// strings bare, anything else as JSON.
    public static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil: "–"
        case .string(let s)?: s
        case .number(let x)? where x == x.rounded() && abs(x) < 1e15: String(Int(x))
        case let v?: JSONWriter.string(v)
        }
    }

    /// The key of a seed group: the model and every setting but `seed`. Runs with equal keys differ only in the
    /// seed.
    public static func groupKey(model: String, config: JSONObject) -> String {
        ([model] + config.pairs.filter { $0.key != "seed" }.map { "\($0.key)=" + JSONWriter.string($0.value) }).joined(separator: " ")
    }
}
