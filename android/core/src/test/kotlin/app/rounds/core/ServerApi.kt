package app.rounds.core

import java.net.HttpURLConnection
import java.net.URI
import java.time.Instant
import java.util.UUID

/**
 * The test's own calls to the server's API, to set the scene and to check the outcome from
 * the server's side (as `web-shell/e2e/rounds.test.mjs` does); the devices under test only
 * ever talk to it through the core.
 */
class ServerApi(
    private val base: String,
) {
    class Login(
        val token: String,
        val user: Map<*, *>,
    ) {
        val userId: String get() = user["id"] as String
    }

    fun login(name: String): Login {
        val answer = call("/v1/auth/login", body = mapOf("login" to name, "password" to PASSWORD)) as Map<*, *>
        return Login(answer["access_token"] as String, answer["user"] as Map<*, *>)
    }

    /** A technician's login and id, and the job they are to work now. */
    data class Work(
        val login: String,
        val technician: String,
        val job: String,
    )

    /**
     * A technician of store 1 with a job to work now: one of the store's
     * assigned jobs, planned again by its dispatcher to start now, so that it is on the
     * technician's day whatever the hour.
     */
    fun technicianWithWork(): Work {
        val dispatcher = login("dispatch1")
        val store = (dispatcher.user["stores"] as List<*>).first() as String
        val technicians = (1..10).map { "tech%02d".format(it) }.associateBy { login(it).userId }
        val job =
            pages("/v1/jobs?store=$store&status=Assigned&limit=200", dispatcher.token)
                .firstOrNull { it["technician"] in technicians }
                ?: error("no assigned job of a technician of store 1")
        val now = Instant.now().toString()
        val op =
            mapOf(
                "id" to UUID.randomUUID().toString(),
                "actor" to dispatcher.userId,
                "at" to now,
                "location" to null,
                "kind" to
                    mapOf(
                        "AssignJob" to
                            mapOf("job" to job["id"], "technician" to job["technician"], "planned_start" to now),
                    ),
            )
        val push = mapOf("device_id" to "kotlin-dispatcher", "cursor" to 0, "ops" to listOf(op))
        val sync = call("/v1/sync", dispatcher.token, push) as Map<*, *>
        val result = (sync["results"] as List<*>).first() as Map<*, *>
        check(result["status"] == "applied") { "the dispatcher's plan was refused: $result" }
        val technician = job["technician"] as String
        return Work(technicians.getValue(technician), technician, job["id"] as String)
    }

    /** The technician sets off for the job, from their own phone (not the device under test). */
    fun startTravel(work: Work) {
        val technician = login(work.login)
        val op =
            mapOf(
                "id" to UUID.randomUUID().toString(),
                "actor" to technician.userId,
                "at" to Instant.now().toString(),
                "location" to null,
                "kind" to mapOf("StartTravel" to mapOf("job" to work.job)),
            )
        val push = mapOf("device_id" to "kotlin-technician", "cursor" to 0, "ops" to listOf(op))
        val sync = call("/v1/sync", technician.token, push) as Map<*, *>
        val result = (sync["results"] as List<*>).first() as Map<*, *>
        check(result["status"] == "applied") { "setting off was refused: $result" }
    }

    /** Whether the server has a job of this technician completed with these notes. */
    fun hasCompletion(
        technician: String,
        notes: String,
    ): Boolean {
        val dispatcher = login("dispatch1")
        return pages("/v1/jobs?technician=$technician&status=Completed&limit=200", dispatcher.token)
            .any { (it["completion"] as? Map<*, *>)?.get("notes") == notes }
    }

    private fun pages(
        path: String,
        token: String,
    ): Sequence<Map<*, *>> =
        sequence {
            var cursor: Any? = null
            do {
                // A number cursor must not come back as "12.0".
                val after = cursor?.let { "&cursor=${if (it is Double) it.toLong() else it}" } ?: ""
                val page = call(path + after, token) as Map<*, *>
                (page["items"] as List<*>).forEach { yield(it as Map<*, *>) }
                cursor = page["next_cursor"]
            } while (cursor != null)
        }

    private fun call(
        path: String,
        token: String? = null,
        body: Any? = null,
    ): Any? {
        val connection = URI(base + path).toURL().openConnection() as HttpURLConnection
        try {
            connection.setRequestProperty("content-type", "application/json")
            token?.let { connection.setRequestProperty("authorization", "Bearer $it") }
            if (body != null) {
                connection.requestMethod = "POST"
                connection.doOutput = true
                connection.outputStream.use { it.write(Json.write(body).toByteArray()) }
            }
            val status = connection.responseCode
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val text = stream.use { String(it.readBytes()) }
            check(status == 200) { "$path: $status $text" }
            return Json.parse(text)
        } finally {
            connection.disconnect()
        }
    }

    companion object {
        const val PASSWORD = "rounds-demo"
    }
}
