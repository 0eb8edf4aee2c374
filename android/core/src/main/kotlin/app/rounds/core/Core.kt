package app.rounds.core

import app.rounds.shared.Effect
import app.rounds.shared.Event
import app.rounds.shared.LiveRequest
import app.rounds.shared.Request
import app.rounds.shared.Requests
import app.rounds.shared.ViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/**
 * The shell's side of the core: sends events, carries out the effects the core asks for with
 * one handler each, answers them, and publishes the view model the screens render.
 *
 * All logic is in the core; this class only routes. Each effect request is carried out in a
 * coroutine of its own, so that a timer or a slow request never holds up the rest.
 *
 * [scope] must run one coroutine at a time (the main dispatcher on Android, a single thread
 * elsewhere): the core is called from it only, requests are started in the order the core
 * made them (the store writes batches in that order), and [viewModel] changes on it.
 */
class Core(
    private val bridge: CoreBridge,
    private val scope: CoroutineScope,
    private val http: HttpHandler,
    private val store: StoreHandler,
    private val time: TimeHandler,
    private val location: LocationHandler,
    private val notify: NotifyHandler,
    private val keyValue: KeyValueHandler,
    private val live: LiveHandler,
) {
    /** The open live channel's collection; one at a time, as the core asks. */
    private var liveChannel: Job? = null

    private val mutableViewModel = MutableStateFlow(currentView())

    /** What the screens show; a new value at every render the core asks for. */
    val viewModel: StateFlow<ViewModel> = mutableViewModel.asStateFlow()

    /** Sends [event] to the core and carries out what follows from it. */
    fun update(event: Event) {
        scope.launch { start(bridge.update(event.bincodeSerialize())) }
    }

    /** Starts carrying out each of the serialized [requests], in the order the core made them. */
    private fun start(requests: ByteArray) {
        for (request in Requests.bincodeDeserialize(requests).value) {
            scope.launch { carryOut(request) }
        }
    }

    private suspend fun carryOut(request: Request) {
        when (val effect = request.effect) {
            is Effect.Render -> mutableViewModel.value = currentView()
            is Effect.Http -> resolve(request, http.send(effect.value).bincodeSerialize())
            is Effect.Store -> resolve(request, store.handle(effect.value).bincodeSerialize())
            is Effect.KeyValue -> resolve(request, keyValue.handle(effect.value).bincodeSerialize())
            is Effect.Location -> resolve(request, location.current().bincodeSerialize())
            // A timer answers when it is due; a cleared one never does.
            is Effect.Time -> time.handle(effect.value)?.let { resolve(request, it.bincodeSerialize()) }
            // Fire and forget: the core expects no answer.
            is Effect.Notify -> notify.handle(effect.value)
            is Effect.Live -> {
                liveChannel?.cancel()
                liveChannel =
                    when (val op = effect.value) {
                        is LiveRequest.Listen ->
                            scope.launch {
                                live.open(op.url, op.token, op.deviceId).collect { resolve(request, it.bincodeSerialize()) }
                            }
                        is LiveRequest.Stop -> null
                    }
            }
        }
    }

    private fun resolve(
        request: Request,
        output: ByteArray,
    ) {
        start(bridge.resolve(request.id, output))
    }

    private fun currentView(): ViewModel = ViewModel.bincodeDeserialize(bridge.view())
}
