/// Decides when to draw: at most one frame per `minimumInterval` while something changes, none while nothing
/// does. A value type driven by explicit times, so it is tested with a manual clock.
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
    public private(set) var isDirty = true
    private var lastFrame: Double?

    public init(minimumInterval: Double = 0.05) {
        self.minimumInterval = minimumInterval
    }

    /// Notes that the state changed and the screen is out of date.
    public mutating func invalidate() { isDirty = true }

    public func decide(now: Double) -> Decision {
        guard isDirty else { return .idle }
        guard let lastFrame, now - lastFrame < minimumInterval else { return .renderNow }
        return .wait(until: lastFrame + minimumInterval)
    }

    public mutating func didRender(at now: Double) {
        isDirty = false
        lastFrame = now
    }
}
