package app.rounds.core

import app.rounds.shared.BoardDay
import app.rounds.shared.DispatcherEvent
import app.rounds.shared.Event
import app.rounds.shared.FormField
import app.rounds.shared.LookupEvent
import app.rounds.shared.PlanEvent
import app.rounds.shared.Screen
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import kotlin.io.path.createTempDirectory

/**
 * A dispatcher at the board on the phone: the queue and technicians, a suggestion with
 * reasons, another day and its plan, search and the customer form's duplicate warning. Every
 * view model on the way is read by the generated Kotlin and must give the core's bytes back
 * ([RoundTripBridge]), so the dispatcher's and the lookup's view types are checked too (two
 * types of one name once broke every dispatcher view in Kotlin and Swift).
 */
class DispatcherBoardTest {
    @Test
    fun `a dispatcher's board, suggestion, plan, search and customer form read in Kotlin`() {
        ServerProcess.start().use { server ->
            Device(createTempDirectory("rounds-dispatch-").toFile(), server.base).use { phone ->
                phone.start()
                phone.await("the sign-in screen") { it.screen is Screen.SignIn }
                phone.send(Event.SignIn("dispatch1", ServerApi.PASSWORD, ""))
                val board =
                    phone
                        .await("the board with its queue and technicians") { v ->
                            v.board?.let { it.unassigned.isNotEmpty() && it.technicians.isNotEmpty() } == true
                        }.board!!
                assertTrue("the new-job form's choices", board.jobForm.services.isNotEmpty() && board.jobForm.skills.isNotEmpty())

                val job = board.unassigned.first()
                phone.send(Event.Dispatcher(DispatcherEvent.Suggest(job.id)))
                val suggestion =
                    phone.await("a suggestion") { it.board?.dispatch?.suggestion?.job == job.id }.board!!.dispatch.suggestion!!
                assertTrue("ranked or ruled out", suggestion.candidates.isNotEmpty() || suggestion.excluded.isNotEmpty())
                assertTrue("every candidate has reasons", suggestion.candidates.all { it.reasons.isNotEmpty() })

                phone.send(Event.Dispatcher(DispatcherEvent.Day(BoardDay.Next)))
                val tomorrow = phone.await("tomorrow's board") { it.board?.isToday == false }.board!!
                assertTrue(tomorrow.dayTitle.text, tomorrow.dayTitle.text.startsWith("Tomorrow"))
                phone.send(Event.Dispatcher(DispatcherEvent.Plan(PlanEvent.PROPOSE)))
                val plan = phone.await("tomorrow's plan") { it.board?.dispatch?.plan != null }.board!!.dispatch.plan!!
                assertTrue(plan.title.text, plan.title.text.contains(tomorrow.day))

                phone.send(Event.Lookup(LookupEvent.Query(job.customerName)))
                val hit =
                    phone
                        .await("the customer found by name") { v -> v.lookup.results.any { it.customer == job.customer } }
                        .lookup.results
                        .first { it.customer == job.customer }
                phone.send(Event.Lookup(LookupEvent.EditCustomer(hit.customer)))
                val phones = phone.await("the customer's form") { it.lookup.form?.editing == hit.customer }.lookup.form!!.draft.phones
                assertTrue("a dispatcher sees the numbers", phones.isNotEmpty() && phones.none { '*' in it })
                phone.send(Event.Lookup(LookupEvent.CloseCustomer))
                phone.send(Event.Lookup(LookupEvent.NewCustomer))
                phone.send(Event.Lookup(LookupEvent.Type(FormField.PHONES, phones.first())))
                val warned =
                    phone.await("a new customer with that number is a likely duplicate") { v ->
                        v.lookup.form?.let { it.editing == null && it.duplicates.isNotEmpty() } == true
                    }
                assertEquals(hit.customer, warned.lookup.form!!.duplicates.first().customer)
            }
        }
    }
}
