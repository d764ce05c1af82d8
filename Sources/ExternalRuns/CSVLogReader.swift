/// Reads a CSV file with a header row holding a `step` column (Lightning's `CSVLogger` `metrics.csv`): every
/// non-empty cell of another column is a scalar at the row's step. Rows may be sparse (train and validation
/// values in different rows). Within a row, values are kept in tag-id order, so a file rewritten with its
/// columns in another order reads as the same rows.
public struct CSVLogReader {
    private var lines = LineBuffer()
    /// The header line's bytes (without its newline), once read.
    public private(set) var headerLine: [UInt8]?
    private var columns: [Int32] = []
    private var stepColumn = -1
    public private(set) var problems: [String] = []

    public init() {}

    /// Feeds the next bytes of the file, appending its scalars to `log`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into log: inout ScalarLog) {
        var splitter = lines
        lines = LineBuffer()
        splitter.feed(bytes) { line, number in self.line(line, number, &log) }
        lines = splitter
    }

    private mutating func line(_ line: UnsafeRawBufferPointer, _ number: Int, _ log: inout ScalarLog) {
        guard headerLine != nil else {
            headerLine = Array(line)
            let names = Self.fields(line)
            stepColumn = names.firstIndex(of: "step") ?? -1
            if stepColumn < 0 { problems.append("line 1: no 'step' column in the header") }
            columns = names.indices.map { $0 == stepColumn ? -1 : log.tags.id(names[$0]) }
            return
        }
        guard stepColumn >= 0, !line.isEmpty else { return }
        let cells = Self.fields(line)
        guard cells.count <= columns.count else {
            problems.append("line \(number): \(cells.count) cells, the header has \(columns.count)")
            return
        }
        guard stepColumn < cells.count, let step = Self.integer(cells[stepColumn]) else {
            problems.append("line \(number): no integer step")
            return
        }
        var row: [(Int32, Double)] = []
        for (k, cell) in cells.enumerated() where k != stepColumn && !cell.isEmpty {
            guard let x = Double(cell) else {
                problems.append("line \(number): '\(cell.prefix(40))' is not a number")
                continue
            }
            row.append((columns[k], x))
        }
        row.sort { $0.0 < $1.0 }
        for (tag, x) in row { log.append(step: step, wallTime: 0, tag: tag, value: x) }
    }

    /// A step written as an integer (or as an integral float, "12.0").
    static func integer(_ text: String) -> Int? {
        if let n = Int(text) { return n }
        guard let x = Double(text), x.rounded() == x, abs(x) < 9e15 else { return nil }
        return Int(x)
    }

    /// The fields of one CSV line (RFC 4180 quoting: "a ""b""" is a "b"); spaces around fields are kept.
    static func fields(_ line: UnsafeRawBufferPointer) -> [String] {
        var out: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var k = 0
        while k < line.count {
            let c = line[k]
            if quoted {
                if c == 0x22 {
                    if k + 1 < line.count && line[k + 1] == 0x22 {
                        field.append(0x22)
                        k += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == 0x22 && field.isEmpty {
                quoted = true
            } else if c == 0x2C {
                out.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else {
                field.append(c)
            }
            k += 1
        }
        out.append(String(decoding: field, as: UTF8.self))
        return out
    }
}
