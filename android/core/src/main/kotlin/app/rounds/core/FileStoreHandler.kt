package app.rounds.core

import app.rounds.shared.StoreError
import app.rounds.shared.StoreRequest
import app.rounds.shared.StoreResponse
import app.rounds.shared.Table
import app.rounds.shared.Write
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import java.io.File
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.zip.CRC32

/**
 * [StoreHandler] over plain files, with nothing but `java.io`/`java.nio` (Android's app
 * files directory, or any folder on a JVM). The design is `device-bench/src/file_store.rs`'s,
 * measured there at a chain's size.
 *
 * One append-only log holds every table, because a sync page writes the replica and the
 * cursor in `meta` together. A batch of writes is one frame, appended and synced before it
 * is answered, so it is durable when the core hears `Written`. A frame is
 * `[length: u32 LE][CRC-32 of the payload: u32 LE][payload]`, the payload one batch as
 * [StoreLog] encodes it. Opening and loading read frames from the start and stop at the
 * last one if it is cut short or fails its checksum (a crash in the middle of an append), so
 * a batch is all or nothing.
 *
 * A frame failing its checksum with more frames after it is damage, not a crash: it is
 * skipped and counted, a copy of the log is kept beside it (`device.log.damaged`), and the
 * load refuses the replica ([StoreLog.Folded.answer]) so that the core fetches it again and
 * keeps the pending ops it could read.
 *
 * When the log holds much more than the live entries (records written over many times), the
 * load of the replica rewrites it with the live entries only: to a new file, synced, then
 * renamed over the old one.
 */
class FileStoreHandler(
    private val dir: File,
) : StoreHandler {
    private val log = File(dir, LOG)

    // Batches are appended in the order the core asked for them (Core starts requests in
    // order, and the lock is fair), one at a time.
    private val lock = Mutex()

    // Opened on first use, off the caller's thread.
    private var channel: FileChannel? = null

    /**
     * The log as last read, while nothing was written since: a start-up loads the three
     * tables one after the other and reads the file once. Dropped with the load of the
     * replica (the largest table, loaded last) and by every write.
     */
    private var lastRead: ByteArray? = null

    override suspend fun handle(request: StoreRequest): StoreResponse =
        lock.withLock {
            withContext(Dispatchers.IO) {
                try {
                    when (request) {
                        is StoreRequest.Load -> load(request.table)
                        is StoreRequest.Write -> write(request.writes).let { StoreResponse.Written }
                        is StoreRequest.Estimate -> estimate()
                    }
                } catch (e: IOException) {
                    StoreResponse.Failed(storeError(e))
                }
            }
        }

    private fun openLog(): FileChannel =
        channel ?: run {
            dir.mkdirs()
            val opened =
                FileChannel.open(
                    log.toPath(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                )
            // A frame cut short by a crash is dropped here, before anything follows it.
            val bytes = Files.readAllBytes(log.toPath())
            val damaged = File(dir, "$LOG.damaged")
            if (frames(bytes).any { !it.intact } && !damaged.exists()) damaged.writeBytes(bytes)
            val whole = frames(bytes).lastOrNull()?.end ?: 0
            if (whole.toLong() != opened.size()) {
                opened.truncate(whole.toLong())
                opened.force(true)
            }
            opened.position(whole.toLong())
            opened.also { channel = it }
        }

    private fun load(table: Table): StoreResponse {
        openLog()
        val bytes = lastRead ?: Files.readAllBytes(log.toPath())
        lastRead = null
        val folded = StoreLog.Folded()
        for (frame in frames(bytes)) if (frame.intact) folded.add(frame.payload) else folded.lost()
        if (table != Table.REPLICA) {
            lastRead = bytes
        } else if (folded.needsRewriting(COMPACT_ABOVE)) {
            compact(folded)
        }
        return folded.answer(table)
    }

    private fun write(writes: List<Write>) {
        lastRead = null
        val channel = openLog()
        val start = channel.position()
        try {
            val frame = frame(StoreLog.encode(writes))
            while (frame.hasRemaining()) channel.write(frame)
            channel.force(false)
        } catch (e: IOException) {
            // Nothing of the batch may stay behind, or the next frame would follow garbage.
            runCatching {
                channel.truncate(start)
                channel.position(start)
            }
            throw e
        }
    }

    private fun compact(folded: StoreLog.Folded) {
        val fresh = File(dir, "$LOG.new")
        FileChannel
            .open(
                fresh.toPath(),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
            ).use { out ->
                for (batch in folded.batches(COMPACT_BATCH)) {
                    val frame = frame(batch)
                    while (frame.hasRemaining()) out.write(frame)
                }
                out.force(true)
            }
        channel?.close()
        channel = null
        try {
            Files.move(fresh.toPath(), log.toPath(), StandardCopyOption.ATOMIC_MOVE)
        } catch (e: AtomicMoveNotSupportedException) {
            Files.move(fresh.toPath(), log.toPath(), StandardCopyOption.REPLACE_EXISTING)
        }
        // The rename itself is durable only once the directory is synced (Linux, Android).
        runCatching { FileChannel.open(dir.toPath(), StandardOpenOption.READ).use { it.force(true) } }
        openLog()
    }

    private fun estimate(): StoreResponse {
        val used = openLog().size()
        // What the app may still use is what the file system has left: Android gives an
        // app's files no quota of their own.
        return StoreResponse.Estimate(used.toULong(), (used + dir.usableSpace).toULong(), true)
    }

    private class Frame(
        val payload: ByteArray,
        val end: Int,
        /** The payload matches its checksum. */
        val intact: Boolean,
    )

    private companion object {
        const val LOG = "device.log"

        /** Below this, a log is never worth rewriting. */
        const val COMPACT_ABOVE = 8L shl 20

        /** Size of the batches a rewritten log is made of. */
        const val COMPACT_BATCH = 4 shl 20

        /** `[length: u32 LE][CRC-32 of the payload: u32 LE][payload]`. */
        fun frame(payload: ByteArray): ByteBuffer =
            ByteBuffer
                .allocate(8 + payload.size)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(payload.size)
                .putInt(crc32(payload, 0, payload.size))
                .put(payload)
                .flip()

        /**
         * The frames of a log, up to the last whole one: a frame cut short, or failing its
         * checksum with nothing after it, is the crash of an append and ends the log; one
         * failing its checksum with more after it is damage, given as not intact.
         */
        fun frames(bytes: ByteArray): Sequence<Frame> =
            sequence {
                val buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                var at = 0
                while (bytes.size - at >= 8) {
                    val length = buffer.getInt(at)
                    val crc = buffer.getInt(at + 4)
                    if (length < 0 || bytes.size - at - 8 < length) break
                    val end = at + 8 + length
                    val intact = crc32(bytes, at + 8, length) == crc
                    if (!intact && end == bytes.size) break
                    yield(Frame(bytes.copyOfRange(at + 8, end), end, intact))
                    at = end
                }
            }

        fun crc32(
            bytes: ByteArray,
            offset: Int,
            length: Int,
        ): Int = CRC32().apply { update(bytes, offset, length) }.value.toInt()

        fun storeError(e: IOException): StoreError =
            if (e.message?.contains("No space left", ignoreCase = true) == true) {
                StoreError.Full
            } else {
                StoreError.Unavailable(e.message ?: e.javaClass.simpleName)
            }
    }
}
