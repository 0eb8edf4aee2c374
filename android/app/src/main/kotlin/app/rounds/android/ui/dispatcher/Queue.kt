package app.rounds.android.ui.dispatcher

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowLeft
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowRight
import androidx.compose.material3.Button
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.Refusal
import app.rounds.android.ui.SectionTitle
import app.rounds.android.ui.lookup.CustomerSearch
import app.rounds.android.ui.technician.JobSummary
import app.rounds.android.ui.theme.LocalRiskColors
import app.rounds.shared.Alert
import app.rounds.shared.AlertKind
import app.rounds.shared.BoardDay
import app.rounds.shared.BoardView
import app.rounds.shared.DispatcherEvent
import app.rounds.shared.Event
import app.rounds.shared.JobAction
import app.rounds.shared.JobCard
import app.rounds.shared.Labels
import app.rounds.shared.PlanEvent
import app.rounds.shared.TechnicianDay
import app.rounds.shared.ViewModel

/** The board shows its most pressing alerts; the count says how many there are. */
private const val ALERTS_SHOWN = 8

/**
 * The dispatcher's queue on a phone: the day shown, its alerts, and the jobs waiting for a
 * technician, most urgent promise first (the core's order). Each job can ask the core who
 * should take it, with reasons, or be assigned or cancelled by hand; the suggestion, or the
 * plan for the whole day, opens in a sheet. The timelines and map are the desktop's.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun QueueScreen(
    board: BoardView,
    view: ViewModel,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val labels = view.labels
    val send = { event: DispatcherEvent -> onEvent(Event.Dispatcher(event)) }
    PullToRefreshBox(
        isRefreshing = view.sync.syncing,
        onRefresh = { onEvent(Event.SyncNow) },
        modifier = modifier.fillMaxSize(),
    ) {
        LazyColumn(
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
            modifier = Modifier.fillMaxSize(),
        ) {
            item(key = "search") { CustomerSearch(view.lookup, labels, onEvent) }
            item(key = "day") { DayBar(board, labels, send) }
            item(key = "plan") {
                Button(onClick = { send(DispatcherEvent.Plan(PlanEvent.PROPOSE)) }) { Text(labels.dispatcher.planTheDay.text) }
            }
            if (board.alerts.isNotEmpty()) {
                item(key = "alerts") {
                    Column {
                        SectionTitle(labels.dispatcher.alerts.text, count = board.alerts.size)
                        board.alerts.take(ALERTS_SHOWN).forEach { AlertLine(it) }
                    }
                }
            }
            item(key = "queue") { SectionTitle(labels.dispatcher.unassigned.text, count = board.unassigned.size) }
            board.assigned?.let { assigned ->
                // The last assignment in words, where the job was, with its undo.
                item(key = "assigned") {
                    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text(assigned.message.text, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.weight(1f))
                        TextButton(onClick = { send(DispatcherEvent.UndoAssign) }) { Text(labels.dispatcher.undo.text) }
                    }
                }
            }
            if (board.unassigned.isEmpty()) {
                item(key = "none") { Text(labels.dispatcher.noJobsWaiting.text, color = MaterialTheme.colorScheme.onSurfaceVariant) }
            }
            items(board.unassigned, key = { "job-${it.id}" }) { card ->
                JobSummary(card, labels.technician) { QueueActions(card, board.technicians, labels, send) }
            }
            item(key = "technicians") { SectionTitle(labels.dispatcher.technicians.text, count = board.technicians.size) }
            items(board.technicians, key = { "tech-${it.id}" }) { TechnicianLine(it) }
        }
    }
    val panel = board.dispatch
    if (panel.suggestion != null || panel.plan != null || panel.problem != null || panel.confirm != null) {
        SuggestionSheet(panel, labels, send)
    }
}

/** Which day the board shows and plans: back, forward, or today again. */
@Composable
private fun DayBar(
    board: BoardView,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    val words = labels.dispatcher
    Column(horizontalAlignment = Alignment.CenterHorizontally, modifier = Modifier.fillMaxWidth()) {
        Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.fillMaxWidth()) {
            IconButton(onClick = { send(DispatcherEvent.Day(BoardDay.Previous)) }) {
                Icon(Icons.AutoMirrored.Filled.KeyboardArrowLeft, contentDescription = words.previousDay.text)
            }
            Text(
                board.dayTitle.text,
                style = MaterialTheme.typography.titleMedium,
                textAlign = TextAlign.Center,
                modifier = Modifier.weight(1f),
            )
            IconButton(onClick = { send(DispatcherEvent.Day(BoardDay.Next)) }) {
                Icon(Icons.AutoMirrored.Filled.KeyboardArrowRight, contentDescription = words.nextDay.text)
            }
        }
        if (!board.isToday) {
            TextButton(onClick = { send(DispatcherEvent.Day(BoardDay.Today)) }) { Text(words.today.text) }
        }
    }
}

@Composable
private fun AlertLine(alert: Alert) {
    val risk = LocalRiskColors.current
    val color =
        when (alert.kind) {
            AlertKind.SLABREACHED -> risk.breached
            AlertKind.SLAATRISK -> risk.atRisk
            AlertKind.BACKLOG -> Color.Unspecified
        }
    Text(alert.message.text, style = MaterialTheme.typography.bodyMedium, color = color)
}

/**
 * What the dispatcher can do with a waiting job: ask who should take it, and, where the core
 * offers them, assign it by hand or cancel it with a reason.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun QueueActions(
    card: JobCard,
    technicians: List<TechnicianDay>,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    val words = labels.dispatcher
    val assign = card.actions.firstOrNull { it.action == JobAction.ASSIGN }
    val cancel = card.actions.firstOrNull { it.action == JobAction.CANCEL }
    var cancelling by rememberSaveable(card.id.toString()) { mutableStateOf(card.cancel != null) }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        FilledTonalButton(onClick = { send(DispatcherEvent.Suggest(card.id)) }) { Text(words.suggest.text) }
        if (assign != null && technicians.isNotEmpty()) {
            var picking by remember { mutableStateOf(false) }
            Box {
                OutlinedButton(onClick = { picking = true }) { Text(assign.label.text) }
                DropdownMenu(expanded = picking, onDismissRequest = { picking = false }) {
                    for (technician in technicians) {
                        DropdownMenuItem(
                            text = { Text(technician.name) },
                            onClick = {
                                picking = false
                                send(DispatcherEvent.Assign(card.id, technician.id))
                            },
                        )
                    }
                }
            }
        }
        if (cancel != null && !cancelling) {
            TextButton(onClick = { cancelling = true }) { Text(cancel.label.text) }
        }
    }
    if (cancel != null && cancelling) {
        // The reason is the core's draft, kept with why a cancellation was refused.
        DraftTextField(
            value = card.cancel?.reason.orEmpty(),
            onValueChange = { send(DispatcherEvent.CancelReason(card.id, it)) },
            label = words.cancelReason.text,
            modifier = Modifier.fillMaxWidth(),
        )
        Refusal(card.cancel?.error)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = { send(DispatcherEvent.Cancel(card.id)) }) { Text(cancel.label.text) }
            TextButton(onClick = { cancelling = false }) { Text(labels.frame.close.text) }
        }
    }
}

@Composable
private fun TechnicianLine(technician: TechnicianDay) {
    Column {
        Text(
            "${technician.name} · ${technician.planned.text}",
            style = MaterialTheme.typography.bodyMedium,
        )
        if (technician.skills.isNotEmpty()) {
            Text(
                technician.skills.joinToString(" · ") { it.text },
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}
