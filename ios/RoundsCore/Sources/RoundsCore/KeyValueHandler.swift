import SharedTypes

/// The key-value store of app versions before the device database: the core reads it once at
/// start-up to move what it finds into the ``StoreHandler``'s tables, then removes it.
public protocol KeyValueHandler: Sendable {
    func handle(_ operation: KeyValueOperation) async -> KeyValueResult
}

/// No native app ever shipped with the key-value store, so on iOS it is always empty: every
/// read finds nothing and every write is a no-op.
public struct EmptyKeyValueHandler: KeyValueHandler {
    public init() {}

    public func handle(_ operation: KeyValueOperation) async -> KeyValueResult {
        switch operation {
        case .get:
            return .ok(response: .get(value: Value.none))
        case .set:
            return .ok(response: .set(previous: Value.none))
        case .delete:
            return .ok(response: .delete(previous: Value.none))
        case .exists:
            return .ok(response: .exists(isPresent: false))
        case .listKeys:
            return .ok(response: .listKeys(keys: [], nextCursor: 0))
        }
    }
}
