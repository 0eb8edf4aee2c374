package app.rounds.core

import org.junit.internal.TextListener
import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

/**
 * Runs the test classes named on the command line and ends with the line CI reads:
 * `N passed, N failed`.
 */
fun main(args: Array<String>) {
    val junit = JUnitCore()
    junit.addListener(TextListener(System.out))
    val result = junit.run(*args.map { Class.forName(it) }.toTypedArray())
    val failed = result.failureCount
    println("${result.runCount - failed} passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
