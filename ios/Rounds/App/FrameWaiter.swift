import QuartzCore

/// Waits for the next frame to be drawn: what a zero-length timer of the core means (it
/// yields to the screen, so that the first screen of a start is shown before the rest of the
/// stored data is read). A display link calls back as a frame begins; the main queue's next
/// turn comes after SwiftUI has committed it.
@MainActor
final class FrameWaiter: NSObject {
    private var continuation: CheckedContinuation<Void, Never>?
    private var link: CADisplayLink?

    static func afterNextFrame() async {
        let waiter = FrameWaiter()
        await withCheckedContinuation { continuation in
            waiter.continuation = continuation
            let link = CADisplayLink(target: waiter, selector: #selector(frame))
            waiter.link = link
            link.add(to: .main, forMode: .common)
        }
    }

    @objc private func frame() {
        link?.invalidate()
        link = nil
        let continuation = continuation
        self.continuation = nil
        DispatchQueue.main.async {
            continuation?.resume()
        }
    }
}
