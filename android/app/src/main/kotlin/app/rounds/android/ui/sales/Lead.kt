package app.rounds.android.ui.sales

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.filled.Call
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DateTimeField
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.LabeledLine
import app.rounds.android.ui.Refusal
import app.rounds.android.ui.SectionTitle
import app.rounds.android.ui.dial
import app.rounds.shared.Event
import app.rounds.shared.InteractionKind
import app.rounds.shared.Labels
import app.rounds.shared.LeadDetailView
import app.rounds.shared.LeadField
import app.rounds.shared.SalesEvent

/**
 * One lead: who and what they want, a call or visit logged in two taps, the moves the
 * pipeline allows now, the next follow-up, and the timeline. The form is the core's draft,
 * sent as it is typed; the core says on it what it refused.
 */
@OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)
@Composable
fun LeadScreen(
    lead: LeadDetailView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val sales = labels.sales
    val draft = lead.form.draft
    val busy = lead.form.busy
    val send = { event: SalesEvent -> onEvent(Event.Sales(event)) }
    val context = LocalContext.current
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        TextButton(onClick = { send(SalesEvent.CloseLead) }) {
            Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = null)
            Text(labels.frame.back.text, modifier = Modifier.padding(start = 8.dp))
        }

        Row(horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(lead.name, style = MaterialTheme.typography.headlineSmall)
            Text(lead.stageWord.text, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
        }
        lead.phone?.let { phone ->
            AssistChip(
                onClick = { context.dial(phone) },
                label = { Text(phone) },
                leadingIcon = { Icon(Icons.Filled.Call, contentDescription = sales.phone.text) },
            )
        }
        LabeledLine(sales.interest, listOfNotNull(lead.interest.text, lead.model).joinToString(" · "))
        lead.budget?.let { LabeledLine(sales.budget, it.shown) }
        LabeledLine(sales.expectedValue, lead.expectedValue.shown)
        lead.wonValue?.let { LabeledLine(sales.wonValue, it.shown) }
        lead.nextFollowUp?.let { LabeledLine(sales.nextFollowUp, it) }
        lead.lostReason?.let { LabeledLine(sales.lostReason, it) }
        Refusal(lead.form.error)

        OutlinedCard(Modifier.fillMaxWidth()) {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
                DraftTextField(
                    value = draft.outcome,
                    onValueChange = { send(SalesEvent.TypeOnLead(LeadField.OUTCOME, it)) },
                    label = sales.whatHappened.text,
                    singleLine = false,
                    minLines = 2,
                    modifier = Modifier.fillMaxWidth(),
                )
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { send(SalesEvent.LogOnLead(InteractionKind.CALL)) }, enabled = !busy) {
                        Text(sales.logCall.text)
                    }
                    Button(onClick = { send(SalesEvent.LogOnLead(InteractionKind.VISIT)) }, enabled = !busy) {
                        Text(sales.logVisit.text)
                    }
                }
            }
        }

        if (lead.nextStages.isNotEmpty()) {
            OutlinedCard(Modifier.fillMaxWidth()) {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        for (move in lead.nextStages) {
                            OutlinedButton(onClick = { send(SalesEvent.MoveOpenLead(move.stage)) }, enabled = !busy) {
                                Text(move.label.text)
                            }
                        }
                    }
                    // Only the fields a move offered now needs.
                    if (lead.nextStages.any { it.needsLostReason }) {
                        DraftTextField(
                            value = draft.lostReason,
                            onValueChange = { send(SalesEvent.TypeOnLead(LeadField.LOSTREASON, it)) },
                            label = sales.lostReason.text,
                            modifier = Modifier.fillMaxWidth(),
                        )
                    }
                    if (lead.nextStages.any { it.needsWonValue }) {
                        DraftTextField(
                            value = draft.wonValue,
                            onValueChange = { send(SalesEvent.TypeOnLead(LeadField.WONVALUE, it)) },
                            label = sales.wonValue.text,
                            keyboardType = KeyboardType.Decimal,
                            modifier = Modifier.fillMaxWidth(),
                        )
                    }
                }
            }
        }

        OutlinedCard(Modifier.fillMaxWidth()) {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
                Text(sales.nextFollowUp.text, style = MaterialTheme.typography.titleSmall)
                DateTimeField(
                    value = draft.due,
                    onValueChange = { send(SalesEvent.TypeOnLead(LeadField.DUE, it)) },
                    label = sales.due.text,
                    confirm = labels.frame.save.text,
                    dismiss = labels.frame.cancel.text,
                )
                DraftTextField(
                    value = draft.note,
                    onValueChange = { send(SalesEvent.TypeOnLead(LeadField.NOTE, it)) },
                    label = sales.notes.text,
                    modifier = Modifier.fillMaxWidth(),
                )
                FilledTonalButton(onClick = { send(SalesEvent.ScheduleOnLead) }, enabled = !busy) {
                    Text(sales.schedule.text)
                }
            }
        }

        SectionTitle(sales.timeline.text, count = lead.timeline.size)
        for (entry in lead.timeline) {
            Column {
                Text(
                    listOf(entry.at, entry.kind.text, entry.author).joinToString(" · "),
                    style = MaterialTheme.typography.labelMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
                val what = listOfNotNull(entry.change?.text, entry.text.takeIf { it.isNotEmpty() }).joinToString(" ")
                if (what.isNotEmpty()) Text(what, style = MaterialTheme.typography.bodyMedium)
            }
        }
    }
}
