package app.rounds.android

import android.content.Context
import androidx.core.content.edit
import app.rounds.shared.Lang
import app.rounds.shared.LanguageChoice
import java.util.Locale
import java.util.UUID

/**
 * What the shell itself remembers, apart from the core's device database: which phone this
 * is, and the language the person chose.
 */
internal class ShellPreferences(
    context: Context,
) {
    private val prefs = context.getSharedPreferences("rounds.shell", Context.MODE_PRIVATE)

    /**
     * One id per installation, made at the first start. The server keys a device's sessions
     * and remote sign-out by it, so it must outlive restarts but not a reinstall (which also
     * loses the device database).
     */
    val deviceId: String
        get() =
            prefs.getString(DEVICE_ID, null) ?: "android-${UUID.randomUUID()}".also { id ->
                prefs.edit { putString(DEVICE_ID, id) }
            }

    /**
     * The language to start in: the one chosen last, else the phone's own when the core
     * speaks it, else none (the core's default).
     */
    fun language(offered: List<LanguageChoice>): Lang? {
        val chosen = prefs.getString(LANGUAGE, null)?.let { name -> Lang.entries.firstOrNull { it.name == name } }
        if (chosen != null) return chosen
        val phone = Locale.getDefault().language
        return offered.firstOrNull { Locale.forLanguageTag(it.code).language == phone }?.lang
    }

    fun rememberLanguage(lang: Lang) = prefs.edit { putString(LANGUAGE, lang.name) }

    private companion object {
        const val DEVICE_ID = "device-id"
        const val LANGUAGE = "language"
    }
}
