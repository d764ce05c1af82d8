import TerminalUI

/// A terminal for tests: keys and other inputs arrive at scripted times of a manual clock, every presented frame
/// is kept, and waiting moves the clock instead of sleeping — so a dashboard loop runs in-process, fast and
/// deterministic.
public final class TestTerminal: TerminalDevice {
    /// Something that happens at a scripted time.
    public enum Step {
        case key(Key)
        case resize(width: Int, height: Int)
        /// A terminating signal (e.g. SIGTERM = 15).
        case signal(Int32)
        /// Anything else: writing to a followed file, checking a frame.
        case action(() -> Void)
    }

    public private(set) var width: Int
    public private(set) var height: Int
    /// Every frame presented, oldest first.
    public private(set) var frames: [CellBuffer] = []
    /// The manual clock (seconds): `wait` advances it.
    public private(set) var now: Double = 0
    public private(set) var restored = false
    public private(set) var repaints = 0
    public private(set) var suspensions = 0
    public private(set) var bells = 0
    /// True when the loop waited with nothing left to happen (the script ran out): it was then sent SIGTERM.
    public private(set) var ranOutOfScript = false
    public let waker: @Sendable () -> Void = {}

    private var script: [(time: Double, step: Step)]
    private var pendingSignal: Int32?
    /// The time after the script's last step at which the loop is sent SIGTERM.
    private let end: Double

    /// `script`: (time, step) pairs in any order; steps at equal times keep their order.
    public init(width: Int = 120, height: Int = 36, script: [(Double, Step)], grace: Double = 30) {
        self.width = width
        self.height = height
        self.script = script.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { (time: $0.element.0, step: $0.element.1) }
        end = (self.script.last?.time ?? 0) + grace
    }

    public var lastFrame: CellBuffer? { frames.last }

    public func present(_ buffer: CellBuffer) { frames.append(buffer) }

    public func forceRepaint() { repaints += 1 }

    /// Moves the clock to the next scripted step or by `timeout`, whichever comes first.
    public func wait(timeout: Double?) {
        if pendingSignal != nil { return }
        let next = script.first?.time ?? end
        now = max(now, min(timeout.map { now + $0 } ?? .infinity, next))
        if script.isEmpty && now >= end {
            ranOutOfScript = true
            pendingSignal = 15
        }
    }

    public func readInput() -> [TerminalInput] {
        var out: [TerminalInput] = []
        while let first = script.first, first.time <= now {
            script.removeFirst()
            switch first.step {
            case .key(let k): out.append(.key(k))
            case .resize(let w, let h):
                width = w
                height = h
                out.append(.resize)
            case .signal(let s): pendingSignal = s
            case .action(let f): f()
            }
        }
        return out
    }

    public func takeTerminatingSignal() -> Int32? {
        defer { pendingSignal = nil }
        return pendingSignal
    }

    public func suspend() { suspensions += 1 }

    public func bell() { bells += 1 }

    public func restore() { restored = true }
}
