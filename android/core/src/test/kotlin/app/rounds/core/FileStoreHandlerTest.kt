package app.rounds.core

import app.rounds.shared.StoreError
import app.rounds.shared.StoreRequest
import app.rounds.shared.StoreResponse
import app.rounds.shared.Table
import app.rounds.shared.Write
import com.novi.serde.Bytes
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.io.RandomAccessFile
import kotlin.io.path.createTempDirectory

/** The file store on its own: what `device-bench/src/file_store.rs` tests, in Kotlin. */
class FileStoreHandlerTest {
    private val dir = createTempDirectory("rounds-store-").toFile()
    private val log = File(dir, "device.log")

    @Test
    fun `batches fold into tables in key order across reopens`() {
        val store = FileStoreHandler(dir)
        write(store, put(Table.REPLICA, "b", "1"), put(Table.META, "cursor", "7"))
        write(store, put(Table.REPLICA, "a", "2"), put(Table.REPLICA, "b", "3"), put(Table.OUTBOX, "01", "op"))
        write(store, Write.Delete(Table.OUTBOX, "01"))

        val again = FileStoreHandler(dir)
        assertEquals(listOf("a" to "2", "b" to "3"), load(again, Table.REPLICA))
        assertEquals(listOf("cursor" to "7"), load(again, Table.META))
        assertEquals(emptyList<Pair<String, String>>(), load(again, Table.OUTBOX))
        write(again, Write.Clear(Table.REPLICA))
        assertEquals(emptyList<Pair<String, String>>(), load(again, Table.REPLICA))
    }

    @Test
    fun `a batch cut short by a crash is not there at all`() {
        val store = FileStoreHandler(dir)
        write(store, put(Table.REPLICA, "a", "1"))
        write(store, put(Table.REPLICA, "b", "2"), put(Table.META, "cursor", "2"))
        // The crash: the second frame lost its last byte.
        RandomAccessFile(log, "rw").use { it.setLength(it.length() - 1) }

        val again = FileStoreHandler(dir)
        assertEquals(listOf("a" to "1"), load(again, Table.REPLICA))
        assertEquals(emptyList<Pair<String, String>>(), load(again, Table.META))
        // What comes next follows the last whole batch.
        write(again, put(Table.REPLICA, "c", "3"))
        assertEquals(listOf("a" to "1", "c" to "3"), load(FileStoreHandler(dir), Table.REPLICA))
    }

    @Test
    fun `a log mostly of old values is rewritten with the live ones`() {
        val store = FileStoreHandler(dir)
        val big = "x".repeat(64 shl 10)
        repeat(200) { write(store, put(Table.REPLICA, "a", big), put(Table.META, "m", "1")) }
        assertTrue(log.length() > 8 shl 20)
        assertEquals(1, load(store, Table.REPLICA).size)
        assertTrue("rewritten: ${log.length()} bytes", log.length() < 2 * big.length)

        val again = FileStoreHandler(dir)
        assertEquals(big.length, load(again, Table.REPLICA).single().second.length)
        assertEquals(listOf("m" to "1"), load(again, Table.META))
    }

    @Test
    fun `a damaged batch is kept aside and reported and the rest is read`() {
        val store = FileStoreHandler(dir)
        write(store, put(Table.OUTBOX, "01", "first op"))
        val first = log.length().toInt()
        write(store, put(Table.REPLICA, "a", "1"), put(Table.META, "cursor", "5"))
        write(store, put(Table.OUTBOX, "02", "second op"), put(Table.META, "cursor", "6"))
        // A bad sector in the middle frame's payload: the last frame is whole.
        val bytes = log.readBytes()
        bytes[first + 12] = (bytes[first + 12].toInt() xor 0xff).toByte()
        log.writeBytes(bytes)

        val again = FileStoreHandler(dir)
        assertEquals(listOf("01" to "first op", "02" to "second op"), load(again, Table.OUTBOX))
        assertArrayEquals("the log as found is kept", bytes, File(dir, "device.log.damaged").readBytes())
        assertEquals(listOf("cursor" to "6"), load(again, Table.META))
        assertEquals(
            "the cursor moved past records that are lost: the replica cannot be trusted",
            StoreResponse.Failed(StoreError.Damaged(1u)),
            runBlocking { again.handle(StoreRequest.Load(Table.REPLICA)) },
        )
        // That load rewrote the log without the damage: the next start is clean.
        val clean = FileStoreHandler(dir)
        assertEquals(emptyList<Pair<String, String>>(), load(clean, Table.REPLICA))
        assertEquals(2, load(clean, Table.OUTBOX).size)
    }

    /** The bytes are the core's (`shared/src/effects/store/log.rs`), so the web's batches and these are one format. */
    @Test
    fun `a batch is encoded as the core encodes it`() {
        val batch =
            StoreLog.encode(
                listOf(
                    Write.Put(Table.OUTBOX, "k", Bytes(byteArrayOf(9, 8))),
                    Write.Delete(Table.META, "m"),
                    Write.Clear(Table.REPLICA),
                ),
            )
        val k = 'k'.code.toByte()
        val m = 'm'.code.toByte()
        val expected =
            byteArrayOf(
                // put, outbox, "k" (length 1), [9, 8] (length 2)
                1, 1, 1, 0, 0, 0, k, 2, 0, 0, 0, 9, 8,
                // delete, meta, "m"
                2, 2, 1, 0, 0, 0, m,
                // clear, replica
                3, 0,
            )
        assertArrayEquals(expected, batch)
    }

    private fun put(
        table: Table,
        key: String,
        value: String,
    ) = Write.Put(table, key, Bytes(value.toByteArray()))

    private fun write(
        store: FileStoreHandler,
        vararg writes: Write,
    ) = assertEquals(StoreResponse.Written, runBlocking { store.handle(StoreRequest.Write(writes.toList())) })

    private fun load(
        store: FileStoreHandler,
        table: Table,
    ): List<Pair<String, String>> {
        val loaded = runBlocking { store.handle(StoreRequest.Load(table)) } as StoreResponse.Loaded
        return loaded.entries.map { it.key to String(it.value.content) }
    }
}
