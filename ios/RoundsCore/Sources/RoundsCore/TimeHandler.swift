import Foundation
import SharedTypes

/// The clock and timers (ops are stamped with the time; sync retries and the minute tick wait
/// on timers).
///
/// `handle` answers the time at once; for a timer it suspends until the timer is due, and
/// answers `nil` (nothing to tell the core) if the core cleared it first.
public protocol TimeHandler: Sendable {
    func handle(_ request: TimeRequest) async -> TimeResponse?
}

/// ``TimeHandler`` over the system clock and `Task.sleep`, which is all the app needs while it
/// runs (reminders that must fire with the app closed are the ``NotifyHandler``'s).
///
/// A timer is a task sleeping under the timer's id; clearing the timer cancels that task, so a
/// cleared timer never answers.
///
/// A zero-length timer is the core yielding to the screen (the second step of a start reads
/// the rest of the stored data once the first screen is out): it answers after `nextFrame`,
/// which in the app waits for the next frame to be drawn. By default it answers at once.
public actor ClockTimeHandler: TimeHandler {
    private let now: @Sendable () -> Date
    private let nextFrame: @Sendable () async -> Void
    private var timers: [UInt64: Task<Void, Error>] = [:]

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        nextFrame: @escaping @Sendable () async -> Void = {}
    ) {
        self.now = now
        self.nextFrame = nextFrame
    }

    public func handle(_ request: TimeRequest) async -> TimeResponse? {
        switch request {
        case .now:
            return .now(instant: Self.instant(now()))
        case let .notifyAt(id, instant):
            let due = Double(instant.seconds) + Double(instant.nanos) / 1e9
            let seconds = due - now().timeIntervalSince1970
            // Capped so that a date far ahead cannot overflow the nanoseconds.
            let nanoseconds = UInt64(min(max(seconds, 0), 1e9) * 1e9)
            return await sleep(id, nanoseconds: nanoseconds) ? .instantArrived(id: id) : nil
        case let .notifyAfter(id, duration) where duration.nanos == 0:
            await nextFrame()
            return .durationElapsed(id: id)
        case let .notifyAfter(id, duration):
            return await sleep(id, nanoseconds: duration.nanos) ? .durationElapsed(id: id) : nil
        case let .clear(id):
            timers.removeValue(forKey: id.value)?.cancel()
            return .cleared(id: id)
        }
    }

    /// Whether the timer ran its course rather than being cleared.
    private func sleep(_ id: TimerId, nanoseconds: UInt64) async -> Bool {
        let timer = Task {
            try await Task.sleep(nanoseconds: nanoseconds)
        }
        timers[id.value] = timer
        let result = await timer.result
        // Only if it is still this timer: the core may have set another under the same id.
        if timers[id.value] == timer {
            timers[id.value] = nil
        }
        if case .success = result {
            return true
        }
        return false
    }

    static func instant(_ date: Date) -> Instant {
        let since = max(date.timeIntervalSince1970, 0)
        let seconds = since.rounded(.down)
        let nanos = min((since - seconds) * 1e9, 999_999_999)
        return Instant(seconds: UInt64(seconds), nanos: UInt32(nanos))
    }
}
