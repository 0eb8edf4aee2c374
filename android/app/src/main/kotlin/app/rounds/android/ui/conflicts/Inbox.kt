package app.rounds.android.ui.conflicts

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.ModalBottomSheet
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.shared.ConflictCard
import app.rounds.shared.ConflictEvent
import app.rounds.shared.ConflictSideView
import app.rounds.shared.ConflictsView
import app.rounds.shared.Event
import app.rounds.shared.Labels

/**
 * The conflict inbox: each customer field two people changed at once, both values with who
 * set them and when. One tap keeps either, or a value typed here settles it. Which button
 * sends which choice is the view model's (`onRecord`).
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun ConflictInbox(
    conflicts: ConflictsView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    onDismiss: () -> Unit,
) {
    val words = labels.conflicts
    ModalBottomSheet(onDismissRequest = onDismiss) {
        Column(
            verticalArrangement = Arrangement.spacedBy(12.dp),
            modifier = Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(horizontal = 16.dp, vertical = 8.dp),
        ) {
            Text(words.title.text, style = MaterialTheme.typography.titleLarge)
            Text(words.explained.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            if (conflicts.items.isEmpty()) Text(words.none.text)
            for (card in conflicts.items) {
                key(card.id) { Conflict(card, labels, onEvent) }
            }
            TextButton(onClick = onDismiss, modifier = Modifier.align(Alignment.End)) { Text(labels.frame.close.text) }
        }
    }
}

@Composable
private fun Conflict(
    card: ConflictCard,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    OutlinedCard(Modifier.fillMaxWidth()) {
        Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(12.dp)) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.Bottom) {
                Text(card.customerName, style = MaterialTheme.typography.titleSmall, fontWeight = FontWeight.Bold)
                Text(card.number, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            }
            Text(card.fieldName.text, style = MaterialTheme.typography.labelLarge)
            for (side in card.sides) Side(card, side, onEvent)
            if (card.editable) {
                // Typed here only; the core hears it when it is sent.
                var typed by rememberSaveable(card.id.toString()) { mutableStateOf(card.typed) }
                OutlinedTextField(value = typed, onValueChange = { typed = it }, singleLine = true, modifier = Modifier.fillMaxWidth())
                FilledTonalButton(onClick = { onEvent(Event.Conflicts(ConflictEvent.UseTyped(card.id, typed))) }) {
                    Text(labels.conflicts.useTyped.text)
                }
            }
        }
    }
}

@Composable
private fun Side(
    card: ConflictCard,
    side: ConflictSideView,
    onEvent: (Event) -> Unit,
) {
    val who = listOfNotNull(side.who.text, side.whoName).joinToString(" · ")
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        Text(side.state.text, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Text(side.valueWord?.text ?: side.value, style = MaterialTheme.typography.bodyLarge)
        Text("$who · ${side.at}", style = MaterialTheme.typography.bodySmall)
        OutlinedButton(
            onClick = {
                val keep = if (side.onRecord) ConflictEvent.KeepKept(card.id) else ConflictEvent.KeepSetAside(card.id)
                onEvent(Event.Conflicts(keep))
            },
        ) { Text(side.keep.text) }
    }
}
