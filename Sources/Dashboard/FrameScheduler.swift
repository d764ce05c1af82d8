/// Decides when to draw: at most one frame per `minimumInterval` while something changes, none while nothing
/// does, and at most one per `routineInterval` while only routine counters change (the step, elapsed time and
/// rate that training reports ten times a second): every frame takes the CPU from a BLAS thread for a moment,
/// and the other BLAS thread waits for it. A value type driven by explicit times, tested with a manual clock.
public struct FrameScheduler: Sendable {
    public enum Decision: Equatable, Sendable {
        /// Draw now, then call `didRender(at:)`.
        case renderNow
        /// Something changed; wait until this time (seconds, same clock) before drawing.
        case wait(until: Double)
        /// Nothing to draw: block until an event arrives.
        case idle
    }

    /// Seconds between frames at most (0.05 = 20 frames per second).
    public let minimumInterval: Double
    /// Seconds between frames at most while only routine counters change (0.25 = 4 frames per second).
    public let routineInterval: Double
    public private(set) var isDirty = true
    private var isUrgent = true
    private var lastFrame: Double?

    public init(minimumInterval: Double = 0.05, routineInterval: Double = 0.25) {
        self.minimumInterval = minimumInterval
        self.routineInterval = max(routineInterval, minimumInterval)
    }

    /// Notes that the state changed (new records, a key, a resize) and the screen is out of date.
    public mutating func invalidate() {
        isDirty = true
        isUrgent = true
    }

    /// Notes that only routine counters changed.
    public mutating func invalidateRoutine() { isDirty = true }

    public func decide(now: Double) -> Decision {
        guard isDirty else { return .idle }
        let interval = isUrgent ? minimumInterval : routineInterval
        guard let lastFrame, now - lastFrame < interval else { return .renderNow }
        return .wait(until: lastFrame + interval)
    }

    public mutating func didRender(at now: Double) {
        isDirty = false
        isUrgent = false
        lastFrame = now
    }
}
