package app.rounds.core

import app.rounds.shared.TimeRequest
import app.rounds.shared.TimeResponse

/**
 * The clock and timers (ops are stamped with the time, sync retries and the minute tick wait
 * on timers).
 *
 * [handle] answers the time at once; for a timer it suspends until the timer is due, and
 * answers `null` (nothing to tell the core) if the core cleared it first.
 */
fun interface TimeHandler {
    suspend fun handle(request: TimeRequest): TimeResponse?
}
