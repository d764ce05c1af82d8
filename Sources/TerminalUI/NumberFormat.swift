import Foundation

/// Short, readable numbers for axes and legends.
public enum NumberFormat {
    /// Step counts and other large numbers: `950`, `1k`, `10k`, `1.2M`, `3.5G`. Non-integral values below
    /// 1000 keep up to three significant digits.
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let a = abs(v)
        let sign = v < 0 ? "-" : ""
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where a >= scale * 0.9995 {
            return sign + significant(a / scale, digits: a / scale >= 100 ? 3 : 2) + suffix
        }
        return sign + significant(a, digits: 3)
    }

    /// Measured values (losses, fractions, FID): three significant digits, exponent form below 1e-3 or at or
    /// above 1e5.
    public static func value(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if v == 0 { return "0" }
        let a = abs(v)
        if a < 1e-3 || a >= 1e5 {
            let e = Int(floor(log10(a)))
            var m = v / pow(10, Double(e))
            var exp = e
            if abs((m * 100).rounded() / 100) >= 10 { m /= 10; exp += 1 }
            return significant(m, digits: 2) + "e" + String(exp)
        }
        return significant(v, digits: 3)
    }

    /// `v` rounded to `digits` significant digits, without trailing zeros.
    static func significant(_ v: Double, digits: Int) -> String {
        if v == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(v))))
        let decimals = max(0, digits - 1 - magnitude)
        var s = String(format: "%.\(decimals)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }
}
