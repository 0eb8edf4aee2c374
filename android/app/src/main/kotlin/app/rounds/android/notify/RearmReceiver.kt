package app.rounds.android.notify

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent

/**
 * Arms every stored reminder again. Alarms are lost at a reboot; after an update of the app,
 * and when the person allows exact alarms, arming again makes them exact. Nothing else asks
 * for the core: the words were stored with each reminder.
 */
class RearmReceiver : BroadcastReceiver() {
    override fun onReceive(
        context: Context,
        intent: Intent,
    ) {
        when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED,
            -> ReminderStore(context).all().forEach { Reminders.arm(context, it) }
        }
    }
}
