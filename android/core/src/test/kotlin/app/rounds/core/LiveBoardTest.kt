package app.rounds.core

import app.rounds.shared.Event
import app.rounds.shared.JobStatus
import app.rounds.shared.Screen
import org.junit.Test
import java.util.UUID
import kotlin.io.path.createTempDirectory

/**
 * The board hears a technician's step through the live channel (`GET /v1/live`, opened by
 * [UrlConnectionLiveHandler]). While the channel is live the core does not pull on its own
 * (its pull rests as long as the channel is heard from), so the step can only arrive by the
 * push: the test checks that the board stayed live throughout.
 */
class LiveBoardTest {
    @Test
    fun `a technician's step reaches the board through the live channel`() {
        ServerProcess.start().use { server ->
            val api = ServerApi(server.base)
            val work = api.technicianWithWork()
            val job = UUID.fromString(work.job)
            Device(createTempDirectory("rounds-live-").toFile(), server.base).use { phone ->
                phone.start()
                phone.await("the sign-in screen") { it.screen is Screen.SignIn }
                phone.send(Event.SignIn("dispatch1", ServerApi.PASSWORD, ""))
                phone.await("the board, live, with the technician's job") { v ->
                    v.sync.live && v.board?.technicians?.any { t -> t.jobs.any { it.id == job && it.status == JobStatus.ASSIGNED } } == true
                }
                api.startTravel(work)
                phone.await("the step on the board, the channel live throughout") { v ->
                    check(v.sync.live || v.sync.syncing) { "the channel closed: ${v.sync}" }
                    v.board?.technicians?.any { t -> t.jobs.any { it.id == job && it.status == JobStatus.ENROUTE } } == true
                }
            }
        }
    }
}
