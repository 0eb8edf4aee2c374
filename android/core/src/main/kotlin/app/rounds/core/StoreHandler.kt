package app.rounds.core

import app.rounds.shared.StoreRequest
import app.rounds.shared.StoreResponse

/**
 * The device database (`shared/src/effects/store`): three tables of keyed bytes, loaded whole
 * and written in atomic batches. A write is answered only once it is durable: the core then
 * shows the change as saved.
 *
 * Failures are answers ([StoreResponse.Failed]), never exceptions: the core decides what a
 * full or broken storage means for the person.
 */
fun interface StoreHandler {
    suspend fun handle(request: StoreRequest): StoreResponse
}
