package app.rounds.core

import app.rounds.shared.Instant
import app.rounds.shared.TimeRequest
import app.rounds.shared.TimeResponse
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import java.time.Clock
import java.util.concurrent.ConcurrentHashMap

/**
 * [TimeHandler] over a [java.time.Clock] and coroutine delays, which is all Android needs
 * while the app runs (reminders that must fire with the app closed are the [NotifyHandler]'s).
 *
 * A timer is the coroutine that asked for it, suspended in [delay]; clearing it cancels that
 * coroutine, so a cleared timer never answers.
 *
 * A zero-length timer is the core yielding to the screen (the second step of a start reads
 * the rest of the stored data once the first screen is out): it answers after [nextFrame],
 * which on Android waits for the next frame to be drawn. Elsewhere it answers at once.
 */
class ClockTimeHandler(
    private val clock: Clock = Clock.systemUTC(),
    private val nextFrame: suspend () -> Unit = {},
) : TimeHandler {
    private val timers = ConcurrentHashMap<ULong, Job>()

    override suspend fun handle(request: TimeRequest): TimeResponse? =
        when (request) {
            is TimeRequest.Now -> TimeResponse.Now(now())
            is TimeRequest.NotifyAt -> {
                sleep(request.id.value, millisOf(request.instant) - clock.millis())
                TimeResponse.InstantArrived(request.id)
            }
            is TimeRequest.NotifyAfter -> {
                if (request.duration.nanos == 0UL) {
                    nextFrame()
                } else {
                    sleep(request.id.value, (request.duration.nanos / 1_000_000UL).toLong())
                }
                TimeResponse.DurationElapsed(request.id)
            }
            is TimeRequest.Clear -> {
                timers.remove(request.id.value)?.cancel()
                TimeResponse.Cleared(request.id)
            }
        }

    private suspend fun sleep(
        timer: ULong,
        millis: Long,
    ) {
        timers[timer] = currentCoroutineContext().job
        try {
            delay(millis.coerceAtLeast(0))
        } finally {
            timers.remove(timer)
        }
    }

    private fun now(): Instant {
        val now = clock.instant()
        return Instant(now.epochSecond.toULong(), now.nano.toUInt())
    }

    private fun millisOf(instant: Instant): Long = instant.seconds.toLong() * 1000 + instant.nanos.toLong() / 1_000_000
}
