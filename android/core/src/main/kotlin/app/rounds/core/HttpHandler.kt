package app.rounds.core

import app.rounds.shared.HttpRequest
import app.rounds.shared.HttpResult

/**
 * Talks to the Rounds server: sign-in and sync. Any answer the server gives, 4xx and 5xx
 * included, is [HttpResult.Ok]; [HttpResult.Err] means no answer came (no network, a
 * timeout), which the core shows as offline and retries.
 */
fun interface HttpHandler {
    suspend fun send(request: HttpRequest): HttpResult
}
