import RunFormat

/// Reads JSON lines of flat objects with an integer `step` key: every other numeric key is a scalar at that
/// step (null: a non-finite value); strings, booleans and nested values are skipped.
public struct JSONLinesLogReader {
    private var lines = LineBuffer()
    public private(set) var problems: [String] = []

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into log: inout ScalarLog) {
        var splitter = lines
        lines = LineBuffer()
        splitter.feed(bytes) { line, number in self.line(line, number, &log) }
        lines = splitter
    }

    private mutating func line(_ line: UnsafeRawBufferPointer, _ number: Int, _ log: inout ScalarLog) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line.assumingMemoryBound(to: UInt8.self))
        } catch {
            problems.append("line \(number): invalid JSON: \(error)")
            return
        }
        guard let o = value.object else {
            problems.append("line \(number): expected a JSON object, found \(value.kindName)")
            return
        }
        guard let step = o["step"]?.int else {
            problems.append("line \(number): no integer \"step\"")
            return
        }
        for (key, v) in o where key != "step" {
            switch v {
            case .number(let x): log.append(step: step, wallTime: 0, tag: log.tags.id(key), value: x)
            case .null: log.append(step: step, wallTime: 0, tag: log.tags.id(key), value: .nan)
            default: break
            }
        }
    }
}
