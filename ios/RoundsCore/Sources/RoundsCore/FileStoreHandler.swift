import Foundation
import SharedTypes

/// The device database (`shared/src/effects/store`): three tables of keyed bytes, loaded whole
/// and written in atomic batches. A write is answered only once it is durable: the core then
/// shows the change as saved.
///
/// Failures are answers (`StoreResponse.failed`), never thrown: the core decides what a full
/// or broken storage means for the person.
public protocol StoreHandler: Sendable {
    func handle(_ request: StoreRequest) async -> StoreResponse
}

/// ``StoreHandler`` over one file, with nothing but Foundation and POSIX calls. The design and
/// the bytes are the Android shell's `FileStoreHandler.kt` (and `device-bench/src/file_store.rs`,
/// where it was measured at a chain's size), so a log moves between them unchanged.
///
/// One append-only log holds every table, because a sync page writes the replica and the
/// cursor in `meta` together. A batch of writes is one frame, appended and synced before it is
/// answered, so it is durable when the core hears `written`. A frame is
/// `[length: u32 LE][CRC-32 of the payload: u32 LE][payload]`, the payload one batch as
/// ``StoreLog`` encodes it. Opening and loading read frames from the start and stop at the last
/// one if it is cut short or fails its checksum (a crash in the middle of an append), so a
/// batch is all or nothing.
///
/// A frame failing its checksum with more frames after it is damage, not a crash: it is
/// skipped and counted, a copy of the log is kept beside it (`device.log.damaged`), and the
/// load refuses the replica (``StoreLog/Folded/answer(_:)``) so that the core fetches it again
/// and keeps the pending ops it could read.
///
/// When the log holds much more than the live entries (records written over many times), or
/// holds damage, the load of the replica rewrites it with the live entries only: to a new
/// file, synced, then renamed over the old one.
public final class FileStoreHandler: StoreHandler, @unchecked Sendable {
    static let logName = "device.log"

    /// Below this, a log is never worth rewriting for its size.
    static let compactAbove = 8 << 20

    /// Size of the batches a rewritten log is made of.
    static let compactBatch = 4 << 20

    private let directory: URL
    private let log: URL

    // Requests run on this queue one at a time, in the order they were handed over (the core
    // hands them over in the order it made them, so batches are appended in that order). The
    // state below is touched only here: that is what makes sharing the class safe.
    private let queue = DispatchQueue(label: "app.rounds.store", qos: .userInitiated)

    // Opened at first use, on the queue.
    private var file: FileHandle?

    /// The log as last read, while nothing was written since: a start-up loads the three tables
    /// one after the other and reads the file once. Dropped with the load of the replica (the
    /// largest table, loaded last) and by every write.
    private var lastRead: [UInt8]?

    /// A store in `directory` (created when first used), such as a folder of Application Support.
    public init(directory: URL) {
        self.directory = directory
        log = directory.appending(path: Self.logName)
    }

    public func handle(_ request: StoreRequest) async -> StoreResponse {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.handleNow(request))
            }
        }
    }

    private func handleNow(_ request: StoreRequest) -> StoreResponse {
        do {
            switch request {
            case let .load(table):
                return try load(table)
            case let .write(writes):
                try write(writes)
                return .written
            case .estimate:
                return try estimate()
            }
        } catch {
            return .failed(Self.storeError(error))
        }
    }

    private func openLog() throws -> FileHandle {
        if let file {
            return file
        }
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        if !files.fileExists(atPath: log.path(percentEncoded: false)) {
            guard files.createFile(atPath: log.path(percentEncoded: false), contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log.path(percentEncoded: false)])
            }
        }
        let opened = try FileHandle(forUpdating: log)
        // A frame cut short by a crash is dropped here, before anything follows it.
        let bytes = try readLog()
        let frames = Self.frames(bytes)
        let damaged = directory.appending(path: Self.logName + ".damaged")
        if frames.contains(where: { !$0.intact }), !files.fileExists(atPath: damaged.path(percentEncoded: false)) {
            try Data(bytes).write(to: damaged)
        }
        let whole = frames.last?.end ?? 0
        if whole != bytes.count {
            try opened.truncate(atOffset: UInt64(whole))
            try opened.synchronize()
        }
        try opened.seek(toOffset: UInt64(whole))
        file = opened
        return opened
    }

    private func readLog() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: log))
    }

    private func load(_ table: Table) throws -> StoreResponse {
        _ = try openLog()
        let bytes = try lastRead ?? readLog()
        lastRead = nil
        var folded = StoreLog.Folded()
        for frame in Self.frames(bytes) {
            if frame.intact {
                folded.add(frame.payload)
            } else {
                folded.lost()
            }
        }
        if table != .replica {
            lastRead = bytes
        } else if folded.needsRewriting(above: Self.compactAbove) {
            try compact(folded)
        }
        return folded.answer(table)
    }

    private func write(_ writes: [Write]) throws {
        lastRead = nil
        let file = try openLog()
        let frame = try Self.frame(StoreLog.encode(writes))
        let start = try file.offset()
        do {
            try file.write(contentsOf: frame)
            // fsync, as Android's force(): the batch survives the app and the system going
            // down. Not F_FULLFSYNC, which would also flush the drive's cache at several
            // milliseconds a write, against a power loss a phone's battery makes rare.
            try file.synchronize()
        } catch {
            // Nothing of the batch may stay behind, or the next frame would follow garbage.
            try? file.truncate(atOffset: start)
            throw error
        }
    }

    private func compact(_ folded: StoreLog.Folded) throws {
        let fresh = directory.appending(path: Self.logName + ".new")
        // Overwrites what an interrupted rewrite left.
        guard FileManager.default.createFile(atPath: fresh.path(percentEncoded: false), contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: fresh.path(percentEncoded: false)])
        }
        let out = try FileHandle(forWritingTo: fresh)
        do {
            for batch in folded.batches(size: Self.compactBatch) {
                try out.write(contentsOf: Self.frame(batch))
            }
            try out.synchronize()
            try out.close()
        } catch {
            try? out.close()
            throw error
        }
        try file?.close()
        file = nil
        // rename(2) replaces the log in one step: a crash leaves the old log or the new one.
        guard Darwin.rename(fresh.path(percentEncoded: false), log.path(percentEncoded: false)) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        // The rename itself is durable only once the directory is synced.
        let folder = Darwin.open(directory.path(percentEncoded: false), O_RDONLY)
        if folder >= 0 {
            _ = Darwin.fsync(folder)
            _ = Darwin.close(folder)
        }
        _ = try openLog()
    }

    private func estimate() throws -> StoreResponse {
        _ = try openLog()
        let attributes = try FileManager.default.attributesOfItem(atPath: log.path(percentEncoded: false))
        let used = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        // A fresh URL each time: URL caches resource values it has read once.
        let volume = URL(filePath: directory.path(percentEncoded: false), directoryHint: .isDirectory)
        let values = try volume.resourceValues(forKeys: [.volumeAvailableCapacityForImportantUsageKey])
        let free = UInt64(max(values.volumeAvailableCapacityForImportantUsage ?? 0, 0))
        // What the app may still use is what the volume keeps for data the person needs: iOS
        // gives an app's files no quota of their own, and never evicts Application Support.
        return .estimate(used: used, quota: used + free, persisted: true)
    }

    struct Frame {
        let payload: ArraySlice<UInt8>
        let end: Int
        /// The payload matches its checksum.
        let intact: Bool
    }

    /// `[length: u32 LE][CRC-32 of the payload: u32 LE][payload]`.
    static func frame(_ payload: [UInt8]) throws -> Data {
        guard let length = UInt32(exactly: payload.count) else {
            throw POSIXError(.EFBIG)
        }
        var frame = Data(capacity: 8 + payload.count)
        frame.append(contentsOf: littleEndianBytes(length))
        frame.append(contentsOf: littleEndianBytes(Crc32.checksum(payload[...])))
        frame.append(contentsOf: payload)
        return frame
    }

    /// The frames of a log, up to the last whole one: a frame cut short, or failing its
    /// checksum with nothing after it, is the crash of an append and ends the log; one failing
    /// its checksum with more after it is damage, given as not intact.
    static func frames(_ bytes: [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        var start = 0
        while bytes.count - start >= 8 {
            let length = Int(littleEndianUInt32(bytes, at: start))
            let crc = littleEndianUInt32(bytes, at: start + 4)
            if bytes.count - start - 8 < length {
                break
            }
            let end = start + 8 + length
            let payload = bytes[(start + 8)..<end]
            let intact = Crc32.checksum(payload) == crc
            if !intact, end == bytes.count {
                break
            }
            frames.append(Frame(payload: payload, end: end, intact: intact))
            start = end
        }
        return frames
    }

    static func storeError(_ error: Error) -> StoreError {
        let error = error as NSError
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        let full = [error, underlying].contains { error in
            guard let error else { return false }
            return (error.domain == NSPOSIXErrorDomain && error.code == Int(ENOSPC))
                || (error.domain == NSCocoaErrorDomain && error.code == NSFileWriteOutOfSpaceError)
        }
        return full ? .full : .unavailable(error.localizedDescription)
    }
}
