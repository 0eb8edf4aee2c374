package app.rounds.core

import app.rounds.shared.LocationResponse

/**
 * Where the device is, to stamp field steps and rank nearby customers. Answer from the last
 * known fix rather than waiting for a new one: a job step must never wait for GPS.
 */
fun interface LocationHandler {
    suspend fun current(): LocationResponse

    companion object {
        /** A device with no location (no permission, no hardware, a desktop JVM). */
        val Unknown = LocationHandler { LocationResponse.Unknown }
    }
}
