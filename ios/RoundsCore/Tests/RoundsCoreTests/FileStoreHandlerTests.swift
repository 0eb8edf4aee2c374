@testable import RoundsCore
import SharedTypes
import XCTest

/// The file store on its own: what the Android shell's `FileStoreHandlerTest.kt` (and
/// `device-bench/src/file_store.rs`) test, over the same byte format.
final class FileStoreHandlerTests: XCTestCase {
    private var directory: URL!

    private var log: URL {
        directory.appending(path: "device.log")
    }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "rounds-store-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testBatchesFoldIntoTablesInKeyOrderAcrossReopens() async throws {
        let store = FileStoreHandler(directory: directory)
        await write(store, put(.replica, "b", "1"), put(.meta, "cursor", "7"))
        await write(store, put(.replica, "a", "2"), put(.replica, "b", "3"), put(.outbox, "01", "op"))
        await write(store, .delete(table: .outbox, key: "01"))

        let again = FileStoreHandler(directory: directory)
        let replica = await load(again, .replica)
        XCTAssertEqual(replica, ["a=2", "b=3"])
        let meta = await load(again, .meta)
        XCTAssertEqual(meta, ["cursor=7"])
        let outbox = await load(again, .outbox)
        XCTAssertEqual(outbox, [])
        await write(again, .clear(table: .replica))
        let cleared = await load(again, .replica)
        XCTAssertEqual(cleared, [])
    }

    func testABatchCutShortByACrashIsNotThereAtAll() async throws {
        let store = FileStoreHandler(directory: directory)
        await write(store, put(.replica, "a", "1"))
        await write(store, put(.replica, "b", "2"), put(.meta, "cursor", "2"))
        // The crash: the second frame lost its last byte.
        try truncateLog(by: 1)

        let again = FileStoreHandler(directory: directory)
        let replica = await load(again, .replica)
        XCTAssertEqual(replica, ["a=1"])
        let meta = await load(again, .meta)
        XCTAssertEqual(meta, [])
        // What comes next follows the last whole batch.
        await write(again, put(.replica, "c", "3"))
        let reopened = await load(FileStoreHandler(directory: directory), .replica)
        XCTAssertEqual(reopened, ["a=1", "c=3"])
    }

    /// A last frame that fails its checksum is an append the crash interrupted, not damage:
    /// it is cut off, and nothing is reported or kept aside.
    func testAFailingLastFrameIsACrashNotDamage() async throws {
        let store = FileStoreHandler(directory: directory)
        await write(store, put(.replica, "a", "1"))
        let first = try logSize()
        await write(store, put(.replica, "b", "2"))
        var bytes = try [UInt8](Data(contentsOf: log))
        bytes[first + 12] ^= 0xFF
        try Data(bytes).write(to: log)

        let again = FileStoreHandler(directory: directory)
        let replica = await load(again, .replica)
        XCTAssertEqual(replica, ["a=1"])
        XCTAssertEqual(try logSize(), first)
        XCTAssertFalse(FileManager.default.fileExists(atPath: damagedCopy.path(percentEncoded: false)))
    }

    func testALogMostlyOfOldValuesIsRewrittenWithTheLiveOnes() async throws {
        let store = FileStoreHandler(directory: directory)
        let big = String(repeating: "x", count: 64 << 10)
        for _ in 0..<200 {
            await write(store, put(.replica, "a", big), put(.meta, "m", "1"))
        }
        XCTAssertGreaterThan(try logSize(), 8 << 20)
        let replica = await load(store, .replica)
        XCTAssertEqual(replica.count, 1)
        XCTAssertLessThan(try logSize(), 2 * big.utf8.count, "rewritten")

        let again = FileStoreHandler(directory: directory)
        let reopened = await load(again, .replica)
        XCTAssertEqual(reopened, ["a=" + big])
        let meta = await load(again, .meta)
        XCTAssertEqual(meta, ["m=1"])
    }

    func testADamagedBatchIsKeptAsideAndReportedAndTheRestIsRead() async throws {
        let store = FileStoreHandler(directory: directory)
        await write(store, put(.outbox, "01", "first op"))
        let first = try logSize()
        await write(store, put(.replica, "a", "1"), put(.meta, "cursor", "5"))
        await write(store, put(.outbox, "02", "second op"), put(.meta, "cursor", "6"))
        // A bad sector in the middle frame's payload: the last frame is whole.
        var bytes = try [UInt8](Data(contentsOf: log))
        bytes[first + 12] ^= 0xFF
        try Data(bytes).write(to: log)

        let again = FileStoreHandler(directory: directory)
        let outbox = await load(again, .outbox)
        XCTAssertEqual(outbox, ["01=first op", "02=second op"])
        XCTAssertEqual(try [UInt8](Data(contentsOf: damagedCopy)), bytes, "the log as found is kept")
        let meta = await load(again, .meta)
        XCTAssertEqual(meta, ["cursor=6"])
        // The cursor moved past records that are lost: the replica cannot be trusted.
        let replica = await again.handle(.load(table: .replica))
        XCTAssertEqual(replica, .failed(.damaged(1)))

        // That load rewrote the log without the damage: the next start is clean.
        let clean = FileStoreHandler(directory: directory)
        let cleanReplica = await load(clean, .replica)
        XCTAssertEqual(cleanReplica, [])
        let cleanOutbox = await load(clean, .outbox)
        XCTAssertEqual(cleanOutbox.count, 2)
    }

    private var damagedCopy: URL {
        directory.appending(path: "device.log.damaged")
    }

    private func put(_ table: Table, _ key: String, _ value: String) -> Write {
        .put(table: table, key: key, value: Array(value.utf8))
    }

    private func write(_ store: FileStoreHandler, _ writes: Write..., line: UInt = #line) async {
        let response = await store.handle(.write(writes: writes))
        XCTAssertEqual(response, .written, line: line)
    }

    /// The table as `key=value` lines, in the order loaded.
    private func load(_ store: FileStoreHandler, _ table: Table, line: UInt = #line) async -> [String] {
        let response = await store.handle(.load(table: table))
        guard case let .loaded(entries) = response else {
            XCTFail("not loaded: \(response)", line: line)
            return []
        }
        return entries.map { "\($0.key)=\(String(decoding: $0.value, as: UTF8.self))" }
    }

    private func logSize() throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: log.path(percentEncoded: false))
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    private func truncateLog(by count: Int) throws {
        let size = try logSize()
        let file = try FileHandle(forWritingTo: log)
        try file.truncate(atOffset: UInt64(size - count))
        try file.close()
    }
}
