package app.rounds.android.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ExitToApp
import androidx.compose.material.icons.filled.Refresh
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import app.rounds.shared.Event
import app.rounds.shared.FrameLabels
import app.rounds.shared.ViewModel

/**
 * Who is signed in and where their changes are: online, offline or syncing, with what waits
 * on this phone; then the conflicts to settle, sync now, the other language, sign out.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
internal fun RoundsTopBar(
    view: ViewModel,
    onEvent: (Event) -> Unit,
    onOpenInbox: () -> Unit,
) {
    val frame = view.labels.frame
    TopAppBar(
        title = {
            Column {
                Text(view.userName ?: frame.appName.text, maxLines = 1, overflow = TextOverflow.Ellipsis)
                SyncLine(view)
            }
        },
        actions = {
            if (view.conflicts.count > 0u) {
                IconButton(onClick = onOpenInbox) {
                    BadgedBox(badge = { Badge { Text("${view.conflicts.count}") } }) {
                        Icon(
                            Icons.Filled.Warning,
                            contentDescription = view.conflicts.countWords?.text ?: view.labels.conflicts.title.text,
                        )
                    }
                }
            }
            IconButton(onClick = { onEvent(Event.SyncNow) }, enabled = !view.sync.syncing) {
                Icon(Icons.Filled.Refresh, contentDescription = frame.syncNow.text)
            }
            // The language the view is not in, named in itself, so that anyone can find theirs.
            view.languages.firstOrNull { it.lang != view.language }?.let { other ->
                TextButton(onClick = { onEvent(Event.SetLanguage(other.lang)) }) { Text(other.endonym) }
            }
            IconButton(onClick = { onEvent(Event.SignOut) }) {
                Icon(Icons.AutoMirrored.Filled.ExitToApp, contentDescription = frame.signOut.text)
            }
        },
    )
}

/** "Offline · 3 changes waiting to sync", in the error colour while offline. */
@Composable
private fun SyncLine(view: ViewModel) {
    val frame = view.labels.frame
    val sync = view.sync
    val state =
        when {
            sync.syncing -> frame.syncing
            sync.online -> frame.online
            else -> frame.offline
        }
    val last = sync.lastSynced?.let { "${frame.lastSynced.text} $it" }
    // "Live": the server's channel is open, so changes arrive as they happen.
    val live = if (sync.live) "● ${frame.live.text}" else null
    val line = listOfNotNull(state.text, live, view.pendingWords?.text ?: last).joinToString(" · ")
    Text(
        line,
        style = MaterialTheme.typography.labelMedium,
        color = if (!sync.online && !sync.syncing) MaterialTheme.colorScheme.error else Color.Unspecified,
        maxLines = 1,
        overflow = TextOverflow.Ellipsis,
    )
}

/** The roles the person may switch between, when there is more than one. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
internal fun RoleChips(
    view: ViewModel,
    onEvent: (Event) -> Unit,
) {
    if (view.roles.size < 2) return
    Row(
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        modifier = Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 16.dp),
    ) {
        for (choice in view.roles) {
            FilterChip(
                selected = view.role == choice.role,
                onClick = { onEvent(Event.ShowRole(choice.role)) },
                label = { Text(choice.name.text) },
            )
        }
    }
}

/** Sync trouble, storage running short, and what the core refused, until dismissed. */
@Composable
internal fun Notices(
    view: ViewModel,
    onEvent: (Event) -> Unit,
) {
    val warn = MaterialTheme.colorScheme.tertiaryContainer to MaterialTheme.colorScheme.onTertiaryContainer
    view.sync.problem?.let { Banner(warn) { Text(it.text) } }
    view.sync.storage?.let { Banner(warn) { Text(it.text) } }
    val notice = view.notice
    if (notice != null || view.rejected.isNotEmpty()) {
        Banner(MaterialTheme.colorScheme.errorContainer to MaterialTheme.colorScheme.onErrorContainer) {
            notice?.let { Text(it.text, style = MaterialTheme.typography.bodyMedium) }
            for (rejected in view.rejected) {
                Text("${rejected.what.text}: ${rejected.reason.text}", style = MaterialTheme.typography.bodySmall)
            }
            TextButton(onClick = { onEvent(Event.DismissNotice) }, modifier = Modifier.align(Alignment.End)) {
                Text(view.labels.frame.dismiss.text)
            }
        }
    }
}

/** Reminders cannot reach the person (notifications or exact alarms are off). */
@Composable
internal fun ReminderBanner(
    frame: FrameLabels,
    allow: () -> Unit,
) {
    Banner(MaterialTheme.colorScheme.secondaryContainer to MaterialTheme.colorScheme.onSecondaryContainer) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            Text(frame.reminders.text, style = MaterialTheme.typography.titleSmall, modifier = Modifier.weight(1f))
            TextButton(onClick = allow) { Text(frame.allowNotifications.text) }
        }
    }
}

@Composable
private fun Banner(
    colors: Pair<Color, Color>,
    content: @Composable ColumnScope.() -> Unit,
) {
    Surface(
        color = colors.first,
        contentColor = colors.second,
        shape = MaterialTheme.shapes.medium,
        modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 4.dp),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp), content = content)
    }
}
