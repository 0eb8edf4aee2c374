import Foundation
import SharedFFI

/// The Rust core as three calls, bytes in and bytes out (bincode, see `shared/src/ffi.rs`).
///
/// A protocol so that a preview or a UI test can stand in a bridge of its own; the app uses
/// ``FfiCoreBridge``.
public protocol CoreBridge {
    /// Sends a serialized `Event`; answers serialized `Requests`.
    func update(_ event: [UInt8]) throws -> [UInt8]

    /// Answers effect request `id` with its serialized output; answers the `Requests` that
    /// follow.
    func resolve(_ id: UInt32, output: [UInt8]) throws -> [UInt8]

    /// The serialized `ViewModel`.
    func view() throws -> [UInt8]
}

/// The core compiled from `shared` and linked in as `RoundsFFI.xcframework`, called through
/// uniffi. Each instance is a core of its own, starting empty.
public final class FfiCoreBridge: CoreBridge {
    private let core = CoreFfi()

    public init() {}

    public func update(_ event: [UInt8]) throws -> [UInt8] {
        [UInt8](try core.update(event: Data(event)))
    }

    public func resolve(_ id: UInt32, output: [UInt8]) throws -> [UInt8] {
        [UInt8](try core.resolve(id: id, output: Data(output)))
    }

    public func view() throws -> [UInt8] {
        [UInt8](try core.view())
    }
}
