import Foundation
import Network

/// When the phone gets a network back, which the core wants to hear (`Event.online`) so that
/// it retries at once rather than at its next timer.
enum Connectivity {
    /// Yields each time a usable network path returns after there was none.
    static func restored() -> AsyncStream<Void> {
        AsyncStream { continuation in
            let monitor = NWPathMonitor()
            let state = PathState()
            monitor.pathUpdateHandler = { path in
                if path.status == .satisfied {
                    if state.offline {
                        state.offline = false
                        continuation.yield()
                    }
                } else {
                    state.offline = true
                }
            }
            continuation.onTermination = { _ in
                monitor.cancel()
            }
            monitor.start(queue: DispatchQueue(label: "app.rounds.connectivity"))
        }
    }
}

/// Touched only on the monitor's serial queue.
private final class PathState: @unchecked Sendable {
    var offline = false
}
