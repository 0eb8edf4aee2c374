package app.rounds.core

import app.rounds.ffi.CoreFfi

/**
 * The Rust core as three calls, bytes in and bytes out (bincode, see `shared/src/ffi.rs`).
 *
 * An interface so that a screen preview or a UI test can stand in a bridge of its own; the
 * app and the JVM tests use [FfiCoreBridge].
 */
interface CoreBridge {
    /** Sends a serialized `Event`; answers serialized `Requests`. */
    fun update(event: ByteArray): ByteArray

    /** Answers effect request [id] with its serialized output; answers the `Requests` that follow. */
    fun resolve(id: UInt, output: ByteArray): ByteArray

    /** The serialized `ViewModel`. */
    fun view(): ByteArray
}

/**
 * The core compiled from `shared`, loaded through uniffi (JNA): `libshared.so` from the app's
 * `jniLibs` on Android, from `jna.library.path` on a desktop JVM. Each instance is a core of
 * its own, starting empty; it lives until [close].
 */
class FfiCoreBridge : CoreBridge, AutoCloseable {
    private val ffi = CoreFfi()

    override fun update(event: ByteArray): ByteArray = ffi.update(event)

    override fun resolve(id: UInt, output: ByteArray): ByteArray = ffi.resolve(id, output)

    override fun view(): ByteArray = ffi.view()

    override fun close() = ffi.close()
}
