package app.rounds.core

import app.rounds.shared.KeyValueOperation
import app.rounds.shared.KeyValueResponse
import app.rounds.shared.KeyValueResult
import app.rounds.shared.Value

/**
 * The key-value store of app versions before the device database: the core reads it once at
 * start-up to move what it finds into the [StoreHandler]'s tables, then removes it.
 */
fun interface KeyValueHandler {
    suspend fun handle(operation: KeyValueOperation): KeyValueResult

    companion object {
        /**
         * No native app ever shipped with the key-value store, so on Android and iOS it is
         * always empty: every read finds nothing and every write is a no-op.
         */
        val Empty =
            KeyValueHandler { operation ->
                val response =
                    when (operation) {
                        is KeyValueOperation.Get -> KeyValueResponse.Get(Value.None)
                        is KeyValueOperation.Set -> KeyValueResponse.Set(Value.None)
                        is KeyValueOperation.Delete -> KeyValueResponse.Delete(Value.None)
                        is KeyValueOperation.Exists -> KeyValueResponse.Exists(false)
                        is KeyValueOperation.ListKeys -> KeyValueResponse.ListKeys(emptyList(), 0UL)
                    }
                KeyValueResult.Ok(response)
            }
    }
}
