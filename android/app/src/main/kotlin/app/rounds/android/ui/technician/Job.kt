package app.rounds.android.ui.technician

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Place
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.LabeledLine
import app.rounds.android.ui.Refusal
import app.rounds.android.ui.SectionTitle
import app.rounds.android.ui.dial
import app.rounds.android.ui.showOnMap
import app.rounds.shared.Completion
import app.rounds.shared.CompletionDraft
import app.rounds.shared.CompletionFormView
import app.rounds.shared.CustomerSummary
import app.rounds.shared.Event
import app.rounds.shared.FollowUpDraft
import app.rounds.shared.FollowUpFormView
import app.rounds.shared.HistoryLine
import app.rounds.shared.JobDetailView
import app.rounds.shared.JobFormView
import app.rounds.shared.Labels
import app.rounds.shared.PlaceFrom
import app.rounds.shared.TechnicianEvent
import app.rounds.shared.TechnicianLabels

/**
 * One job: where and when, exactly the steps its state allows (the core offers them), the
 * form the core has open on it, and the customer's history, assets and warranties.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun JobScreen(
    detail: JobDetailView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val tech = labels.technician
    val send = { event: TechnicianEvent -> onEvent(Event.Technician(event)) }
    val context = LocalContext.current
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        TextButton(onClick = { send(TechnicianEvent.CloseJob) }) {
            Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = null)
            Text(labels.frame.back.text, modifier = Modifier.padding(start = 8.dp))
        }
        JobSummary(detail.card, tech) {
            AssistChip(
                onClick = { context.showOnMap(detail.card.address, detail.card.position) },
                label = { Text(detail.card.address) },
                leadingIcon = { Icon(Icons.Filled.Place, contentDescription = null) },
            )
        }
        Steps(detail, send)
        // The phone's own position; picking on a map is the desk's.
        detail.card.placeCustomer?.takeIf { it.from == PlaceFrom.Phone }?.let { place ->
            OutlinedCard(Modifier.fillMaxWidth()) {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
                    Text(place.why.text)
                    Button(onClick = { send(TechnicianEvent.PlaceCustomer(place.customer)) }) {
                        Text(place.action.text)
                    }
                }
            }
        }
        when (val form = detail.form) {
            is JobFormView.Completion -> CompletionForm(form.value, labels, send)
            is JobFormView.FollowUp -> FollowUpForm(form.value, labels, send)
            null -> Unit
        }
        detail.completion?.let { CompletionDone(it, tech) }
        Customer(detail.customer, tech)
        History(detail.history, tech)
    }
}

/** The steps the job's state allows now ("Set off", "Arrived", "Complete"...). */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Steps(
    detail: JobDetailView,
    send: (TechnicianEvent) -> Unit,
) {
    if (detail.card.actions.isEmpty()) return
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        for (step in detail.card.actions) {
            Button(onClick = { send(TechnicianEvent.Act(step.action)) }) { Text(step.label.text) }
        }
    }
}

/**
 * Completing the visit: notes, parts as typed ("felt x2", one a line: the core reads them),
 * the customer's score, whether it was fixed at the first visit. The core keeps the draft
 * and says on the form what it refused.
 */
@OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)
@Composable
private fun CompletionForm(
    form: CompletionFormView,
    labels: Labels,
    send: (TechnicianEvent) -> Unit,
) {
    val tech = labels.technician
    val draft = form.draft
    val edit = { changed: CompletionDraft -> send(TechnicianEvent.CompletionDraft(changed)) }
    OutlinedCard(Modifier.fillMaxWidth()) {
        Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
            Text(tech.completion.text, style = MaterialTheme.typography.titleMedium)
            DraftTextField(
                value = draft.notes,
                onValueChange = { edit(draft.copy(notes = it)) },
                label = tech.notes.text,
                singleLine = false,
                minLines = 3,
                modifier = Modifier.fillMaxWidth(),
            )
            DraftTextField(
                value = draft.parts,
                onValueChange = { edit(draft.copy(parts = it)) },
                label = tech.partsUsed.text,
                supportingText = tech.partsHint.text,
                singleLine = false,
                minLines = 2,
                modifier = Modifier.fillMaxWidth(),
            )
            Text(tech.satisfaction.text, style = MaterialTheme.typography.labelLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (choice in form.satisfaction) {
                    FilterChip(
                        selected = draft.satisfaction == choice.score,
                        onClick = { edit(draft.copy(satisfaction = choice.score)) },
                        label = { Text(choice.label.text) },
                    )
                }
            }
            Row(
                verticalAlignment = Alignment.CenterVertically,
                modifier =
                    Modifier.toggleable(
                        value = draft.firstVisitFix,
                        role = Role.Checkbox,
                        onValueChange = { edit(draft.copy(firstVisitFix = it)) },
                    ),
            ) {
                Checkbox(checked = draft.firstVisitFix, onCheckedChange = null)
                Text(tech.firstVisitFix.text, modifier = Modifier.padding(start = 8.dp))
            }
            Refusal(form.error)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { send(TechnicianEvent.SubmitCompletion) }, enabled = !form.saving) {
                    Text(tech.completeJob.text)
                }
                TextButton(onClick = { send(TechnicianEvent.CloseForm) }) { Text(labels.frame.close.text) }
            }
        }
    }
}

/** Ending the visit unfinished: waiting for parts, or another visit needed, and why. */
@Composable
private fun FollowUpForm(
    form: FollowUpFormView,
    labels: Labels,
    send: (TechnicianEvent) -> Unit,
) {
    val tech = labels.technician
    val draft = form.draft
    val edit = { changed: FollowUpDraft -> send(TechnicianEvent.FollowUpDraft(changed)) }
    OutlinedCard(Modifier.fillMaxWidth()) {
        Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(16.dp)) {
            Text(tech.followUp.text, style = MaterialTheme.typography.titleMedium)
            for (choice in form.kinds) {
                Row(
                    verticalAlignment = Alignment.CenterVertically,
                    modifier =
                        Modifier.fillMaxWidth().selectable(
                            selected = draft.kind == choice.kind,
                            role = Role.RadioButton,
                            onClick = { edit(draft.copy(kind = choice.kind)) },
                        ),
                ) {
                    RadioButton(selected = draft.kind == choice.kind, onClick = null)
                    Text(choice.label.text, modifier = Modifier.padding(start = 8.dp))
                }
            }
            DraftTextField(
                value = draft.reason,
                onValueChange = { edit(draft.copy(reason = it)) },
                label = tech.reason.text,
                modifier = Modifier.fillMaxWidth(),
            )
            Refusal(form.error)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { send(TechnicianEvent.SubmitFollowUp) }, enabled = !form.saving) {
                    Text(labels.frame.save.text)
                }
                TextButton(onClick = { send(TechnicianEvent.CloseForm) }) { Text(labels.frame.close.text) }
            }
        }
    }
}

/** What was recorded when the job was completed. */
@Composable
private fun CompletionDone(
    completion: Completion,
    tech: TechnicianLabels,
) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        SectionTitle(tech.completion.text)
        if (completion.notes.isNotEmpty()) LabeledLine(tech.notes, completion.notes)
        if (completion.parts.isNotEmpty()) {
            LabeledLine(tech.partsUsed, completion.parts.joinToString(", ") { "${it.item} ×${it.quantity}" })
        }
        completion.satisfaction?.let { LabeledLine(tech.satisfaction, "★$it") }
        if (completion.firstVisitFix) Text("✓ ${tech.firstVisitFix.text}", style = MaterialTheme.typography.bodyMedium)
    }
}

/** Whom the visit is for: a tap dials a number or opens the address in the map app. */
@OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)
@Composable
private fun Customer(
    customer: CustomerSummary,
    tech: TechnicianLabels,
) {
    val context = LocalContext.current
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.Bottom) {
            Text(customer.name, style = MaterialTheme.typography.titleLarge)
            Text(customer.number, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        Text(
            listOf(customer.kindWord.text, customer.tierWord.text).joinToString(" · "),
            style = MaterialTheme.typography.bodyMedium,
        )
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for (phone in customer.phones) {
                AssistChip(
                    onClick = { context.dial(phone.dial) },
                    label = { Text(phone.shown) },
                    leadingIcon = { Icon(Icons.Filled.Call, contentDescription = null) },
                )
            }
            if (customer.address.isNotEmpty()) {
                AssistChip(
                    onClick = { context.showOnMap(customer.address) },
                    label = { Text(customer.address) },
                    leadingIcon = { Icon(Icons.Filled.Place, contentDescription = null) },
                )
            }
        }

        if (customer.assets.isNotEmpty()) SectionTitle(tech.assets.text, count = customer.assets.size)
        for (asset in customer.assets) {
            Column(Modifier.padding(vertical = 4.dp)) {
                Text("${asset.product}  ${asset.serialNumber}", style = MaterialTheme.typography.bodyMedium, fontWeight = FontWeight.Medium)
                Text(
                    "${tech.warranty.text}: ${asset.warranty.text}",
                    style = MaterialTheme.typography.bodySmall,
                    color = if (asset.underWarranty) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
                )
                asset.maintenanceDue?.let { LabeledLine(tech.maintenanceDue, it) }
            }
        }

        customer.value?.let { value ->
            Text(
                listOf(value.lifecycleWord.text, value.churnWord.text, value.rfmText)
                    .filter { it.isNotEmpty() }
                    .joinToString(" · "),
                style = MaterialTheme.typography.bodyMedium,
                fontWeight = FontWeight.Medium,
            )
            Text(value.summary.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            if (value.purchases.isNotEmpty()) SectionTitle(tech.purchases.text, count = value.purchases.size)
            for (purchase in value.purchases) {
                Text("${purchase.date} · ${purchase.what} · ${purchase.amount}", style = MaterialTheme.typography.bodySmall)
            }
        }

        if (customer.lastVisits.isNotEmpty()) SectionTitle(tech.lastVisits.text)
        for (visit in customer.lastVisits) {
            val score = visit.satisfaction?.let { "★$it" }
            Text(
                listOfNotNull(visit.date, visit.serviceWord.text, visit.statusWord.text, score).joinToString(" · "),
                style = MaterialTheme.typography.bodySmall,
            )
            if (visit.notes.isNotEmpty()) {
                Text(visit.notes, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            }
        }
    }
}

/** Every status change of the job, who made it and when. */
@Composable
private fun History(
    history: List<HistoryLine>,
    tech: TechnicianLabels,
) {
    if (history.isEmpty()) return
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        SectionTitle(tech.history.text)
        for (line in history) {
            Text(
                listOfNotNull(line.at, "${line.fromWord.text} → ${line.toWord.text}", line.by, line.note).joinToString(" · "),
                style = MaterialTheme.typography.bodySmall,
            )
        }
    }
}
