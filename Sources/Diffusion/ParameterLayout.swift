/// Named slices of one flat parameter buffer; gradients, Adam moments and EMA weights use the same layout.
public struct ParameterLayout: Sendable, Equatable {
    public struct Slice: Sendable, Equatable {
        public let name: String
        public let offset: Int
        /// [rows, cols] of a weight matrix (row-major), [count] of a vector.
        public let shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var slices: [Slice] = []
    public private(set) var count = 0

    public init() {}

    /// Appends a slice and returns its offset.
    @discardableResult
    public mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let slice = Slice(name: name, offset: count, shape: shape)
        slices.append(slice)
        count += slice.count
        return slice.offset
    }
}
