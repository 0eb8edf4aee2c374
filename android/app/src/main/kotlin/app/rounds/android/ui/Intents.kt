package app.rounds.android.ui

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import app.rounds.shared.LatLng
import java.util.Locale

/**
 * Opens the dialler on [number]: a `tel:` link as the view model gives it, or a number as
 * typed. ACTION_DIAL, not ACTION_CALL: the person presses call, and the app needs no phone
 * permission.
 */
fun Context.dial(number: String) {
    val uri = if (number.startsWith("tel:")) Uri.parse(number) else Uri.fromParts("tel", number, null)
    startSafely(Intent(Intent.ACTION_DIAL, uri))
}

/**
 * Shows [address] in the phone's map app, at [position] when the core has located it (a
 * coordinate finds the door where a Chinese address may not), with the address as its label.
 */
fun Context.showOnMap(
    address: String,
    position: LatLng? = null,
) {
    val uri =
        if (position != null) {
            val at = String.format(Locale.ROOT, "%.6f,%.6f", position.lat, position.lng)
            Uri.parse("geo:$at?q=$at(${Uri.encode(address)})")
        } else {
            Uri.parse("geo:0,0?q=${Uri.encode(address)}")
        }
    startSafely(Intent(Intent.ACTION_VIEW, uri))
}

// A phone without a dialler (a tablet) or a map app: the tap does nothing.
private fun Context.startSafely(intent: Intent) {
    try {
        startActivity(intent)
    } catch (e: ActivityNotFoundException) {
        // Nothing to open it with; the number or address is on the screen.
    }
}
