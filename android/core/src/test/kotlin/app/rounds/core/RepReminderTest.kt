package app.rounds.core

import app.rounds.shared.Event
import app.rounds.shared.FollowUpEvent
import app.rounds.shared.Screen
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import kotlin.io.path.createTempDirectory

/**
 * A sales rep moves a follow-up to a few seconds from now: the core schedules its reminder
 * through the notification handler for exactly that instant, and it is shown then.
 */
class RepReminderTest {
    @Test
    fun `a rescheduled follow-up is shown at its new due time`() {
        ServerProcess.start().use { server ->
            Device(createTempDirectory("rounds-rep-").toFile(), server.base).use { phone ->
                phone.start()
                phone.await("the sign-in screen") { it.screen is Screen.SignIn }
                phone.send(Event.SignIn("sales01", ServerApi.PASSWORD, ""))
                val lists = phone.await("the rep's follow-ups") { it.followUps?.overdue?.isNotEmpty() == true }
                val followUp = lists.followUps!!.overdue.first()
                val id = "follow-up:${followUp.id}"

                val due = System.currentTimeMillis() + 5_000
                phone.send(Event.FollowUps(FollowUpEvent.Reschedule(followUp.id, due)))
                val scheduled = waitFor("the reminder scheduled", 20) { phone.notify.scheduled[id] }
                assertEquals("the reminder fires at the new due time", due, scheduled.fireAtMs)
                assertTrue("the reminder has words", scheduled.title.isNotBlank() && scheduled.body.isNotBlank())

                val (shown, at) = waitFor("the reminder shown", 20) { phone.shown.firstOrNull { it.first.id == id } }
                assertEquals(scheduled, shown)
                assertTrue("shown at its time, not before: ${at - due} ms", at >= due && at - due < 2_000)
            }
        }
    }

    private fun <T : Any> waitFor(
        what: String,
        seconds: Long,
        probe: () -> T?,
    ): T {
        val end = System.currentTimeMillis() + seconds * 1000
        while (System.currentTimeMillis() < end) {
            probe()?.let { return it }
            Thread.sleep(50)
        }
        throw AssertionError("$what: not within ${seconds}s")
    }
}
