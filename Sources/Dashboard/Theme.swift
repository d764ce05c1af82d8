import Phases
import TerminalUI

/// The styles the dashboard draws with; `monochrome` keeps only attributes (NO_COLOR, terminals without
/// colour). Theme files (`ThemeFile`) override any of them by key.
public struct Theme: Sendable, Equatable {
    public var text: Style
    public var dim: Style
    public var border: Style
    public var header: Style
    public var footer: Style
    public var warning: Style
    /// One style per loss series (train, test, gen), in that order.
    public var lines: [Style]
    /// The raw line behind a smoothed one.
    public var raw: Style
    public var window: Color
    public var mark: Style
    /// The suggested early-stopping step (an `early_stop` event): a mark the user did not set.
    public var suggested: Style
    public var cursor: Style
    public var memorization: Style
    public var generalization: Style
    public var regularization: Style
    /// The ratio label of a sample judged memorized (d1/d2 below the threshold).
    public var memorized: Style

    public static let color = Theme(
        text: .plain, dim: Style(attributes: .dim), border: Style(foreground: .gray(10)),
        header: Style(foreground: .gray(23), background: .gray(4), attributes: .bold),
        footer: Style(foreground: .gray(16), background: .gray(3)),
        warning: Style(foreground: .palette(214), attributes: .bold),
        lines: [Style(foreground: .palette(45)), Style(foreground: .palette(213)), Style(foreground: .palette(113))],
        raw: Style(foreground: .gray(8)),
        window: .palette(22),
        mark: Style(foreground: .palette(220)),
        suggested: Style(foreground: .palette(141), attributes: .bold),
        cursor: Style(foreground: .gray(20), attributes: .bold),
        memorization: Style(foreground: .palette(203), background: .palette(52)),
        generalization: Style(foreground: .palette(120), background: .palette(22)),
        regularization: Style(foreground: .palette(117), background: .palette(24)),
        memorized: Style(foreground: .palette(231), background: .palette(160), attributes: .bold))

    public static let monochrome = Theme(
        text: .plain, dim: Style(attributes: .dim), border: .plain,
        header: Style(attributes: [.bold, .reverse]), footer: Style(attributes: .reverse),
        warning: Style(attributes: [.bold, .underline]),
        lines: [Style(attributes: .bold), .plain, Style(attributes: .underline)],
        raw: Style(attributes: .dim), window: .default, mark: Style(attributes: .bold),
        suggested: Style(attributes: [.bold, .underline]), cursor: Style(attributes: .bold),
        memorization: Style(attributes: .bold), generalization: .plain, regularization: Style(attributes: .dim),
        memorized: Style(attributes: [.bold, .reverse]))

    /// The theme as a terminal without colour shows it: colours dropped, attributes kept; a style left with
    /// nothing to tell it apart takes its monochrome counterpart's attributes.
    public func withoutColor() -> Theme {
        var t = self
        let mono = Theme.monochrome
        for key in ThemeFile.keys where key != "window" {
            let style = t[style: key]!
            let stripped = Style(attributes: style.attributes)
            t[style: key] = stripped.attributes.isEmpty ? mono[style: key]! : stripped
        }
        t.window = .default
        return t
    }

    /// The glyph a heatmap cell of `region` is drawn with (distinct without colour too).
    public func glyph(for region: PhaseRegion?, glyphs: GlyphSet) -> Unicode.Scalar {
        switch region {
        case .memorization: glyphs.braille ? "▓" : "M"
        case .generalization: glyphs.braille ? "░" : "G"
        case .architectural: glyphs.braille ? "▒" : "A"
        case .undetermined, nil: "?"
        case .unfinished: glyphs.braille ? "·" : "."
        }
    }

    public func style(for region: PhaseRegion?) -> Style {
        switch region {
        case .memorization: memorization
        case .generalization: generalization
        case .architectural: regularization
        case .undetermined, .unfinished, nil: dim
        }
    }
}
