/// A line that is not a valid record; `description` is one line a user can act on.
public struct RunDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Converts records to and from the JSON-lines text of a run file (format v1).
public enum RunCodec {
    // MARK: Encoding

    /// The record as one JSON line, without the trailing newline.
    public static func encode(_ record: RunRecord) -> String {
        JSONWriter.string(.object(jsonObject(record)))
    }

    public static func jsonObject(_ record: RunRecord) -> JSONObject {
        var o = JSONObject()
        switch record {
        case .header(let h):
            o.appendUnchecked("type", "header")
            o.appendUnchecked("format", .string(RunFormatVersion.format))
            o.appendUnchecked("version", .number(Double(RunFormatVersion.version)))
            o.appendUnchecked("created", .string(h.created))
            o.appendUnchecked("model", .string(h.model))
            o.appendUnchecked("config", .object(h.config))
            merge(h.extra, into: &o)
        case .metrics(let m):
            o.appendUnchecked("type", "metrics")
            o.appendUnchecked("step", .number(Double(m.step)))
            o.appendUnchecked("time_s", .number(m.timeSeconds))
            for v in m.values { o[v.name] = v.value.map(JSONValue.number) ?? .null }
            merge(m.extra, into: &o)
        case .mark(let m):
            o.appendUnchecked("type", "mark")
            o.appendUnchecked("step", .number(Double(m.step)))
            o.appendUnchecked("label", .string(m.label))
            if let c = m.checkpoint { o.appendUnchecked("checkpoint", .string(c)) }
            merge(m.extra, into: &o)
        case .event(let e):
            o.appendUnchecked("type", "event")
            o.appendUnchecked("kind", .string(e.kind))
            o.appendUnchecked("step", .number(Double(e.step)))
            merge(e.fields, into: &o)
        case .end(let e):
            o.appendUnchecked("type", "end")
            o.appendUnchecked("step", .number(Double(e.step)))
            o.appendUnchecked("reason", .string(e.reason.rawValue))
            merge(e.extra, into: &o)
        case .other(let type, let fields):
            o.appendUnchecked("type", .string(type))
            merge(fields, into: &o)
        }
        return o
    }

    private static func merge(_ extra: JSONObject, into o: inout JSONObject) {
        for (k, v) in extra where o[k] == nil { o.appendUnchecked(k, v) }
    }

    // MARK: Decoding

    /// Parses one line (without its newline) into a record.
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(RunDecodeError) -> RunRecord {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw RunDecodeError("invalid JSON: \(error)")
        }
        guard case .object(let o) = value else { throw RunDecodeError("expected a JSON object, found \(value.kindName)") }
        return try decode(o)
    }

    public static func decode(_ line: String) throws(RunDecodeError) -> RunRecord {
        var copy = line
        let result = copy.withUTF8 { buffer in Result { () throws(RunDecodeError) in try decode(buffer) } }
        return try result.get()
    }

    public static func decode(_ o: JSONObject) throws(RunDecodeError) -> RunRecord {
        guard let typeValue = o["type"] else { throw RunDecodeError("missing \"type\"") }
        guard let type = typeValue.string else { throw RunDecodeError("expected a string for \"type\", found \(typeValue.kindName)") }
        switch type {
        case "header":
            guard let format = o["format"]?.string, format == RunFormatVersion.format else {
                throw RunDecodeError("not a genwindow run (header \"format\" is not \"\(RunFormatVersion.format)\")")
            }
            guard let version = o["version"]?.int else { throw RunDecodeError("header lacks an integer \"version\"") }
            guard version == RunFormatVersion.version else {
                throw RunDecodeError("run format version \(version) is not supported (this genwindow reads version \(RunFormatVersion.version))")
            }
            let config = try field(o, "config", \.object, "an object")
            return .header(RunHeader(
                created: o["created"]?.string ?? "",
                model: try field(o, "model", \.string, "a string"),
                config: config,
                extra: rest(o, excluding: ["type", "format", "version", "created", "model", "config"])))
        case "metrics":
            var m = MetricsRecord(step: try step(o), timeSeconds: o["time_s"]?.double ?? 0)
            for (k, v) in o where k != "type" && k != "step" && k != "time_s" {
                switch v {
                case .number(let x): m.values.append((k, x))
                case .null: m.values.append((k, nil))
                default: m.extra.appendUnchecked(k, v)
                }
            }
            return .metrics(m)
        case "mark":
            let label = o["label"].flatMap(\.string) ?? ""
            return .mark(MarkRecord(step: try step(o), label: label, checkpoint: o["checkpoint"]?.string,
                                    extra: rest(o, excluding: ["type", "step", "label", "checkpoint"])))
        case "event":
            return .event(EventRecord(kind: try field(o, "kind", \.string, "a string"), step: try step(o),
                                      fields: rest(o, excluding: ["type", "kind", "step"])))
        case "end":
            let reasonText = try field(o, "reason", \.string, "a string")
            guard let reason = EndReason(rawValue: reasonText) else {
                throw RunDecodeError("unknown end reason \"\(reasonText)\"")
            }
            return .end(EndRecord(step: try step(o), reason: reason, extra: rest(o, excluding: ["type", "step", "reason"])))
        default:
            return .other(type: type, fields: rest(o, excluding: ["type"]))
        }
    }

    private static func step(_ o: JSONObject) throws(RunDecodeError) -> Int {
        guard let v = o["step"] else { throw RunDecodeError("missing \"step\"") }
        guard let s = v.int, s >= 0 else {
            throw RunDecodeError("expected a non-negative integer for \"step\", found \(JSONWriter.string(v).prefix(40))")
        }
        return s
    }

    private static func field<T>(_ o: JSONObject, _ key: String, _ path: KeyPath<JSONValue, T?>, _ what: String) throws(RunDecodeError) -> T {
        guard let v = o[key] else { throw RunDecodeError("missing \"\(key)\"") }
        guard let t = v[keyPath: path] else { throw RunDecodeError("expected \(what) for \"\(key)\", found \(v.kindName)") }
        return t
    }

    private static func rest(_ o: JSONObject, excluding keys: Set<String>) -> JSONObject {
        var r = JSONObject()
        for (k, v) in o where !keys.contains(k) { r.appendUnchecked(k, v) }
        return r
    }
}
