package app.rounds.core

import app.rounds.shared.HttpError
import app.rounds.shared.HttpHeader
import app.rounds.shared.HttpRequest
import app.rounds.shared.HttpResponse
import app.rounds.shared.HttpResult
import com.novi.serde.Bytes
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.IOException
import java.net.HttpURLConnection
import java.net.MalformedURLException
import java.net.SocketTimeoutException
import java.net.URL

/**
 * [HttpHandler] over `HttpURLConnection`, which Android and every JVM have, so the core needs
 * no HTTP library. Blocking calls run on [Dispatchers.IO].
 *
 * The read timeout is generous because a first sync page can take the server a while; the
 * connect timeout is short because a phone with no signal should show "offline" soon.
 */
class UrlConnectionHttpHandler(
    private val connectTimeoutMs: Int = 10_000,
    private val readTimeoutMs: Int = 120_000,
) : HttpHandler {
    override suspend fun send(request: HttpRequest): HttpResult =
        withContext(Dispatchers.IO) {
            try {
                HttpResult.Ok(exchange(request))
            } catch (e: MalformedURLException) {
                HttpResult.Err(HttpError.Url(e.message ?: request.url))
            } catch (e: SocketTimeoutException) {
                HttpResult.Err(HttpError.Timeout)
            } catch (e: IOException) {
                HttpResult.Err(HttpError.Io(e.message ?: e.javaClass.simpleName))
            }
        }

    private fun exchange(request: HttpRequest): HttpResponse {
        val connection = URL(request.url).openConnection() as HttpURLConnection
        try {
            connection.requestMethod = request.method
            connection.connectTimeout = connectTimeoutMs
            connection.readTimeout = readTimeoutMs
            // The core retries on its own schedule, with the same op ids.
            connection.instanceFollowRedirects = false
            request.headers.forEach { connection.addRequestProperty(it.name, it.value) }
            val body = request.body.content
            if (body.isNotEmpty()) {
                connection.doOutput = true
                connection.setFixedLengthStreamingMode(body.size)
                connection.outputStream.use { it.write(body) }
            }
            val status = connection.responseCode
            // Error answers (4xx, 5xx) come on the error stream; the core reads their body.
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val answer = stream?.use { it.readBytes() } ?: ByteArray(0)
            val headers =
                connection.headerFields
                    .filterKeys { it != null }
                    .flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
            return HttpResponse(status.toUShort(), headers, Bytes(answer))
        } finally {
            connection.disconnect()
        }
    }
}
