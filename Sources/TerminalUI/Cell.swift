/// One character cell of the terminal: a single width-1 scalar and its style.
///
/// Braille, block and box-drawing characters are all one scalar wide, so a scalar per cell keeps `==` cheap and
/// the grid a flat array.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var style: Style

    public init(_ scalar: Unicode.Scalar, style: Style = .plain) {
        self.scalar = scalar
        self.style = style
    }

    public static let blank = Cell(" ")
}
