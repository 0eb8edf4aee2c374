package app.rounds.core

import app.rounds.shared.ConflictEvent
import app.rounds.shared.DispatcherEvent
import app.rounds.shared.Event
import app.rounds.shared.FollowUpEvent
import app.rounds.shared.Lang
import app.rounds.shared.LookupEvent
import app.rounds.shared.Role
import app.rounds.shared.SalesEvent
import app.rounds.shared.TechnicianEvent
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Test
import java.util.UUID
import kotlin.io.path.createTempDirectory

/**
 * Every kind of event a shell sends is written by the generated Kotlin as the core reads it.
 * (What comes back, effect requests and view models, is checked at every call by
 * [RoundTripBridge].)
 */
class EventBincodeTest {
    private val events =
        listOf(
            Event.Start("http://127.0.0.1:9", "kotlin-events"),
            Event.SignIn("nobody", "wrong", ""),
            Event.ShowRole(Role.SALES),
            Event.SyncNow,
            Event.Online,
            Event.DismissNotice,
            Event.Technician(TechnicianEvent.CloseJob),
            Event.Sales(SalesEvent.CloseLead),
            Event.Dispatcher(DispatcherEvent.Unassign(UUID.randomUUID())),
            Event.FollowUps(FollowUpEvent.Complete(UUID.randomUUID())),
            // Not ASCII: strings cross as UTF-8.
            Event.Lookup(LookupEvent.Query("王 wáng")),
            Event.Conflicts(ConflictEvent.KeepKept(UUID.randomUUID())),
            Event.SignOut,
            // Last, so that the core has read every event before when the view says so.
            Event.SetLanguage(Lang.SIMPLIFIEDCHINESE),
        )

    @Test
    fun `every kind of event reads back the same in Kotlin`() {
        for (event in events) {
            val bytes = event.bincodeSerialize()
            assertEquals(event, Event.bincodeDeserialize(bytes))
            assertArrayEquals(bytes, Event.bincodeDeserialize(bytes).bincodeSerialize())
        }
    }

    @Test
    fun `the core reads every kind of event`() {
        // No server at that address: the core hears that it is offline, which is all it needs.
        Device(createTempDirectory("rounds-events-").toFile(), "http://127.0.0.1:9").use { phone ->
            events.forEach(phone::send)
            // A bridge call that failed would fail here (Device.await checks the shell's health).
            phone.await("every event read, in Chinese at the end") { it.language == Lang.SIMPLIFIEDCHINESE }
        }
    }
}
