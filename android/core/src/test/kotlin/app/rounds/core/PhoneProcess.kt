package app.rounds.core

import app.rounds.shared.Event
import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.io.PrintWriter
import java.util.UUID
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

/**
 * The app started again in a process of its own, with nothing but its folder: a new JVM
 * loads the core afresh, so whatever it knows comes from the files its store wrote.
 *
 * It talks to the test over its standard streams, one line each way: it says `OFFLINE` once
 * it shows the day with the [changes] still waiting and [job] off it, waits for `ONLINE`
 * (the test has brought the server back), then says `SYNCED` once nothing waits any more.
 */
class PhoneProcess private constructor(
    private val process: Process,
) : AutoCloseable {
    private val lines = BufferedReader(InputStreamReader(process.inputStream))
    private val commands = PrintWriter(process.outputStream, true)

    /** Waits for [line] from the app; fails with what it said instead. */
    fun expect(line: String) {
        val said = generateSequence { lines.readLine() }.firstOrNull { it == line || it.startsWith("FAILED") }
        if (said != line) {
            process.waitFor(10, TimeUnit.SECONDS)
            throw AssertionError("the restarted app: ${said ?: "exited with ${process.exitValue()}"}")
        }
    }

    fun send(line: String) = commands.println(line)

    override fun close() {
        process.destroy()
        process.waitFor(10, TimeUnit.SECONDS)
    }

    companion object {
        fun start(
            dir: File,
            serverUrl: String,
            job: UUID,
            changes: Int,
        ): PhoneProcess {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val properties =
                listOf("jna.library.path", "rounds.server").mapNotNull { key ->
                    System.getProperty(key)?.let { "-D$key=$it" }
                }
            val process =
                ProcessBuilder(
                    listOf(java) + properties +
                        listOf("-cp", System.getProperty("java.class.path"), "app.rounds.core.PhoneProcessKt") +
                        listOf(dir.path, serverUrl, job.toString(), changes.toString()),
                ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
            return PhoneProcess(process)
        }
    }
}

/** The restarted app's side of [PhoneProcess]. */
fun main(args: Array<String>) {
    val (dir, serverUrl, job, changes) = args
    try {
        Device(File(dir), serverUrl).use { phone ->
            phone.start()
            phone.await("the day, from the device, with the changes still waiting and the job off it") { view ->
                view.myDay?.jobs?.none { it.id == UUID.fromString(job) } == true &&
                    view.pendingChanges == changes.toUInt()
            }
            println("OFFLINE")
            check(readlnOrNull() == "ONLINE") { "expected ONLINE" }
            phone.send(Event.Online)
            phone.await("everything synced") { it.pendingChanges == 0u && it.sync.online && !it.sync.syncing }
            println("SYNCED")
        }
    } catch (e: Throwable) {
        println("FAILED ${e.message?.lines()?.first()}")
        e.printStackTrace()
        exitProcess(1)
    }
    exitProcess(0)
}
