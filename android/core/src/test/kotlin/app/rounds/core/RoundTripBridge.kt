package app.rounds.core

import app.rounds.shared.Requests
import app.rounds.shared.ViewModel
import org.junit.Assert.assertArrayEquals

/**
 * The real bridge, checking that the generated Kotlin types read every effect request and
 * view model the core sends exactly as the core wrote it: each answer is decoded and encoded
 * again, and must come out byte for byte the same. So every test that runs the core also
 * checks the bincode of every type it meets, against Rust's serde, not against itself.
 * (Events and effect outputs go the other way: the core refuses bytes it cannot read, and
 * the test fails with a [app.rounds.ffi.BridgeException].)
 */
class RoundTripBridge(
    private val inner: CoreBridge,
) : CoreBridge {
    override fun update(event: ByteArray): ByteArray = checked(inner.update(event))

    override fun resolve(
        id: UInt,
        output: ByteArray,
    ): ByteArray = checked(inner.resolve(id, output))

    override fun view(): ByteArray =
        inner.view().also {
            val again = ViewModel.bincodeDeserialize(it).bincodeSerialize()
            assertArrayEquals("a view model read and written again", it, again)
        }

    private fun checked(requests: ByteArray): ByteArray =
        requests.also {
            val again = Requests.bincodeDeserialize(it).bincodeSerialize()
            assertArrayEquals("effect requests read and written again", it, again)
        }
}
