package app.rounds.core

import app.rounds.shared.LiveEvent
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.job
import java.io.IOException
import java.net.HttpURLConnection
import java.net.URL

/**
 * [LiveHandler] over `HttpURLConnection`, reading the event stream line by line on
 * [Dispatchers.IO].
 *
 * The read timeout is a little over the server's 20-second `alive`: a channel that falls
 * silent (a dead connection a phone cannot see) ends, and the core opens another. Cancelling
 * the collection disconnects, which unblocks the read.
 */
class UrlConnectionLiveHandler(
    private val connectTimeoutMs: Int = 10_000,
    private val readTimeoutMs: Int = 65_000,
) : LiveHandler {
    override fun open(
        url: String,
        token: String,
        deviceId: String,
    ): Flow<LiveEvent> =
        flow {
            val connection =
                try {
                    URL(url).openConnection() as HttpURLConnection
                } catch (e: IOException) {
                    emit(LiveEvent.Ended(null))
                    return@flow
                }
            currentCoroutineContext().job.invokeOnCompletion { connection.disconnect() }
            val status =
                try {
                    connection.connectTimeout = connectTimeoutMs
                    connection.readTimeout = readTimeoutMs
                    connection.setRequestProperty("Authorization", "Bearer $token")
                    connection.setRequestProperty("X-Device-Id", deviceId)
                    connection.setRequestProperty("Accept", "text/event-stream")
                    connection.responseCode
                } catch (e: IOException) {
                    emit(LiveEvent.Ended(null))
                    return@flow
                }
            if (status != 200) {
                connection.disconnect()
                emit(LiveEvent.Ended(status.toUShort()))
                return@flow
            }
            try {
                connection.inputStream.bufferedReader(Charsets.UTF_8).use { reader ->
                    var name: String? = null
                    while (true) {
                        val line = reader.readLine() ?: break
                        if (line.isEmpty()) {
                            // A blank line ends an event.
                            eventOf(name)?.let { emit(it) }
                            name = null
                        } else if (line.startsWith("event:")) {
                            name = line.removePrefix("event:").trim()
                        }
                    }
                }
            } catch (e: IOException) {
                // Ended below, as when the server closes it.
            } finally {
                connection.disconnect()
            }
            emit(LiveEvent.Ended(null))
        }.flowOn(Dispatchers.IO)

    private fun eventOf(name: String?): LiveEvent? =
        when (name) {
            "open" -> LiveEvent.Open
            "changed" -> LiveEvent.Changed
            "alive" -> LiveEvent.Alive
            else -> null
        }
}
