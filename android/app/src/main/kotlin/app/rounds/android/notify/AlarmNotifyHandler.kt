package app.rounds.android.notify

import android.content.Context
import androidx.core.app.NotificationManagerCompat
import app.rounds.core.NotifyHandler
import app.rounds.shared.NotifyRequest
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * [NotifyHandler] over AlarmManager: each reminder is stored (so that a reboot does not lose
 * it) and armed as an alarm, and [ReminderReceiver] shows it at its time, with the app open
 * or not. The core's `ScheduledNotifyHandler` is the same contract on a desktop JVM.
 *
 * @param channelName the core's word for reminders in the person's language, which names
 *   the notification channel in the system settings.
 */
class AlarmNotifyHandler(
    context: Context,
    private val channelName: () -> String?,
) : NotifyHandler {
    private val context = context.applicationContext
    private val store = ReminderStore(this.context)
    private val mutableWaiting = MutableStateFlow(store.all().size)

    /** How many reminders wait for their time: worth asking for exact alarms only if some do. */
    val waiting: StateFlow<Int> = mutableWaiting.asStateFlow()

    override fun handle(request: NotifyRequest) {
        when (request) {
            is NotifyRequest.Schedule -> {
                Reminders.ensureChannel(context, channelName())
                store.put(request.value)
                Reminders.arm(context, request.value)
            }
            is NotifyRequest.Cancel -> {
                store.remove(request.id)
                Reminders.withdraw(context, request.id)
            }
            // Sent at start, before the open follow-ups are scheduled afresh: reminders an
            // earlier run armed or showed all go, and the follow-up lists say what is due.
            is NotifyRequest.CancelAll -> {
                store.all().forEach { Reminders.withdraw(context, it.id) }
                store.clear()
                NotificationManagerCompat.from(context).cancelAll()
            }
        }
        mutableWaiting.value = store.all().size
    }
}
