package app.rounds.android.notify

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent

/**
 * A reminder's alarm went off: shows it, with the words the core gave when it was scheduled.
 * The app may not be running, and needs not be.
 */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(
        context: Context,
        intent: Intent,
    ) {
        val id = Reminders.idOf(intent) ?: return
        val store = ReminderStore(context)
        // Cancelled since it was armed (the follow-up was done or moved): nothing to show.
        val reminder = store.get(id) ?: return
        store.remove(id)
        Reminders.ensureChannel(context, null)
        Reminders.show(context, reminder)
    }
}
