package app.rounds.core

import app.rounds.shared.Duration
import app.rounds.shared.TimeRequest
import app.rounds.shared.TimeResponse
import app.rounds.shared.TimerId
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Test

/** Timers: a zero-length one is the core yielding to the screen and waits for the frame. */
class ClockTimeHandlerTest {
    @Test
    fun `a zero-length timer answers after the next frame, a timed one on its own`() =
        runBlocking {
            val frame = CompletableDeferred<Unit>()
            val time = ClockTimeHandler(nextFrame = { frame.await() })
            val yielded = async { time.handle(TimeRequest.NotifyAfter(TimerId(1UL), Duration(0UL))) }
            repeat(10) { yield() }
            assertFalse("no answer before the frame", yielded.isCompleted)
            frame.complete(Unit)
            assertEquals(TimeResponse.DurationElapsed(TimerId(1UL)), withTimeout(1_000) { yielded.await() })

            val timed = time.handle(TimeRequest.NotifyAfter(TimerId(2UL), Duration(1_000_000UL)))
            assertEquals(TimeResponse.DurationElapsed(TimerId(2UL)), timed)
        }
}
