package app.rounds.android

import android.Manifest
import android.app.AlarmManager
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleEventEffect
import app.rounds.android.ui.ReminderAccess

/** What the person has allowed the app; Settings can change each of them at any time. */
internal object Permissions {
    fun location(context: Context): Boolean =
        listOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION).any {
            ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED
        }

    fun notifications(context: Context): Boolean = NotificationManagerCompat.from(context).areNotificationsEnabled()

    fun exactAlarms(context: Context): Boolean =
        Build.VERSION.SDK_INT < Build.VERSION_CODES.S ||
            context.getSystemService(AlarmManager::class.java)?.canScheduleExactAlarms() == true

    /** The run-time permissions not granted yet, to ask for in one go. */
    fun missing(context: Context): List<String> =
        buildList {
            if (!location(context)) {
                add(Manifest.permission.ACCESS_FINE_LOCATION)
                add(Manifest.permission.ACCESS_COARSE_LOCATION)
            }
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU && !notifications(context)) {
                add(Manifest.permission.POST_NOTIFICATIONS)
            }
        }
}

/**
 * Asks for location and notifications once the person has signed in (not at the first
 * screen, before they know what the app is), and tells the frame whether reminders can reach
 * them, with the way to fix it in Settings.
 *
 * @param remindersWaiting reminders are scheduled, so exact alarms matter now.
 * @param onLocationAllowed called whenever location is found allowed.
 */
@Composable
internal fun rememberDeviceAccess(
    signedIn: Boolean,
    remindersWaiting: Boolean,
    onLocationAllowed: () -> Unit,
): ReminderAccess {
    val context = LocalContext.current
    var notifications by remember { mutableStateOf(Permissions.notifications(context)) }
    var exactAlarms by remember { mutableStateOf(Permissions.exactAlarms(context)) }
    val recheck = {
        notifications = Permissions.notifications(context)
        exactAlarms = Permissions.exactAlarms(context)
        if (Permissions.location(context)) onLocationAllowed()
    }
    // Back from Settings, or from the background: any of them may have changed.
    LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { recheck() }

    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { recheck() }
    var asked by rememberSaveable { mutableStateOf(false) }
    LaunchedEffect(signedIn) {
        if (signedIn && !asked) {
            asked = true
            Permissions.missing(context).takeIf { it.isNotEmpty() }?.let { ask.launch(it.toTypedArray()) }
        }
    }

    val blocked = signedIn && (!notifications || (remindersWaiting && !exactAlarms))
    return ReminderAccess(blocked = blocked) {
        // The system dialog was shown at sign-in; once refused, only Settings can change it.
        val intent =
            if (!notifications) {
                Intent(Settings.ACTION_APP_NOTIFICATION_SETTINGS)
                    .putExtra(Settings.EXTRA_APP_PACKAGE, context.packageName)
            } else if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
                Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.fromParts("package", context.packageName, null))
            } else {
                null
            }
        intent?.let { context.startActivity(it) }
    }
}
