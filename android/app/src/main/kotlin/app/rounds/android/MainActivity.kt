package app.rounds.android

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.viewModels
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.rounds.android.ui.RoundsApp
import app.rounds.android.ui.theme.RoundsTheme

/** The one activity: the core's view model, rendered by [RoundsApp]. */
class MainActivity : ComponentActivity() {
    private val rounds: RoundsViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        setContent {
            val view by rounds.view.collectAsStateWithLifecycle()
            val waiting by rounds.reminders.waiting.collectAsStateWithLifecycle()
            val access =
                rememberDeviceAccess(
                    signedIn = view.userName != null,
                    remindersWaiting = waiting > 0,
                    onLocationAllowed = rounds::watchLocation,
                )
            RoundsTheme {
                RoundsApp(view = view, onEvent = rounds::send, reminders = access)
            }
        }
    }

    // A fix is kept at hand while the app is on screen only: field steps are taken in it.
    override fun onStart() {
        super.onStart()
        rounds.watchLocation()
    }

    override fun onStop() {
        rounds.stopLocation()
        super.onStop()
    }
}
