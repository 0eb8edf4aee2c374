package app.rounds.android.ui.theme

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.Immutable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext

private val Navy = Color(0xFF1F5C99)
private val NavyLight = Color(0xFFA6C8FF)
private val Amber = Color(0xFF8A5100)
private val AmberLight = Color(0xFFFFB870)

private val LightColors =
    lightColorScheme(
        primary = Navy,
        secondary = Color(0xFF545F70),
        tertiary = Amber,
    )

private val DarkColors =
    darkColorScheme(
        primary = NavyLight,
        secondary = Color(0xFFBCC7DB),
        tertiary = AmberLight,
    )

/**
 * Colours that mean something on every screen: a promise about to be broken is amber, one
 * broken is the error colour. Which jobs they are is the core's call (`slaAtRisk`,
 * `slaBreached`); the theme only says how they look.
 */
@Immutable
data class RiskColors(
    val atRisk: Color,
    val breached: Color,
)

val LocalRiskColors = staticCompositionLocalOf { RiskColors(atRisk = Amber, breached = Color(0xFFBA1A1A)) }

/** Material 3, in the wallpaper's colours where Android 12 and later offer them. */
@Composable
fun RoundsTheme(
    darkTheme: Boolean = isSystemInDarkTheme(),
    dynamicColor: Boolean = true,
    content: @Composable () -> Unit,
) {
    val colors: ColorScheme =
        when {
            dynamicColor && Build.VERSION.SDK_INT >= Build.VERSION_CODES.S -> {
                val context = LocalContext.current
                if (darkTheme) dynamicDarkColorScheme(context) else dynamicLightColorScheme(context)
            }
            darkTheme -> DarkColors
            else -> LightColors
        }
    val risk = RiskColors(atRisk = if (darkTheme) AmberLight else Amber, breached = colors.error)
    CompositionLocalProvider(LocalRiskColors provides risk) {
        MaterialTheme(colorScheme = colors, content = content)
    }
}
