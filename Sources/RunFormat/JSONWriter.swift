/// Compact JSON serialization: one line, no spaces, keys in object order.
///
/// Non-finite numbers are written as `null` (JSON has no NaN or ∞); integral numbers below 2⁵³ are written
/// without a fraction so steps and counts read as integers in every JSON tool.
public enum JSONWriter {
    public static func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    public static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): writeNumber(x, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let obj):
            out += "{"
            var first = true
            for (key, v) in obj {
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(v, into: &out)
            }
            out += "}"
        }
    }

    public static func writeNumber(_ x: Double, into out: inout String) {
        if !x.isFinite {
            out += "null"
        } else if x == x.rounded(), abs(x) < 9.0e15 {
            out += String(Int64(x))
        } else {
            out += x.description
        }
    }

    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
