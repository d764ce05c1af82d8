import RunFormat
import Testing

@Suite("JSON parser and writer")
struct JSONTests {
    @Test("parses every JSON value kind")
    func kinds() throws {
        let v = try JSONParser.parse(#" {"a": [1, -2.5e3, 0.125, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(v == ["a": [1, -2500, 0.125, true, false, nil], "b": ["c": "d"], "e": ""])
    }

    @Test("numbers round-trip exactly through the writer", arguments: [
        0.0, 1, -1, 0.1, 1e-5, 123456789, 1.7976931348623157e308, Double.leastNonzeroMagnitude, 2.2250738585072014e-308,
        0.30000000000000004, 9007199254740992, 9007199254740994, 1e23, -3.14159e-7, 123.456e10,
    ])
    func numberRoundTrip(x: Double) throws {
        let text = JSONWriter.string(.number(x))
        #expect(try JSONParser.parse(text).double == x, "\(text)")
    }

    @Test("long mantissas and big exponents use correct rounding")
    func hardNumbers() throws {
        #expect(try JSONParser.parse("3.141592653589793238462643383279").double == 3.141592653589793)
        #expect(try JSONParser.parse("1e400").double == .infinity)
        #expect(try JSONParser.parse("1e-400").double == 0)
        #expect(try JSONParser.parse("-0").double == 0)
        #expect(try JSONParser.parse("12345678901234567890123").double == 1.2345678901234568e22)
    }

    @Test("integers are written without a fraction; non-finite numbers as null")
    func writerNumbers() {
        #expect(JSONWriter.string(.number(42)) == "42")
        #expect(JSONWriter.string(.number(-0.5)) == "-0.5")
        #expect(JSONWriter.string(.number(.nan)) == "null")
        #expect(JSONWriter.string(.number(-.infinity)) == "null")
    }

    @Test("strings: escapes, unicode, surrogate pairs, control characters escaped on output")
    func strings() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try JSONParser.parse("\"ünï ✓\"") == .string("ünï ✓"))
        let hostile = "x\u{1B}]52;c;evil\u{07}\u{1B}[2J\u{9B}y"
        let written = JSONWriter.string(.string(hostile))
        #expect(!written.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(try JSONParser.parse(written) == .string(hostile))
    }

    @Test("objects keep key order; a repeated key keeps its first position with the last value")
    func order() throws {
        let v = try JSONParser.parse(#"{"z":1,"a":2,"z":3}"#)
        #expect(v.object?.keys == ["z", "a"])
        #expect(v.object?["z"] == 3)
        #expect(JSONWriter.string(v) == #"{"z":3,"a":2}"#)
    }

    static let invalid: [(String, String)] = [
        ("", "unexpected end"), ("{", "expected a string key"), (#"{"a":1"#, "unexpected end"),
        ("[1,]", "unexpected character"), ("01", "unexpected text"), ("1.", "invalid number"),
        ("-", "invalid number"), ("tru", "unexpected end"), ("nul!", "invalid literal"),
        (#""abc"#, "unterminated string"), ("\"a\u{01}b\"", "control character"), (#""\x""#, "invalid escape"),
        (#""\ud800""#, "unpaired surrogate"), (#""\udc00x""#, "unpaired surrogate"), ("{} {}", "unexpected text"),
        (#"{"a" 1}"#, "expected ':'"), ("[1 2]", "expected ',' or ']'"), ("NaN", "unexpected character"),
    ]

    @Test("invalid JSON is rejected with a reason", arguments: invalid)
    func rejects(text: String, reason: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(reason), "\(text): \(error)")
        }
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        for bad: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
            let result = bad.withUnsafeBufferPointer { buf in Result { () throws(JSONParseError) in try JSONParser.parse(buf) } }
            if case .success = result { Issue.record("accepted \(bad)") }
        }
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func deepNesting() throws {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(ok)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let deepObjects = String(repeating: #"{"a":"#, count: 1000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deepObjects) }
    }
}
