@preconcurrency import CNCursesW
import TerminalUI
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The terminal could not be set up.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// The only code that calls ncurses: sets the terminal up, copies cell buffers to it, reads keys, and restores
/// it on every exit path. Use it from one thread only (ncurses is not thread-safe); other threads reach the
/// loop through `waker`.
public final class CursesTerminal: TerminalDevice {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Unicode when the locale's codeset is UTF-8, else ASCII.
    public let glyphs: GlyphSet
    /// Colours available (0 when colour is off: NO_COLOR, or a terminal without colour).
    public let colorCount: Int
    /// True once stdin hung up (the terminal is gone).
    public private(set) var hungUp = false
    /// Writes one byte on the wake pipe.
    public let waker: @Sendable () -> Void
    /// The terminfo entry in use, and a one-line notice when it is not TERM's own (a fallback).
    public let terminalType: String
    public let notice: String?

    private let screen: OpaquePointer
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var previous: CellBuffer?
    private var pairs: [Int64: Int32] = [:]
    private var nextPair: Int32 = 1
    private var active = true

    /// Sets the terminal up: `setlocale` first (ncursesw needs it for UTF-8), signal handlers before ncurses
    /// (so it leaves them alone), then raw mode, no echo, keypad, `set_escdelay(25)`, hidden cursor and
    /// default colours. The terminfo entry is the first of `TerminalType.candidates` this machine has (TERM's
    /// own, its `-direct` variant under COLORTERM=truecolor, or a fallback such as xterm-256color, vt100).
    public init(useColor: Bool, environment: [String: String]) throws {
        // The thread that owns the terminal shows as gw-dashboard in `top -H` and per-thread CPU figures.
        gw_name_this_thread("gw-dashboard")
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        glyphs = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" ? .unicode : .ascii
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError(message: "cannot create a pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let wakeFD = fds[1]
        waker = {
            var b: UInt8 = 1
            _ = write(wakeFD, &b, 1)
        }
        SignalTraps.install(wakeFD: wakeWrite)
        let term = environment["TERM"] ?? ""
        var opened: (OpaquePointer, String)?
        for name in TerminalType.candidates(environment: environment) {
            if let s = newterm(name, stdout, stdin) {
                opened = (s, name)
                break
            }
        }
        guard let (s, name) = opened else {
            SignalTraps.remove()
            close(fds[0]); close(fds[1])
            throw TerminalError(message: "cannot initialize the terminal (TERM=\(term))")
        }
        screen = s
        terminalType = name
        notice = TerminalType.notice(term: term, using: name)
        raw()
        noecho()
        nonl()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        set_escdelay(25)
        curs_set(0)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(COLORS)
        } else {
            colorCount = 0
        }
        width = Int(gw_getmaxx(stdscr))
        height = Int(gw_getmaxy(stdscr))
    }

    deinit { restore() }

    /// Gives the terminal back (endwin) and removes the signal handlers. Safe to call more than once.
    public func restore() {
        guard active else { return }
        active = false
        endwin()
        delscreen(screen)
        fflush(stdout)
        SignalTraps.remove()
        close(wakeRead)
        close(wakeWrite)
    }

    /// Copies `buffer` to the screen: only cells that differ from the last frame are written, then one
    /// `wnoutrefresh` + `doupdate` (ncurses sends the minimal update).
    public func present(_ buffer: CellBuffer) {
        let reuse = previous.map { $0.width == buffer.width && $0.height == buffer.height } ?? false
        let h = min(buffer.height, height), w = min(buffer.width, width)
        buffer.cells.withUnsafeBufferPointer { cells in
            for y in 0..<h {
                for x in 0..<w {
                    let cell = cells[y * buffer.width + x]
                    if reuse, previous![x, y] == cell { continue }
                    put(cell, x: x, y: y)
                }
            }
        }
        previous = buffer
        wnoutrefresh(stdscr)
        doupdate()
    }

    /// Makes the next `present` repaint every cell and the terminal clear first (Ctrl-L).
    public func forceRepaint() {
        previous = nil
        clearok(curscr, true)
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var cc = cchar_t()
        var wch: [wchar_t] = [wchar_t(bitPattern: cell.scalar.value), 0]
        var pair = colorCount > 0 ? pairNumber(cell.style) : 0
        _ = setcchar(&cc, &wch, attributes(cell.style.attributes), 0, &pair)
        _ = mvwadd_wch(stdscr, Int32(y), Int32(x), &cc)
    }

    private func attributes(_ a: TextAttributes) -> attr_t {
        var r = gw_attr_normal()
        if a.contains(.bold) { r |= gw_attr_bold() }
        if a.contains(.dim) { r |= gw_attr_dim() }
        if a.contains(.underline) { r |= gw_attr_underline() }
        if a.contains(.reverse) { r |= gw_attr_reverse() }
        if a.contains(.italic) { r |= gw_attr_italic() }
        return r
    }

    /// The colour pair for a style's colours, allocated on first use; pair 0 when the terminal has run out.
    /// Colours go out as `TerminalType.cursesColor` maps them: palette entries on palette terminals, RGB
    /// values on direct-colour (`-direct`) ones.
    private func pairNumber(_ style: Style) -> Int32 {
        let fg = TerminalType.cursesColor(style.foreground, colors: colorCount)
        let bg = TerminalType.cursesColor(style.background, colors: colorCount)
        if fg < 0 && bg < 0 { return 0 }
        let key = Int64(fg + 1) << 32 | Int64(bg + 1)
        if let p = pairs[key] { return p }
        guard nextPair < COLOR_PAIRS else { return 0 }
        let p = nextPair
        guard init_extended_pair(p, fg, bg) == OK else { return 0 }
        nextPair += 1
        pairs[key] = p
        return p
    }

    /// Blocks until a key, a signal or a wake-up arrives, or `timeout` seconds pass (nil: no timeout).
    /// Waits in poll(2), never in ncurses, so the wake pipe can interrupt it.
    public func wait(timeout: Double?) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ms: Int32 = timeout.map { Int32(min(max($0 * 1000, 0).rounded(.up), 3_600_000)) } ?? -1
        let n = poll(&fds, 2, ms)
        if n > 0 && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && fds[0].revents & Int16(POLLIN) == 0 {
            hungUp = true
        }
        var drain = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &drain, drain.count) > 0 {}
    }

    /// The keys typed since the last call, then one `.resize` (with the new size applied) if SIGWINCH arrived
    /// or curses reported KEY_RESIZE. The size is applied once per call, after reading: `resizeterm` queues a
    /// KEY_RESIZE of its own while the size keeps changing, so applying it for each KEY_RESIZE read spun
    /// forever in a storm of resizes (the loop never reached `q`).
    public func readInput() -> [TerminalInput] {
        var out: [TerminalInput] = []
        var resized = SignalTraps.takeResize()
        var code: wint_t = 0
        for _ in 0..<Self.maximumKeysPerRead {
            let status = wget_wch(stdscr, &code)
            if status == ERR { break }
            guard let input = KeyDecoder.decode(status: status, code: UInt32(code)) else { continue }
            if input == .resize {
                resized = true
            } else {
                out.append(input)
            }
        }
        if resized {
            applyWindowSize()
            out.append(.resize)
        }
        return out
    }

    /// Keys taken per call at most, so a flood of input cannot starve drawing and signals.
    static let maximumKeysPerRead = 256

    /// A terminating signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) received since the last call; SIGHUP once stdin
    /// hung up (the terminal is gone).
    public func takeTerminatingSignal() -> Int32? { SignalTraps.takeTerminate() ?? (hungUp ? SIGHUP : nil) }

    public func bell() { beep() }

    /// Stops the process until it is continued (Ctrl-Z): the terminal is restored meanwhile and repainted after.
    public func suspend() {
        endwin()
        fflush(stdout)
        kill(getpid(), SIGSTOP)
        applyWindowSize()
        forceRepaint()
    }

    private func applyWindowSize() {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        width = Int(gw_getmaxx(stdscr))
        height = Int(gw_getmaxy(stdscr))
        previous = nil
    }
}
