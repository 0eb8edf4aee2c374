package app.rounds.core

import app.rounds.shared.CompletionDraft
import app.rounds.shared.Event
import app.rounds.shared.JobAction
import app.rounds.shared.JobFormView
import app.rounds.shared.JobStatus
import app.rounds.shared.Screen
import app.rounds.shared.TechnicianEvent
import org.junit.Assert.assertTrue
import org.junit.Test
import java.util.UUID
import kotlin.io.path.createTempDirectory

/**
 * The Kotlin shell drives the real core against the real server, over loopback: a technician
 * signs in and gets the day, loses the network and completes a job, the app is started
 * again in a new process from what its store wrote, and when the network is back the server
 * has the completion.
 */
class TechnicianOfflineTest {
    @Test
    fun `a job completed offline survives a restart and reaches the server`() {
        val server = ServerProcess.start()
        var back: ServerProcess? = null
        try {
            val api = ServerApi(server.base)
            val work = api.technicianWithWork()
            val job = UUID.fromString(work.job)
            val dir = createTempDirectory("rounds-device-").toFile()
            val notes = "Kotlin offline ${System.currentTimeMillis()}"
            var changes = 0

            Device(dir, server.base).use { phone ->
                phone.start()
                phone.await("the sign-in screen") { it.screen is Screen.SignIn }
                phone.send(Event.SignIn(work.login, ServerApi.PASSWORD, ""))
                phone.await("the technician's day, with the planned job, synced") { view ->
                    view.myDay?.jobs?.any { it.id == job } == true && view.sync.online && view.pendingChanges == 0u
                }

                // No network for real: the server is gone.
                server.stop()
                phone.send(Event.Technician(TechnicianEvent.OpenJob(job)))
                val status = phone.await("the job open") { it.openJob?.card?.id == job }.openJob!!.card.status
                val steps =
                    when (status) {
                        JobStatus.ASSIGNED ->
                            listOf(JobAction.STARTTRAVEL to JobStatus.ENROUTE, JobAction.ARRIVE to JobStatus.ONSITE)
                        JobStatus.ENROUTE -> listOf(JobAction.ARRIVE to JobStatus.ONSITE)
                        JobStatus.ONSITE -> emptyList()
                        else -> throw AssertionError("the planned job cannot be worked: $status")
                    }
                for ((action, after) in steps) {
                    phone.send(Event.Technician(TechnicianEvent.Act(action)))
                    phone.await("$action taken") { it.openJob?.card?.status == after }
                }
                phone.send(Event.Technician(TechnicianEvent.Act(JobAction.COMPLETE)))
                phone.await("the completion form") { it.openJob?.form is JobFormView.Completion }
                val draft = CompletionDraft(notes, parts = "filter x1", satisfaction = 5u, firstVisitFix = true)
                phone.send(Event.Technician(TechnicianEvent.CompletionDraft(draft)))
                phone.send(Event.Technician(TechnicianEvent.SubmitCompletion))
                changes = steps.size + 1
                phone.await("completed, written on the device, waiting to sync, offline") { view ->
                    view.openJob?.card?.status == JobStatus.COMPLETED &&
                        view.pendingChanges == changes.toUInt() && !view.sync.saving && !view.sync.online
                }
            }
            assertTrue("the server is down", runCatching { api.hasCompletion(work.technician, notes) }.isFailure)

            // The app is started again, in a new process, still with no network: everything it
            // knows comes from its files.
            PhoneProcess.start(dir, server.base, job, changes).use { phone ->
                phone.expect("OFFLINE")
                // The network is back: the server is there again, on the same data and port.
                back = server.restart()
                phone.send("ONLINE")
                phone.expect("SYNCED")
            }
            assertTrue("the server has the completion", api.hasCompletion(work.technician, notes))
        } finally {
            back?.close()
            server.close()
        }
    }
}
