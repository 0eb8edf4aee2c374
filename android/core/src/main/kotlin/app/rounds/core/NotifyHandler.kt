package app.rounds.core

import app.rounds.shared.NotifyRequest

/**
 * Local notifications: follow-up reminders, which must fire at their time with no signal and
 * with the app closed (AlarmManager or WorkManager on Android). The core decides what is
 * scheduled; the shell only carries it out, and answers nothing.
 */
fun interface NotifyHandler {
    fun handle(request: NotifyRequest)
}
