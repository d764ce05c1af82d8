import Dashboard
import RunFormat
import Synchronization

/// Events handed to the dashboard thread from other threads (pushing sources such as a live training job).
/// Progress coalesces (only the newest matters), everything else is kept. Posting never blocks on the
/// dashboard. The dashboard thread is woken only when it asked to be (`arm`, before it waits): a busy stream
/// costs at most one wake-up per wait.
public final class SessionMailbox: Sendable {
    private struct Inbox {
        var events: [SessionEvent] = []
        var waker: (@Sendable () -> Void)?
        var armed = true
    }
    private let inbox = Mutex(Inbox())

    public init() {}

    public func post(_ event: SessionEvent) {
        let waker = inbox.withLock { box -> (@Sendable () -> Void)? in
            if SessionMailbox.isProgress(event), let last = box.events.last, SessionMailbox.isProgress(last) { box.events.removeLast() }
            box.events.append(event)
            guard box.armed else { return nil }
            box.armed = false
            return box.waker
        }
        waker?()
    }

    /// Sets what wakes the waiting dashboard thread.
    public func connect(_ waker: @escaping @Sendable () -> Void) { inbox.withLock { $0.waker = waker } }

    /// Asks for a wake-up at the next post; false (and not armed) when events are already waiting.
    public func arm() -> Bool {
        inbox.withLock { box in
            box.armed = box.events.isEmpty
            return box.armed
        }
    }

    public func take() -> [SessionEvent] {
        inbox.withLock { box in
            defer { box.events.removeAll() }
            return box.events
        }
    }

    private static func isProgress(_ event: SessionEvent) -> Bool {
        guard case .updates(_, let updates) = event, updates.count == 1, case .progress = updates[0].change else { return false }
        return true
    }
}
