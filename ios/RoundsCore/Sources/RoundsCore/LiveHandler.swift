import Foundation
import SharedTypes

/// The server's live channel (`GET /v1/live`), which tells the core when to sync. The stream
/// yields each server-sent event by its name and ends with one `.ended`; cancelling the task
/// that reads it closes the channel. The token goes in the `Authorization` header, never in
/// the URL.
public protocol LiveHandler: Sendable {
    func open(url: String, token: String, deviceId: String) -> AsyncStream<LiveEvent>
}

/// ``LiveHandler`` over `URLSession`'s byte stream, read line by line.
///
/// The idle timeout is a little over the server's 20-second `alive`: a channel that falls
/// silent (a dead connection the phone cannot see) ends, and the core opens another.
public final class UrlSessionLiveHandler: LiveHandler {
    private let session: URLSession

    public init(idleTimeout: TimeInterval = 65) {
        session = UrlSessionHttpHandler.session(idleTimeout: idleTimeout)
    }

    public func open(url: String, token: String, deviceId: String) -> AsyncStream<LiveEvent> {
        let session = session
        return AsyncStream { continuation in
            let task = Task {
                continuation.yield(await Self.listen(session, url: url, token: token, deviceId: deviceId) { event in
                    continuation.yield(event)
                })
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads the stream until it ends; the `.ended` to finish with.
    private static func listen(
        _ session: URLSession,
        url: String,
        token: String,
        deviceId: String,
        say: (LiveEvent) -> Void
    ) async -> LiveEvent {
        guard let url = URL(string: url), url.scheme != nil else {
            return .ended(status: nil)
        }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(deviceId, forHTTPHeaderField: "X-Device-Id")
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        do {
            let (bytes, response) = try await session.bytes(for: request)
            guard let response = response as? HTTPURLResponse else {
                return .ended(status: nil)
            }
            guard response.statusCode == 200 else {
                return .ended(status: UInt16(clamping: response.statusCode))
            }
            // `lines` skips the blank lines that end events; each of the channel's events has
            // one `event:` line and an empty `data:` line, so the name is the event.
            for try await line in bytes.lines where line.hasPrefix("event:") {
                let name = line.dropFirst("event:".count).trimmingCharacters(in: .whitespaces)
                if let event = eventOf(name) {
                    say(event)
                }
            }
        } catch {
            // Ended below, as when the server closes it.
        }
        return .ended(status: nil)
    }

    private static func eventOf(_ name: String) -> LiveEvent? {
        switch name {
        case "open": return .open
        case "changed": return .changed
        case "alive": return .alive
        default: return nil
        }
    }
}
