package app.rounds.android.notify

import android.content.Context
import androidx.core.content.edit
import org.json.JSONException
import org.json.JSONObject
import app.rounds.shared.Notification as Reminder

/**
 * The reminders waiting for their alarm, kept on disk because alarms are not: a reboot
 * clears them, and the receiver that shows one runs when the app (and its core) may be long
 * gone. One entry per reminder id, so scheduling an id again replaces it, as the core expects.
 */
internal class ReminderStore(
    context: Context,
) {
    private val prefs = context.getSharedPreferences(FILE, Context.MODE_PRIVATE)

    fun put(reminder: Reminder) =
        prefs.edit {
            putString(
                reminder.id,
                JSONObject()
                    .put(TITLE, reminder.title)
                    .put(BODY, reminder.body)
                    .put(FIRE_AT, reminder.fireAtMs)
                    .toString(),
            )
        }

    fun remove(id: String) = prefs.edit { remove(id) }

    fun clear() = prefs.edit { clear() }

    fun get(id: String): Reminder? = prefs.getString(id, null)?.let { decode(id, it) }

    fun all(): List<Reminder> = prefs.all.mapNotNull { (id, value) -> (value as? String)?.let { decode(id, it) } }

    private fun decode(
        id: String,
        json: String,
    ): Reminder? =
        try {
            val o = JSONObject(json)
            Reminder(id, o.getString(TITLE), o.getString(BODY), o.getLong(FIRE_AT))
        } catch (e: JSONException) {
            // Written by another version of the app: the core schedules it again at its next start.
            null
        }

    private companion object {
        const val FILE = "rounds.reminders"
        const val TITLE = "title"
        const val BODY = "body"
        const val FIRE_AT = "fireAtMs"
    }
}
