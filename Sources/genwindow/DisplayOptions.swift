import ArgumentParser
import Dashboard
import Foundation
import TerminalUI

/// Options of every command that shows the dashboard: the theme and the ASCII fallback.
struct DisplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Colour theme: a name (default, light, solarized-dark, mono) or a theme file path.",
        discussion: "Names are looked up as NAME.theme in ./themes, $XDG_CONFIG_HOME/genwindow/themes and the themes installed beside the program."))
    var theme: String?

    @Flag(help: "ASCII only: no braille, blocks or other non-ASCII characters (automatic when the locale is not UTF-8).")
    var ascii = false

    /// The chosen theme (the built-in dark theme without `--theme`); a missing or bad file is a one-line error.
    func resolvedTheme() throws -> Theme {
        guard let theme else { return .color }
        let path = try ThemeSearch.locate(theme)
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw RuntimeError("\(Sanitize.text(path)): cannot read the theme file")
        }
        do {
            return try ThemeFile.parse(bytes: [UInt8](bytes), file: path)
        } catch {
            throw RuntimeError("\(error)")
        }
    }

    /// What the dashboard needs: the theme and whether ASCII is forced.
    func settings() throws -> DisplaySettings { DisplaySettings(theme: try resolvedTheme(), forceASCII: ascii) }
}

/// The display choices a dashboard session starts with.
struct DisplaySettings: Sendable {
    var theme: Theme
    var forceASCII: Bool

    static let standard = DisplaySettings(theme: .color, forceASCII: false)
}

/// Where theme names are looked up: a path as given, then `./themes`, `$XDG_CONFIG_HOME/genwindow/themes`
/// (`~/.config` when unset), the themes installed beside the binary (`BIN/themes`, `BIN/../share/genwindow/themes`),
/// and when the binary runs from a build folder, the themes/ of the package it was built from.
enum ThemeSearch {
    static func directories(environment env: [String: String] = ProcessInfo.processInfo.environment,
                            executable: String = CommandLine.arguments[0]) -> [String] {
        var dirs = ["themes"]
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty {
            dirs.append(xdg + "/genwindow/themes")
        } else if let home = env["HOME"], !home.isEmpty {
            dirs.append(home + "/.config/genwindow/themes")
        }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(binary.appendingPathComponent("themes").path)
        dirs.append(binary.deletingLastPathComponent().appendingPathComponent("share/genwindow/themes").path)
        var dir = binary
        for _ in 0..<5 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                dirs.append(dir.appendingPathComponent("themes").path)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        return dirs
    }

    /// The file `nameOrPath` refers to.
    static func locate(_ nameOrPath: String, directories: [String] = directories()) throws -> String {
        if nameOrPath.contains("/") || FileManager.default.fileExists(atPath: nameOrPath) {
            guard FileManager.default.fileExists(atPath: nameOrPath) else { throw RuntimeError("\(nameOrPath): no such theme file") }
            return nameOrPath
        }
        for dir in directories {
            for file in [nameOrPath + ".theme", nameOrPath] {
                let path = (dir as NSString).appendingPathComponent(file)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { return path }
            }
        }
        throw RuntimeError("no theme \"\(nameOrPath)\" in \(directories.joined(separator: ", "))")
    }
}

/// The options `replay` and `watch` share: a sweep folder for the phase diagram and the tau_mem forecast, and
/// the display options.
struct ViewerOptions: ParsableArguments {
    @Option(help: "A sweep folder of runs (from `genwindow sweep`) to fill the n × p phase diagram and forecast tau_mem (∝ n).")
    var sweep: String?

    @OptionGroup var display: DisplayOptions

    /// The sweep folder read once, nil without `--sweep`.
    func sweepFolder() throws -> SweepSnapshot? { try sweep.map(SweepFolder.read) }
}
