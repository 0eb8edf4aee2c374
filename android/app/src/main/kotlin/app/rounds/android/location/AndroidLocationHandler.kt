package app.rounds.android.location

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Bundle
import android.os.Looper
import androidx.core.content.ContextCompat
import app.rounds.core.LocationHandler
import app.rounds.shared.LocationResponse

/**
 * [LocationHandler] over the platform's LocationManager (no Play services, so it works on
 * every phone a shop hands out). A field step must never wait for GPS, so [current] answers
 * from the newest fix at hand; [watch] keeps one fresh while the app is in use.
 *
 * Without the location permission every answer is [LocationResponse.Unknown], as the core
 * expects from a phone that may not tell.
 */
class AndroidLocationHandler(
    context: Context,
) : LocationHandler {
    private val context = context.applicationContext
    private val manager = this.context.getSystemService(LocationManager::class.java)

    @Volatile
    private var latest: Location? = null
    private var watching = false

    // Every callback spelled out: before Android 11 the platform calls them all, and a
    // listener leaving one to the interface's default fails there.
    private val listener =
        object : LocationListener {
            override fun onLocationChanged(location: Location) {
                if (newer(location, latest)) latest = location
            }

            override fun onProviderEnabled(provider: String) = Unit

            override fun onProviderDisabled(provider: String) = Unit

            @Deprecated("Deprecated in Android 10; still called before Android 11")
            override fun onStatusChanged(
                provider: String?,
                status: Int,
                extras: Bundle?,
            ) = Unit
        }

    override suspend fun current(): LocationResponse {
        if (!allowed()) return LocationResponse.Unknown
        val fix = (lastKnown() + listOfNotNull(latest)).maxByOrNull { it.time } ?: return LocationResponse.Unknown
        return LocationResponse.Known(fix.latitude, fix.longitude)
    }

    /**
     * Listens for fixes while the app is in use (a minute or 50 m apart: enough to place a
     * visit, cheap on the battery). Call again once the permission is granted; does nothing
     * without it.
     */
    @SuppressLint("MissingPermission") // allowed() checks it
    fun watch() {
        if (watching || manager == null || !allowed()) return
        for (provider in listOf(LocationManager.NETWORK_PROVIDER, LocationManager.GPS_PROVIDER)) {
            if (provider !in manager.allProviders) continue
            try {
                manager.requestLocationUpdates(provider, MIN_INTERVAL_MS, MIN_DISTANCE_M, listener, Looper.getMainLooper())
                watching = true
            } catch (e: SecurityException) {
                // Taken back between the check and the call: answers stay Unknown.
            }
        }
    }

    fun stop() {
        manager?.removeUpdates(listener)
        watching = false
    }

    private fun allowed(): Boolean =
        listOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION).any {
            ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED
        }

    @SuppressLint("MissingPermission") // current() checks allowed() first
    private fun lastKnown(): List<Location> =
        manager
            ?.getProviders(true)
            .orEmpty()
            .mapNotNull { provider ->
                try {
                    manager?.getLastKnownLocation(provider)
                } catch (e: SecurityException) {
                    // The permission was taken back in Settings while the app ran.
                    null
                }
            }

    private companion object {
        const val MIN_INTERVAL_MS = 60_000L
        const val MIN_DISTANCE_M = 50f

        fun newer(
            candidate: Location,
            known: Location?,
        ): Boolean = known == null || candidate.time >= known.time
    }
}
