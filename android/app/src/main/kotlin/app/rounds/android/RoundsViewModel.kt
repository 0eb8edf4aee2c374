package app.rounds.android

import android.app.Application
import android.net.ConnectivityManager
import android.net.Network
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import app.rounds.BuildConfig
import app.rounds.android.location.AndroidLocationHandler
import app.rounds.android.notify.AlarmNotifyHandler
import app.rounds.core.ClockTimeHandler
import app.rounds.core.Core
import app.rounds.core.FfiCoreBridge
import app.rounds.core.FileStoreHandler
import app.rounds.core.KeyValueHandler
import app.rounds.core.UrlConnectionHttpHandler
import app.rounds.core.UrlConnectionLiveHandler
import app.rounds.shared.Event
import app.rounds.shared.ViewModel
import kotlinx.coroutines.flow.StateFlow
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Owns the core for as long as the screen does, and wires it to the phone: the handlers of
 * the core module where plain Java does the job (HTTP, files, the clock), Android ones where
 * it does not (location, reminders that fire with the app closed).
 *
 * The core runs on [viewModelScope], whose dispatcher is the main thread's: one thread, as
 * [Core] requires, and the view model changes where Compose reads it.
 */
class RoundsViewModel(
    application: Application,
) : AndroidViewModel(application) {
    private val preferences = ShellPreferences(application)
    private val bridge = FfiCoreBridge()
    private val location = AndroidLocationHandler(application)

    /** Reminders: what waits for its time decides whether exact alarms are worth asking for. */
    val reminders: AlarmNotifyHandler = AlarmNotifyHandler(application) { core.viewModel.value.labels.frame.reminders.text }

    private val core: Core =
        Core(
            bridge = bridge,
            scope = viewModelScope,
            http = UrlConnectionHttpHandler(),
            store = FileStoreHandler(application.filesDir.resolve("rounds")),
            time = ClockTimeHandler(nextFrame = ::afterNextFrame),
            location = location,
            notify = reminders,
            keyValue = KeyValueHandler.Empty,
            live = UrlConnectionLiveHandler(),
        )

    /** What the screens render; every word and rule in it comes from the core. */
    val view: StateFlow<ViewModel> = core.viewModel

    private val connectivity = application.getSystemService(ConnectivityManager::class.java)

    // The core retries a failed sync on its own clock; hearing that the network is back lets
    // it try at once. The first callback only reports the network the phone already has.
    private val network =
        object : ConnectivityManager.NetworkCallback() {
            private val lost = AtomicBoolean(false)

            override fun onAvailable(network: Network) {
                // Called on a system thread; update() hands the event to the core's scope.
                if (lost.getAndSet(false)) core.update(Event.Online)
            }

            override fun onLost(network: Network) {
                lost.set(true)
            }
        }

    init {
        core.update(Event.Start(BuildConfig.SERVER_URL, preferences.deviceId))
        preferences.language(view.value.languages)?.let { core.update(Event.SetLanguage(it)) }
        connectivity?.registerDefaultNetworkCallback(network)
    }

    /** Sends what the person did to the core. */
    fun send(event: Event) {
        if (event is Event.SetLanguage) preferences.rememberLanguage(event.value)
        core.update(event)
    }

    /** Keeps a recent fix at hand, if the person allowed location (called again once they do). */
    fun watchLocation() = location.watch()

    fun stopLocation() = location.stop()

    override fun onCleared() {
        connectivity?.unregisterNetworkCallback(network)
        location.stop()
        // viewModelScope is cancelled by now, so nothing calls the bridge after this.
        bridge.close()
    }
}
