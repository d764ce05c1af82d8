import RunFormat

/// A filter over runs, typed in the runs pane or given to `ls --filter`: space-separated terms, all of which
/// must hold.
/// - `key=value`, `key!=value`: a header setting equals (or not) the value; numbers compare as numbers
///   (`n=64` matches 64.0), anything else as text.
/// - `key<value`, `key<=value`, `key>value`, `key>=value`: a numeric setting compared with a number.
/// - `/regex/`: the run's name matches the regular expression.
/// - any other word: a case-insensitive substring of the run's name.
/// A run without the setting a term names does not match it.
public struct RunQuery: Sendable, Equatable {
    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    public enum Term: Sendable, Equatable {
        case setting(key: String, comparison: Comparison, value: String)
        case nameMatches(pattern: String)
        case nameContains(String)
    }

    public let terms: [Term]
    public let text: String

    /// Parses `text`; the error is one line naming the term at fault.
    public init(_ text: String) throws(RunQueryError) {
        self.text = text
        var terms: [Term] = []
        for word in text.split(separator: " ").map(String.init) {
            if word.count >= 2 && word.hasPrefix("/") && word.hasSuffix("/") {
                let pattern = String(word.dropFirst().dropLast())
                guard (try? Regex(pattern)) != nil else { throw RunQueryError("\(word): not a regular expression") }
                terms.append(.nameMatches(pattern: pattern))
            } else if let term = try RunQuery.setting(word) {
                terms.append(term)
            } else {
                terms.append(.nameContains(word.lowercased()))
            }
        }
        self.terms = terms
    }

    /// A `key op value` term, nil when `word` has no comparison in it.
    private static func setting(_ word: String) throws(RunQueryError) -> Term? {
        // Two-character operators first, so `n>=64` is not read as `n>` `=64`.
        for op in [Comparison.notEqual, .lessOrEqual, .greaterOrEqual, .equal, .less, .greater] {
            guard let range = word.firstRange(of: op.rawValue) else { continue }
            let key = String(word[..<range.lowerBound]), value = String(word[range.upperBound...])
            guard !key.isEmpty, !value.isEmpty else { throw RunQueryError("\(word): a setting and a value on both sides of \(op.rawValue)") }
            if op != .equal && op != .notEqual && Double(value) == nil {
                throw RunQueryError("\(word): \(op.rawValue) compares numbers, \(value) is not one")
            }
            return .setting(key: key, comparison: op, value: value)
        }
        return nil
    }

    /// Whether a run named `name` with header settings `settings` passes every term.
    public func matches(name: String, settings: JSONObject) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .nameContains(let s): return name.lowercased().contains(s)
            case .nameMatches(let pattern):
                guard let regex = try? Regex(pattern) else { return false }
                return name.contains(regex)
            case .setting(let key, let comparison, let value):
                guard let actual = settings[key] else { return false }
                return RunQuery.compare(actual, comparison, value)
            }
        }
    }

    private static func compare(_ actual: JSONValue, _ comparison: Comparison, _ value: String) -> Bool {
        if let x = actual.double, let y = Double(value) {
            switch comparison {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            case .greaterOrEqual: return x >= y
            }
        }
        let text = RunSettings.text(actual)
        switch comparison {
        case .equal: return text == value
        case .notEqual: return text != value
        default: return false
        }
    }
}

/// A query that could not be parsed: one line for the status line or stderr.
public struct RunQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
