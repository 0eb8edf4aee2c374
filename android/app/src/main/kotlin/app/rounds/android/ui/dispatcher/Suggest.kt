package app.rounds.android.ui.dispatcher

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.ModalBottomSheet
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.SectionTitle
import app.rounds.shared.ConfirmView
import app.rounds.shared.DispatchPanel
import app.rounds.shared.DispatcherEvent
import app.rounds.shared.Labels
import app.rounds.shared.PlanEvent
import app.rounds.shared.PlanView
import app.rounds.shared.SuggestView

/**
 * The core's answer to "who should take this job?" or "plan my day", before anything
 * changes: candidates best first with their reasons, or the plan's changes, routes and what
 * it left out. Closing the sheet dismisses the answer in the core.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
internal fun SuggestionSheet(
    panel: DispatchPanel,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    val dismiss = { send(DispatcherEvent.Plan(PlanEvent.DISMISS)) }
    ModalBottomSheet(onDismissRequest = dismiss) {
        Column(
            verticalArrangement = Arrangement.spacedBy(8.dp),
            modifier = Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(horizontal = 16.dp, vertical = 8.dp),
        ) {
            panel.problem?.let { Text(it.text, color = MaterialTheme.colorScheme.error) }
            panel.confirm?.let { Confirm(it, labels, send) }
            panel.suggestion?.let { Suggestion(it, labels, send) }
            panel.plan?.let { Plan(it, labels, send) }
            TextButton(onClick = dismiss, modifier = Modifier.align(Alignment.End)) { Text(labels.frame.close.text) }
        }
    }
}

/**
 * A technician picked against what dispatch knows: why not, and a reason to give before the
 * assignment goes ahead (the core refuses to go on without one).
 */
@Composable
private fun Confirm(
    confirm: ConfirmView,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    val words = labels.dispatcher
    Text(confirm.title.text, style = MaterialTheme.typography.titleLarge)
    for (warning in confirm.warnings) {
        Text("• ${warning.text}", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.error)
    }
    DraftTextField(
        value = confirm.reason,
        onValueChange = { send(DispatcherEvent.AssignReason(it)) },
        label = words.whyAssign.text,
        isError = confirm.error != null,
        supportingText = confirm.error?.text,
        modifier = Modifier.fillMaxWidth(),
    )
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { send(DispatcherEvent.ConfirmAssign) }) { Text(words.assignAnyway.text) }
        TextButton(onClick = { send(DispatcherEvent.DropAssign) }) { Text(words.keepAsItWas.text) }
    }
    HorizontalDivider(Modifier.padding(vertical = 4.dp))
}

@Composable
private fun Suggestion(
    suggestion: SuggestView,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    Text(suggestion.title.text, style = MaterialTheme.typography.titleLarge)
    for (candidate in suggestion.candidates) {
        OutlinedCard(Modifier.fillMaxWidth()) {
            Column(verticalArrangement = Arrangement.spacedBy(4.dp), modifier = Modifier.padding(12.dp)) {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.Bottom) {
                    Text("#${candidate.rank} ${candidate.name}", style = MaterialTheme.typography.titleSmall, fontWeight = FontWeight.Bold)
                    Text("${labels.technician.eta.text} ${candidate.eta}", style = MaterialTheme.typography.labelLarge)
                }
                Text(candidate.added.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                for (reason in candidate.reasons) {
                    Text("• ${reason.text}", style = MaterialTheme.typography.bodySmall)
                }
                Button(onClick = { send(DispatcherEvent.Assign(suggestion.job, candidate.technician)) }) {
                    Text(labels.dispatcher.assign.text)
                }
            }
        }
    }
    if (suggestion.excluded.isNotEmpty()) {
        SectionTitle(labels.dispatcher.notPossible.text, count = suggestion.excluded.size)
        for (excluded in suggestion.excluded) {
            Text(
                "${excluded.name}: ${excluded.reason.text}",
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}

@Composable
private fun Plan(
    plan: PlanView,
    labels: Labels,
    send: (DispatcherEvent) -> Unit,
) {
    val words = labels.dispatcher
    Text(plan.title.text, style = MaterialTheme.typography.titleLarge)
    Text(plan.summary.text, style = MaterialTheme.typography.bodyMedium)
    Button(
        onClick = { send(DispatcherEvent.Plan(PlanEvent.ACCEPT)) },
        enabled = plan.changesToMake > 0u,
    ) { Text(plan.accept.text) }

    SectionTitle(words.changes.text, count = plan.changes.size)
    for (change in plan.changes) {
        // Informational lines are shown only; accepting leaves those jobs as they are.
        Text(
            change.text.text,
            style = MaterialTheme.typography.bodySmall,
            color = if (change.informational) MaterialTheme.colorScheme.onSurfaceVariant else Color.Unspecified,
        )
    }

    SectionTitle(words.routes.text)
    for (route in plan.routes) {
        Text("${route.name} · ${route.driving.text}", style = MaterialTheme.typography.titleSmall)
        for (stop in route.stops) {
            Text(
                "${stop.time}  ${stop.number ?: stop.rest?.text.orEmpty()}",
                style = MaterialTheme.typography.bodySmall,
                fontWeight = if (stop.changed) FontWeight.Bold else FontWeight.Normal,
                modifier = Modifier.padding(start = 12.dp),
            )
        }
        HorizontalDivider(Modifier.padding(vertical = 4.dp))
    }

    if (plan.unassigned.isNotEmpty()) {
        SectionTitle(words.leftUnplaced.text, count = plan.unassigned.size)
        for (left in plan.unassigned) {
            Text("${left.number}: ${left.reason.text}", style = MaterialTheme.typography.bodySmall)
        }
    }
}
