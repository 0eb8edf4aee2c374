package app.rounds.core

import app.rounds.shared.LiveEvent
import kotlinx.coroutines.flow.Flow

/**
 * The server's live channel (`GET /v1/live`), which tells the core when to sync. The flow
 * emits each server-sent event by its name and ends with one [LiveEvent.Ended]; cancelling
 * its collection closes the channel. The token goes in the `Authorization` header, never in
 * the URL.
 */
fun interface LiveHandler {
    fun open(
        url: String,
        token: String,
        deviceId: String,
    ): Flow<LiveEvent>
}
