package app.rounds.android.notify

import android.Manifest
import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import androidx.core.app.NotificationChannelCompat
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.core.content.edit
import app.rounds.R
import app.rounds.shared.Notification as Reminder

/**
 * Arming, showing and withdrawing one reminder, shared by the handler (while the app runs)
 * and the receivers (when it may not).
 */
internal object Reminders {
    /** Reminders have one channel, so a person can silence them apart from nothing else. */
    private const val CHANNEL = "follow-up-reminders"

    /** Each reminder is shown under its id as the tag, so that Cancel finds it in the tray. */
    private const val NOTIFICATION_ID = 1

    private const val ACTION_FIRE = "app.rounds.action.REMINDER"
    private const val SCHEME = "rounds-reminder"
    private const val SETTINGS = "rounds.reminder-settings"
    private const val CHANNEL_NAME = "channel-name"

    /**
     * Wakes the phone at the reminder's minute, exactly where the person allowed exact alarms
     * (Android 12 and later ask), else as close as Android batches inexact alarms. A time
     * already past fires at once: a reminder due while the phone was off is shown at boot.
     */
    fun arm(
        context: Context,
        reminder: Reminder,
    ) {
        val alarms = context.getSystemService(AlarmManager::class.java) ?: return
        val fire = alarmIntent(context, reminder.id)
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()) {
            try {
                alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.fireAtMs, fire)
                return
            } catch (e: SecurityException) {
                // The grant was withdrawn between the check and the call: inexact below.
            }
        }
        alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.fireAtMs, fire)
    }

    /** Takes back the alarm, and the notification if it is already in the tray. */
    fun withdraw(
        context: Context,
        id: String,
    ) {
        context.getSystemService(AlarmManager::class.java)?.cancel(alarmIntent(context, id))
        NotificationManagerCompat.from(context).cancel(id, NOTIFICATION_ID)
    }

    /**
     * Creates the channel, or renames it: its name is the core's word for reminders in the
     * person's language, remembered for the receivers, which run without the core.
     */
    fun ensureChannel(
        context: Context,
        name: String?,
    ) {
        val settings = context.getSharedPreferences(SETTINGS, Context.MODE_PRIVATE)
        val known = settings.getString(CHANNEL_NAME, null)
        if (name != null && name != known) settings.edit { putString(CHANNEL_NAME, name) }
        val channel =
            NotificationChannelCompat
                .Builder(CHANNEL, NotificationManagerCompat.IMPORTANCE_DEFAULT)
                .setName(name ?: known ?: context.getString(R.string.app_name))
                .build()
        NotificationManagerCompat.from(context).createNotificationChannel(channel)
    }

    /** Puts the reminder in the tray; a tap opens the app where the person left it. */
    fun show(
        context: Context,
        reminder: Reminder,
    ) {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) !=
            PackageManager.PERMISSION_GRANTED
        ) {
            // Not allowed: the follow-up lists still show it when the app is opened.
            return
        }
        val launch =
            context.packageManager.getLaunchIntentForPackage(context.packageName)?.apply {
                addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_RESET_TASK_IF_NEEDED)
            }
        val open =
            launch?.let {
                PendingIntent.getActivity(context, 0, it, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
            }
        val notification =
            NotificationCompat
                .Builder(context, CHANNEL)
                .setSmallIcon(R.drawable.ic_notification)
                .setContentTitle(reminder.title)
                .setContentText(reminder.body)
                .setStyle(NotificationCompat.BigTextStyle().bigText(reminder.body))
                .setCategory(NotificationCompat.CATEGORY_REMINDER)
                .setWhen(reminder.fireAtMs)
                .setShowWhen(true)
                .setAutoCancel(true)
                .setContentIntent(open)
                .build()
        NotificationManagerCompat.from(context).notify(reminder.id, NOTIFICATION_ID, notification)
    }

    /** The id of the reminder an alarm is for. */
    fun idOf(intent: Intent): String? = intent.data?.takeIf { intent.action == ACTION_FIRE }?.schemeSpecificPart

    /**
     * One PendingIntent per reminder id: the id is the intent's data, which tells intents
     * apart, so arming an id again replaces its alarm and cancelling finds it.
     */
    private fun alarmIntent(
        context: Context,
        id: String,
    ): PendingIntent =
        PendingIntent.getBroadcast(
            context,
            0,
            Intent(context, ReminderReceiver::class.java)
                .setAction(ACTION_FIRE)
                .setData(Uri.fromParts(SCHEME, id, null)),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
}
