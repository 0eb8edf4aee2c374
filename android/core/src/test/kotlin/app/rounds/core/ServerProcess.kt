package app.rounds.core

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * The real Rounds server (`target/debug/server`, or the `rounds.server` system property) on
 * loopback, over a data directory of the test's own, seeded with the demo organization the
 * first time: started as `web-shell/e2e/rounds.test.mjs` starts it.
 */
class ServerProcess private constructor(
    val data: File,
    private val process: Process,
    /** `http://127.0.0.1:PORT`. */
    val base: String,
) : AutoCloseable {
    val port: Int get() = base.substringAfterLast(':').toInt()

    /** Stops the server for real (SIGTERM), as a phone loses its signal. */
    fun stop() {
        if (!process.isAlive) return
        process.destroy()
        process.waitFor(30, TimeUnit.SECONDS)
    }

    /** Starts it again on the same data and port, so that devices find it where it was. */
    fun restart(): ServerProcess = start(data, port)

    override fun close() = stop()

    companion object {
        private val binary = File(System.getProperty("rounds.server") ?: "target/debug/server")

        fun start(
            data: File = kotlin.io.path.createTempDirectory("rounds-kotlin-").toFile(),
            port: Int = 0,
        ): ServerProcess {
            check(binary.canExecute()) { "$binary is missing: cargo build -p server first" }
            val process =
                ProcessBuilder(
                    binary.path, "--data", File(data, "db").path, "serve", "--demo",
                    "--bind", "127.0.0.1:$port",
                    // Many sign-ins from one address in a few seconds: not an attack here.
                    "--login-limit-pair", "100000", "--login-free-failures", "100000",
                ).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .apply {
                        environment()["ROUNDS_ARGON2_MEMORY_KIB"] = "1024"
                        environment()["ROUNDS_LOG"] = "warn"
                    }.start()
            val lines = process.inputStream.bufferedReader()
            val seen = StringBuilder()
            while (true) {
                val line = lines.readLine() ?: error("the server exited before listening:\n$seen")
                seen.appendLine(line)
                if (line.startsWith("listening on ")) {
                    // Keep reading its output, so that it never blocks on a full pipe.
                    Thread { lines.forEachLine {} }.apply { isDaemon = true }.start()
                    return ServerProcess(data, process, line.removePrefix("listening on ").trim())
                }
            }
        }
    }
}
