@testable import RoundsCore
import SharedTypes
import XCTest

/// The log's byte format on its own: the same bytes as the core's `store/log.rs` and the
/// Android shell's `StoreLog.kt`.
final class StoreLogTests: XCTestCase {
    /// The expected bytes are those of `FileStoreHandlerTest.kt`'s encoding test, so the web's
    /// batches, Android's and these are one format.
    func testABatchIsEncodedAsTheCoreEncodesIt() {
        let batch = StoreLog.encode([
            .put(table: .outbox, key: "k", value: [9, 8]),
            .delete(table: .meta, key: "m"),
            .clear(table: .replica),
        ])
        let k = UInt8(ascii: "k")
        let m = UInt8(ascii: "m")
        let expected: [UInt8] = [
            // put, outbox, "k" (length 1), [9, 8] (length 2)
            1, 1, 1, 0, 0, 0, k, 2, 0, 0, 0, 9, 8,
            // delete, meta, "m"
            2, 2, 1, 0, 0, 0, m,
            // clear, replica
            3, 0,
        ]
        XCTAssertEqual(batch, expected)
    }

    func testBatchesFoldInOrderLaterWritesOverEarlierOnes() {
        var folded = StoreLog.Folded()
        folded.add(StoreLog.encode([
            .put(table: .replica, key: "b", value: [1]),
            .put(table: .replica, key: "a", value: [2]),
            .put(table: .meta, key: "cursor", value: [7]),
        ])[...])
        folded.add(StoreLog.encode([
            .put(table: .replica, key: "b", value: [3]),
            .delete(table: .replica, key: "a"),
            .clear(table: .meta),
        ])[...])
        XCTAssertEqual(folded.entries(.replica), [Entry(key: "b", value: [3])])
        XCTAssertEqual(folded.entries(.meta), [])
        XCTAssertEqual(folded.damaged, 0)
        XCTAssertEqual(folded.liveBytes, 2)
    }

    /// Rust orders `String` keys by their UTF-8 bytes; Swift's `String` order is another one,
    /// and treats canonically equivalent keys as one.
    func testKeysAreOrderedAndToldApartByTheirUtf8Bytes() {
        var folded = StoreLog.Folded()
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        let astral = "\u{1F600}"
        let halfwidth = "\u{FF61}"
        folded.add(StoreLog.encode([
            .put(table: .outbox, key: composed, value: [1]),
            .put(table: .outbox, key: decomposed, value: [2]),
            .put(table: .outbox, key: astral, value: [3]),
            .put(table: .outbox, key: halfwidth, value: [4]),
        ])[...])
        XCTAssertEqual(folded.entries(.outbox).map(\.value), [[2], [1], [4], [3]])
    }

    func testABatchThatDoesNotDecodeToItsEndIsLeftOutWhole() {
        var folded = StoreLog.Folded()
        var batch = StoreLog.encode([
            .put(table: .outbox, key: "01", value: [1]),
            .put(table: .outbox, key: "02", value: [2]),
        ])
        batch.removeLast()
        folded.add(batch[...])
        XCTAssertEqual(folded.entries(.outbox), [])
        XCTAssertEqual(folded.damaged, 1)
        XCTAssertEqual(folded.answer(.replica), .failed(.damaged(1)))
        XCTAssertEqual(folded.answer(.outbox), .loaded(entries: []))
    }

    func testTheLiveEntriesRewrittenFoldToTheSameTables() {
        var folded = StoreLog.Folded()
        for round in 0..<50 {
            folded.add(StoreLog.encode([
                .put(table: .replica, key: "r\(round % 7)", value: [UInt8](repeating: UInt8(round), count: 100)),
                .put(table: .meta, key: "cursor", value: [UInt8(round)]),
            ])[...])
        }
        var again = StoreLog.Folded()
        for batch in folded.batches(size: 256) {
            again.add(batch[...])
        }
        XCTAssertEqual(again.entries(.replica), folded.entries(.replica))
        XCTAssertEqual(again.entries(.meta), folded.entries(.meta))
        XCTAssertEqual(again.logBytes, again.liveBytes + 10 * 8)
    }

    /// The check value of CRC-32/ISO-HDLC, which zlib and `java.util.zip.CRC32` compute.
    func testTheChecksumIsZlibs() {
        XCTAssertEqual(Crc32.checksum(Array("123456789".utf8)[...]), 0xCBF4_3926)
    }
}
