package app.rounds.core

import app.rounds.shared.Notification
import app.rounds.shared.NotifyRequest
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.time.Clock
import java.util.concurrent.ConcurrentHashMap

/**
 * [NotifyHandler] that shows each notification through [show] at its time, while [scope]
 * lives: a desktop JVM's, and the model of what the Android one does with AlarmManager
 * (which also fires with the app closed).
 *
 * Scheduling an id that is already scheduled replaces it (a snoozed follow-up keeps its id).
 */
class ScheduledNotifyHandler(
    private val scope: CoroutineScope,
    private val clock: Clock = Clock.systemUTC(),
    private val show: (Notification) -> Unit,
) : NotifyHandler {
    private val pending = ConcurrentHashMap<String, Pair<Notification, Job>>()

    /** What is scheduled and not shown yet, by id. */
    val scheduled: Map<String, Notification>
        get() = pending.mapValues { it.value.first }

    override fun handle(request: NotifyRequest) {
        when (request) {
            is NotifyRequest.Schedule -> schedule(request.value)
            is NotifyRequest.Cancel -> pending.remove(request.id)?.second?.cancel()
            is NotifyRequest.CancelAll -> pending.keys.toList().forEach { pending.remove(it)?.second?.cancel() }
        }
    }

    private fun schedule(notification: Notification) {
        lateinit var entry: Pair<Notification, Job>
        val job =
            scope.launch(start = CoroutineStart.LAZY) {
                delay((notification.fireAtMs - clock.millis()).coerceAtLeast(0))
                // Only if it is still the one scheduled under its id: one that replaced it
                // while this one was firing is not taken away.
                if (pending.remove(notification.id, entry)) show(notification)
            }
        entry = notification to job
        pending.put(notification.id, entry)?.second?.cancel()
        job.start()
    }
}
