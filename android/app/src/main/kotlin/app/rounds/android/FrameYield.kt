package app.rounds.android

import android.os.Handler
import android.os.Looper
import android.view.Choreographer
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume

/**
 * Suspends until the next frame has been drawn: what a zero-length timer of the core means
 * (it yields to the screen, so that the first screen of a start is shown before the rest of
 * the stored data is read). A frame callback runs before the frame is drawn; the message it
 * posts runs after. Call it on the main thread, where the core runs.
 */
suspend fun afterNextFrame() =
    suspendCancellableCoroutine { continuation ->
        Choreographer.getInstance().postFrameCallback {
            Handler(Looper.getMainLooper()).post { continuation.resume(Unit) }
        }
    }
