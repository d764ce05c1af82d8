#if canImport(Glibc)
import Glibc
#endif

// State shared with signal handlers. Written before the handlers are installed; the handlers only store
// integers and call write(2), which is async-signal-safe.
nonisolated(unsafe) private var wakeWriteFD: Int32 = -1
nonisolated(unsafe) private var pendingTerminate: Int32 = 0
nonisolated(unsafe) private var pendingResize: Int32 = 0
/// Heap storage rather than a Swift global: AddressSanitizer registers a global `termios` as 57 bytes, and
/// tcgetattr writes all 60 of glibc's struct into it (a global-buffer-overflow report on every dashboard start).
nonisolated(unsafe) private let savedTermios: UnsafeMutablePointer<termios> = {
    let p = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    p.initialize(to: termios())
    return p
}()
nonisolated(unsafe) private var haveSavedTermios = false
/// Previous actions, indexed by signal number, so crash handlers can chain to them.
nonisolated(unsafe) private let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
/// ESC[?1049l (leave the alternate screen), ESC[?25h (show the cursor), ESC[0m (reset attributes).
nonisolated(unsafe) private let resetSequence: UnsafeMutablePointer<UInt8> = {
    let bytes: [UInt8] = Array("\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n".utf8)
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
    p.initialize(from: bytes, count: bytes.count)
    return p
}()
private let resetSequenceLength = "\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n".utf8.count

private func wakeFromHandler() {
    var b: UInt8 = 1
    _ = write(wakeWriteFD, &b, 1)
}

private let terminateHandler: @convention(c) (Int32) -> Void = { sig in
    pendingTerminate = sig
    wakeFromHandler()
}

private let resizeHandler: @convention(c) (Int32) -> Void = { _ in
    pendingResize = 1
    wakeFromHandler()
}

/// On a crash: put the terminal back (alternate screen off, cursor on, saved termios), then let the previous
/// handler (the Swift runtime's backtracer, or the default action) run.
private let crashHandler: @convention(c) (Int32) -> Void = { sig in
    _ = write(STDOUT_FILENO, resetSequence, resetSequenceLength)
    if haveSavedTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, savedTermios) }
    _ = sigaction(sig, previousActions + Int(sig), nil)
    _ = raise(sig)
}

/// Installs and removes the dashboard's signal handlers.
///
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT become a "terminate" flag plus a byte on the wake pipe, so the event
/// loop restores the terminal and ends in order. SIGWINCH becomes a "resize" flag (ncurses then installs no
/// handler of its own, so the loop calls `resizeterm`). Crash signals restore the terminal and chain on.
enum SignalTraps {
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let crashing: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    static func install(wakeFD: Int32) {
        wakeWriteFD = wakeFD
        pendingTerminate = 0
        pendingResize = 0
        haveSavedTermios = tcgetattr(STDIN_FILENO, savedTermios) == 0
        for sig in terminating { set(sig, terminateHandler, flags: 0) }
        set(SIGWINCH, resizeHandler, flags: 0)
        for sig in crashing { set(sig, crashHandler, flags: Int32(truncatingIfNeeded: SA_RESETHAND)) }
    }

    static func remove() {
        for sig in terminating + crashing + [SIGWINCH] { _ = sigaction(sig, previousActions + Int(sig), nil) }
        wakeWriteFD = -1
    }

    /// The terminating signal received since the last call, if any.
    static func takeTerminate() -> Int32? {
        let s = pendingTerminate
        pendingTerminate = 0
        return s == 0 ? nil : s
    }

    static func takeResize() -> Bool {
        let r = pendingResize != 0
        pendingResize = 0
        return r
    }

    private static func set(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void, flags: Int32) {
        var sa = sigaction()
        sa.__sigaction_handler.sa_handler = handler
        sigemptyset(&sa.sa_mask)
        sa.sa_flags = flags
        _ = sigaction(sig, &sa, previousActions + Int(sig))
    }
}
