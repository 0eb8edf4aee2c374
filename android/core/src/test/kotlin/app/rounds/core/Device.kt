package app.rounds.core

import app.rounds.shared.Event
import app.rounds.shared.Notification
import app.rounds.shared.ViewModel
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.io.File
import java.util.Collections
import java.util.concurrent.Executors

/**
 * A phone as the tests run it: the real core (the host build of `shared` through uniffi,
 * every answer read back by [RoundTripBridge]) with the real handlers, its device database
 * in [dir]. [close] is the process dying: the
 * core and everything in memory go, the files stay, and a new [Device] on the same [dir] is
 * the app started again.
 */
class Device(
    val dir: File,
    private val serverUrl: String,
    private val deviceId: String = "kotlin-" + dir.name,
) : AutoCloseable {
    // One thread, as Android's main thread: the core is only called from it.
    private val thread = Executors.newSingleThreadExecutor { Thread(it, "core-$deviceId").apply { isDaemon = true } }
    private val failures = Collections.synchronizedList(mutableListOf<Throwable>())
    private val scope =
        CoroutineScope(
            SupervisorJob() + thread.asCoroutineDispatcher() + CoroutineExceptionHandler { _, e -> failures += e },
        )
    private val bridge = FfiCoreBridge()

    /** Notifications shown so far, with when (Unix milliseconds). */
    val shown: MutableList<Pair<Notification, Long>> = Collections.synchronizedList(mutableListOf())
    val notify = ScheduledNotifyHandler(scope) { shown += it to System.currentTimeMillis() }

    val core =
        Core(
            bridge = RoundTripBridge(bridge),
            scope = scope,
            http = UrlConnectionHttpHandler(connectTimeoutMs = 2_000),
            store = FileStoreHandler(dir),
            time = ClockTimeHandler(),
            location = LocationHandler.Unknown,
            notify = notify,
            keyValue = KeyValueHandler.Empty,
            live = UrlConnectionLiveHandler(connectTimeoutMs = 2_000),
        )

    val view: ViewModel get() = core.viewModel.value

    /** Starts the app, as Android's `onCreate` would. */
    fun start() = send(Event.Start(serverUrl, deviceId))

    fun send(event: Event) {
        checkHealthy()
        core.update(event)
    }

    /** Waits until the view model is as [what] says, failing with [why] and the screen after [seconds]. */
    fun await(
        why: String,
        seconds: Long = 60,
        what: (ViewModel) -> Boolean,
    ): ViewModel {
        val view = runBlocking { withTimeoutOrNull(seconds * 1000) { core.viewModel.first { what(it) } } }
        checkHealthy()
        return view ?: throw AssertionError("$why: not within ${seconds}s; the device shows\n${summary(this.view)}")
    }

    // The labels (every fixed word of every screen) would drown the rest.
    private fun summary(view: ViewModel): String =
        "screen=${view.screen}\npendingChanges=${view.pendingChanges} sync=${view.sync}\n" +
            "notice=${view.notice} rejected=${view.rejected}"

    private fun checkHealthy() {
        failures.firstOrNull()?.let { throw AssertionError("the shell failed", it) }
    }

    override fun close() {
        scope.cancel()
        thread.shutdown()
        thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)
        bridge.close()
    }
}
