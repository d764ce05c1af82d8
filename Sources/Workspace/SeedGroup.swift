/// The mean and spread of one quantity over the runs of a seed group (runs that differ only in `seed`).
public struct GroupStatistic: Sendable, Equatable {
    public var mean: Double
    /// Sample standard deviation (n − 1); nil for a single value.
    public var sd: Double?
    public var count: Int

    /// Nil for no values.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        if values.count >= 2 {
            let m = mean
            sd = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        }
    }
}

/// Groups items by key, keeping the order in which each key first appears.
public func seedGroups<T>(_ items: [T], key: (T) -> String) -> [(key: String, members: [T])] {
    var order: [String] = []
    var members: [String: [T]] = [:]
    for item in items {
        let k = key(item)
        if members[k] == nil { order.append(k) }
        members[k, default: []].append(item)
    }
    return order.map { ($0, members[$0]!) }
}
