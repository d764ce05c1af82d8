/// What a terminal reported: a key, or a change of size (the device's `width` and `height` are the new ones).
public enum TerminalInput: Equatable, Sendable {
    case key(Key)
    case resize
}

/// A screen to draw cell buffers on and a keyboard to read: the curses terminal, or a scripted one in tests.
/// Used from one thread only; other threads reach a waiting device through `waker`.
public protocol TerminalDevice: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Draws the buffer (a device may send only what changed since the last one).
    func present(_ buffer: CellBuffer)
    /// Repaints everything on the next `present` (Ctrl-L).
    func forceRepaint()
    /// Blocks until input, a wake-up or a signal arrives, or `timeout` seconds pass (nil: no timeout).
    func wait(timeout: Double?)
    /// The keys typed since the last call, then one `.resize` if the size changed.
    func readInput() -> [TerminalInput]
    /// A terminating signal received since the last call (SIGHUP when the terminal went away), else nil.
    func takeTerminatingSignal() -> Int32?
    /// Gives the terminal back and stops the process until it is continued (Ctrl-Z), then repaints.
    func suspend()
    /// Rings the terminal's bell.
    func bell()
    /// Restores the terminal for good; safe to call twice.
    func restore()
    /// Wakes a `wait` from another thread.
    var waker: @Sendable () -> Void { get }
}
