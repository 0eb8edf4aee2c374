package app.rounds.core

import app.rounds.shared.Entry
import app.rounds.shared.StoreError
import app.rounds.shared.StoreResponse
import app.rounds.shared.Table
import app.rounds.shared.Write
import com.novi.serde.Bytes
import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.TreeMap

/**
 * The device database as a log of batches, byte for byte as the core's
 * `shared/src/effects/store/log.rs` encodes it (the web shell keeps the same batches in
 * IndexedDB): a batch is one `Write` request's writes one after the other, each
 * `[kind: u8][table: u8]` then, for a put, `[key length: u32 LE][key][value length: u32 LE]
 * [value]`, for a delete `[key length][key]`, for a clear nothing.
 *
 * Loading folds the batches in order, later writes over earlier ones ([Folded]).
 */
object StoreLog {
    private const val PUT: Byte = 1
    private const val DELETE: Byte = 2
    private const val CLEAR: Byte = 3

    /** One batch's bytes. */
    fun encode(writes: List<Write>): ByteArray {
        val out = ByteArrayOutputStream()
        for (write in writes) {
            when (write) {
                is Write.Put -> {
                    out.head(PUT, write.table)
                    out.sized(write.key.toByteArray(Charsets.UTF_8))
                    out.sized(write.value.content)
                }
                is Write.Delete -> {
                    out.head(DELETE, write.table)
                    out.sized(write.key.toByteArray(Charsets.UTF_8))
                }
                is Write.Clear -> out.head(CLEAR, write.table)
            }
        }
        return out.toByteArray()
    }

    // The table's number is its place in the Rust enum, which the generated enum keeps.
    private fun ByteArrayOutputStream.head(
        kind: Byte,
        table: Table,
    ) {
        write(kind.toInt())
        write(table.ordinal)
    }

    private fun ByteArrayOutputStream.sized(bytes: ByteArray) {
        write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.size).array())
        write(bytes)
    }

    /**
     * The tables a log folds into, with what it takes to tell whether rewriting the log with
     * only its live entries pays.
     */
    class Folded {
        // Keys in the order Rust sorts `String`s (by UTF-8 bytes), which the core expects.
        private val tables = Table.entries.map { TreeMap<String, ByteArray>(Utf8Order) }

        /** Bytes of the batches read. */
        var logBytes = 0L
            private set

        /** Bytes of the live entries (keys and values). */
        var liveBytes = 0L
            private set

        /**
         * Batches that did not decode to their end, or frames that failed their checksum with
         * more after them, left out whole (a batch is all or nothing).
         */
        var damaged = 0
            private set

        /** A batch known to be lost (its frame failed its checksum). */
        fun lost() {
            damaged++
        }

        /** Applies one batch over what came before it. */
        fun add(batch: ByteArray) {
            logBytes += batch.size
            val writes = decode(batch)
            if (writes == null) {
                damaged++
                return
            }
            for (write in writes) apply(write)
        }

        private fun apply(write: Decoded) {
            val table = tables.getOrNull(write.table) ?: return
            when (write.kind) {
                PUT -> {
                    table.put(write.key, write.value)?.let { liveBytes -= size(write.key, it) }
                    liveBytes += size(write.key, write.value)
                }
                DELETE -> table.remove(write.key)?.let { liveBytes -= size(write.key, it) }
                else -> {
                    liveBytes -= table.entries.sumOf { size(it.key, it.value) }
                    table.clear()
                }
            }
        }

        /** A table's entries, in key order. */
        fun entries(table: Table): List<Entry> = tables[table.ordinal].map { (key, value) -> Entry(key, Bytes(value)) }

        /**
         * The answer to a load of [table], as `Folded::answer` in `shared/src/effects/store/log.rs`
         * gives it: after a damaged batch the replica is refused (the lost batch may have held
         * records the saved cursor has moved past), and the other tables give what was read.
         */
        fun answer(table: Table): StoreResponse =
            if (damaged > 0 && table == Table.REPLICA) {
                StoreResponse.Failed(StoreError.Damaged(damaged.toUInt()))
            } else {
                StoreResponse.Loaded(entries(table))
            }

        /** Whether to rewrite the log: worth it by size, or it holds damage that every start would meet again. */
        fun needsRewriting(above: Long): Boolean = damaged > 0 || worthRewriting(above)

        /** Whether the log is worth rewriting: larger than [above], and mostly values written over since. */
        fun worthRewriting(above: Long): Boolean = logBytes > above && logBytes > 3 * liveBytes

        /** The live entries as batches of about [size] bytes each: the log rewritten. */
        fun batches(size: Int): List<ByteArray> {
            val out = mutableListOf<ByteArray>()
            var writes = mutableListOf<Write>()
            var length = 0
            for (table in Table.entries) {
                for ((key, value) in tables[table.ordinal]) {
                    writes += Write.Put(table, key, Bytes(value))
                    length += 10 + key.length + value.size
                    if (length >= size) {
                        out += encode(writes)
                        writes = mutableListOf()
                        length = 0
                    }
                }
            }
            if (writes.isNotEmpty()) out += encode(writes)
            return out
        }

        private fun size(
            key: String,
            value: ByteArray,
        ): Long = key.toByteArray(Charsets.UTF_8).size.toLong() + value.size
    }

    private class Decoded(
        val kind: Byte,
        val table: Int,
        val key: String,
        val value: ByteArray,
    )

    /** A batch's writes, or `null` if it does not decode to its end. */
    private fun decode(batch: ByteArray): List<Decoded>? {
        val buffer = ByteBuffer.wrap(batch).order(ByteOrder.LITTLE_ENDIAN)
        val out = mutableListOf<Decoded>()

        fun sized(): ByteArray? {
            if (buffer.remaining() < 4) return null
            val length = buffer.getInt()
            if (length < 0 || buffer.remaining() < length) return null
            return ByteArray(length).also { buffer.get(it) }
        }
        while (buffer.hasRemaining()) {
            // A cut-off header (one byte left) is damage too.
            if (buffer.remaining() < 2) return null
            val kind = buffer.get()
            val table = buffer.get().toInt()
            val (key, value) =
                when (kind) {
                    PUT -> (sized() ?: return null) to (sized() ?: return null)
                    DELETE -> (sized() ?: return null) to ByteArray(0)
                    CLEAR -> ByteArray(0) to ByteArray(0)
                    else -> return null
                }
            out += Decoded(kind, table, String(key, Charsets.UTF_8), value)
        }
        return out
    }

    /**
     * Rust's order of `String`s: by UTF-8 bytes, which is by code points. Kotlin's
     * `compareTo` goes by UTF-16 units, which differs above U+FFFF.
     */
    private val Utf8Order =
        Comparator<String> { a, b ->
            var i = 0
            var j = 0
            while (i < a.length && j < b.length) {
                val x = a.codePointAt(i)
                val y = b.codePointAt(j)
                if (x != y) return@Comparator x.compareTo(y)
                i += Character.charCount(x)
                j += Character.charCount(y)
            }
            (a.length - i).compareTo(b.length - j)
        }
}
