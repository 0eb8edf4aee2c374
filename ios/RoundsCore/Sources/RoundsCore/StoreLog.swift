import SharedTypes

/// The device database as a log of batches, byte for byte as the core's
/// `shared/src/effects/store/log.rs` encodes it (the web shell keeps the same batches in
/// IndexedDB, the Android shell in its file): a batch is one `Write` request's writes one
/// after the other, each `[kind: u8][table: u8]` then, for a put, `[key length: u32 LE][key]
/// [value length: u32 LE][value]`, for a delete `[key length][key]`, for a clear nothing.
///
/// Loading folds the batches in order, later writes over earlier ones (``Folded``).
public enum StoreLog {
    enum Kind: UInt8 {
        case put = 1
        case delete = 2
        case clear = 3
    }

    /// One batch's bytes.
    public static func encode(_ writes: [Write]) -> [UInt8] {
        var out: [UInt8] = []
        for write in writes {
            switch write {
            case let .put(table, key, value):
                out.append(contentsOf: [Kind.put.rawValue, table.number])
                appendSized(Array(key.utf8), to: &out)
                appendSized(value, to: &out)
            case let .delete(table, key):
                out.append(contentsOf: [Kind.delete.rawValue, table.number])
                appendSized(Array(key.utf8), to: &out)
            case let .clear(table):
                out.append(contentsOf: [Kind.clear.rawValue, table.number])
            }
        }
        return out
    }

    private static func appendSized(_ bytes: [UInt8], to out: inout [UInt8]) {
        // Keys and values are far below 4 GB: the file store refuses a batch that large.
        out.append(contentsOf: littleEndianBytes(UInt32(truncatingIfNeeded: bytes.count)))
        out.append(contentsOf: bytes)
    }

    /// The tables a log folds into, with what it takes to tell whether rewriting the log with
    /// only its live entries pays.
    public struct Folded {
        // Keyed by UTF-8 bytes, not `String`: Swift compares strings by Unicode canonical
        // equivalence, so two keys the core holds apart (Rust compares bytes) could be one here.
        private var tables: [[Utf8Key: [UInt8]]] = Table.inLogOrder.map { _ in [:] }

        /// Bytes of the batches read.
        public private(set) var logBytes = 0

        /// Bytes of the live entries (keys and values).
        public private(set) var liveBytes = 0

        /// Batches that did not decode to their end, or frames that failed their checksum with
        /// more after them, left out whole (a batch is all or nothing).
        public private(set) var damaged = 0

        public init() {}

        /// A batch known to be lost (its frame failed its checksum).
        public mutating func lost() {
            damaged += 1
        }

        /// Applies one batch over what came before it.
        public mutating func add(_ batch: ArraySlice<UInt8>) {
            logBytes += batch.count
            guard let writes = StoreLog.decode(batch) else {
                damaged += 1
                return
            }
            for write in writes {
                apply(write)
            }
        }

        private mutating func apply(_ write: Decoded) {
            // A table this version does not know is skipped, as the core skips it.
            guard let table = Table.inLogOrder.firstIndex(where: { $0.number == write.table }) else {
                return
            }
            switch write.kind {
            case .put:
                let key = Utf8Key(lossy: write.key)
                if let old = tables[table].updateValue(Array(write.value), forKey: key) {
                    liveBytes -= write.key.count + old.count
                }
                liveBytes += write.key.count + write.value.count
            case .delete:
                if let old = tables[table].removeValue(forKey: Utf8Key(lossy: write.key)) {
                    liveBytes -= write.key.count + old.count
                }
            case .clear:
                liveBytes -= tables[table].reduce(0) { $0 + $1.key.bytes.count + $1.value.count }
                tables[table].removeAll()
            }
        }

        /// A table's entries, in the order Rust sorts `String`s: by UTF-8 bytes.
        public func entries(_ table: Table) -> [Entry] {
            let index = Table.inLogOrder.firstIndex(of: table) ?? 0
            return tables[index]
                .sorted { $0.key < $1.key }
                .map { Entry(key: $0.key.string, value: $0.value) }
        }

        /// The answer to a load of `table`, as `Folded::answer` in
        /// `shared/src/effects/store/log.rs` gives it: after a damaged batch the replica is
        /// refused (the lost batch may have held records the saved cursor has moved past), and
        /// the other tables give what was read.
        public func answer(_ table: Table) -> StoreResponse {
            if damaged > 0, table == .replica {
                return .failed(.damaged(UInt32(clamping: damaged)))
            }
            return .loaded(entries: entries(table))
        }

        /// Whether to rewrite the log: worth it by size, or it holds damage that every start
        /// would meet again.
        public func needsRewriting(above: Int) -> Bool {
            damaged > 0 || worthRewriting(above: above)
        }

        /// Whether the log is worth rewriting: larger than `above`, and mostly values written
        /// over since.
        public func worthRewriting(above: Int) -> Bool {
            logBytes > above && logBytes > 3 * liveBytes
        }

        /// The live entries as batches of about `size` bytes each: the log rewritten.
        public func batches(size: Int) -> [[UInt8]] {
            var out: [[UInt8]] = []
            var writes: [Write] = []
            var length = 0
            for (index, table) in Table.inLogOrder.enumerated() {
                for (key, value) in tables[index].sorted(by: { $0.key < $1.key }) {
                    writes.append(.put(table: table, key: key.string, value: value))
                    length += 10 + key.bytes.count + value.count
                    if length >= size {
                        out.append(StoreLog.encode(writes))
                        writes.removeAll()
                        length = 0
                    }
                }
            }
            if !writes.isEmpty {
                out.append(StoreLog.encode(writes))
            }
            return out
        }
    }

    struct Decoded {
        let kind: Kind
        let table: UInt8
        let key: ArraySlice<UInt8>
        let value: ArraySlice<UInt8>
    }

    /// A batch's writes, or `nil` if it does not decode to its end.
    static func decode(_ batch: ArraySlice<UInt8>) -> [Decoded]? {
        var reader = ByteReader(batch)
        var out: [Decoded] = []
        while reader.remaining > 0 {
            // A cut-off header (one byte left) is damage too.
            guard let head = reader.take(2), let kind = Kind(rawValue: head[head.startIndex]) else {
                return nil
            }
            let table = head[head.startIndex + 1]
            switch kind {
            case .put:
                guard let key = reader.sized(), let value = reader.sized() else { return nil }
                out.append(Decoded(kind: kind, table: table, key: key, value: value))
            case .delete:
                guard let key = reader.sized() else { return nil }
                out.append(Decoded(kind: kind, table: table, key: key, value: []))
            case .clear:
                out.append(Decoded(kind: kind, table: table, key: [], value: []))
            }
        }
        return out
    }
}

extension Table {
    /// The tables in the order of the Rust enum, whose place is a table's number in a batch.
    static let inLogOrder: [Table] = [.replica, .outbox, .meta]

    /// The table's place in the Rust enum. A switch, so that a table added to the core fails
    /// to compile here rather than being numbered wrong.
    var number: UInt8 {
        switch self {
        case .replica: return 0
        case .outbox: return 1
        case .meta: return 2
        }
    }
}

/// A key as the core compares keys: by its UTF-8 bytes.
struct Utf8Key: Hashable, Comparable {
    let bytes: [UInt8]

    init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// As Rust's `String::from_utf8_lossy` reads it: invalid sequences become U+FFFD.
    init(lossy raw: ArraySlice<UInt8>) {
        self.init(String(decoding: raw, as: UTF8.self))
    }

    var string: String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func < (lhs: Utf8Key, rhs: Utf8Key) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// Reads a batch front to back; every read says `nil` rather than run past the end.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var remaining: Int {
        bytes.endIndex - position
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// `[length: u32 LE][bytes]`.
    mutating func sized() -> ArraySlice<UInt8>? {
        guard let length = take(4) else { return nil }
        return take(Int(littleEndianUInt32(length, at: length.startIndex)))
    }
}

func littleEndianBytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
}

/// The `u32` stored little-endian at `index`; the caller has checked that four bytes are there.
func littleEndianUInt32<Bytes: RandomAccessCollection>(_ bytes: Bytes, at index: Bytes.Index) -> UInt32
    where Bytes.Element == UInt8, Bytes.Index == Int
{
    UInt32(bytes[index])
        | UInt32(bytes[index + 1]) << 8
        | UInt32(bytes[index + 2]) << 16
        | UInt32(bytes[index + 3]) << 24
}
