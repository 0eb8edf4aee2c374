import Foundation
import SharedTypes

/// Talks to the Rounds server: sign-in and sync. Any answer the server gives, 4xx and 5xx
/// included, is `HttpResult.ok`; `.err` means no answer came (no network, a timeout), which
/// the core shows as offline and retries.
public protocol HttpHandler: Sendable {
    func send(_ request: HttpRequest) async -> HttpResult
}

/// ``HttpHandler`` over `URLSession`.
///
/// The session is ephemeral and caches nothing: the core keeps what it needs, and a cached
/// answer to a sync would be a wrong one. Redirects are not followed: the core retries on its
/// own schedule, with the same op ids, and a redirect would resend a body it did not mean to.
public final class UrlSessionHttpHandler: HttpHandler {
    private let session: URLSession
    private let noRedirects = NoRedirects()

    /// - Parameter idleTimeout: How long to wait for the next bytes, the first ones included.
    ///   Generous, because the server may take a while over a first sync page; with no network
    ///   at all URLSession fails at once, so a phone without signal still shows offline soon.
    public init(idleTimeout: TimeInterval = 60) {
        session = Self.session(idleTimeout: idleTimeout)
    }

    /// An ephemeral session that caches and keeps nothing (the core keeps what it needs; a
    /// cached answer to a sync would be a wrong one), shared with the live channel's handler.
    static func session(idleTimeout: TimeInterval) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = idleTimeout
        // Fail rather than wait for a network: the core decides when to try again.
        configuration.waitsForConnectivity = false
        return URLSession(configuration: configuration)
    }

    public func send(_ request: HttpRequest) async -> HttpResult {
        guard let url = URL(string: request.url), url.scheme != nil else {
            return .err(.url(request.url))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty {
            urlRequest.httpBody = Data(request.body)
        }
        do {
            let (body, response) = try await session.data(for: urlRequest, delegate: noRedirects)
            guard let response = response as? HTTPURLResponse else {
                return .err(.io("not an HTTP answer"))
            }
            var headers: [HttpHeader] = []
            for (name, value) in response.allHeaderFields {
                if let name = name as? String {
                    headers.append(HttpHeader(name: name, value: "\(value)"))
                }
            }
            return .ok(HttpResponse(status: UInt16(clamping: response.statusCode), headers: headers, body: [UInt8](body)))
        } catch let error as URLError {
            switch error.code {
            case .timedOut:
                return .err(.timeout)
            case .badURL, .unsupportedURL:
                return .err(.url(error.localizedDescription))
            default:
                return .err(.io(error.localizedDescription))
            }
        } catch {
            return .err(.io(error.localizedDescription))
        }
    }
}

/// Answers every redirect with "do not follow": the 3xx itself becomes the answer.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest
    ) async -> URLRequest? {
        nil
    }
}
