package app.rounds.android.ui.lookup

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Clear
import androidx.compose.material.icons.filled.Search
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.withStyle
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.SyncBadge
import app.rounds.shared.DuplicatePairView
import app.rounds.shared.Event
import app.rounds.shared.Labels
import app.rounds.shared.LookupEvent
import app.rounds.shared.LookupResult
import app.rounds.shared.LookupView
import app.rounds.shared.MatchView

/**
 * Customer search, on every role's list screen: results as the person types (names, pinyin,
 * phone fragments, addresses; the core ranks them and marks what matched), a new customer,
 * and the pairs the core thinks are one customer, for those who may merge them.
 */
@Composable
fun CustomerSearch(
    lookup: LookupView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val words = labels.lookup
    val query = { text: String -> onEvent(Event.Lookup(LookupEvent.Query(text))) }
    Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = modifier.fillMaxWidth()) {
        DraftTextField(
            value = lookup.query,
            onValueChange = query,
            label = words.placeholder.text,
            leadingIcon = { Icon(Icons.Filled.Search, contentDescription = null) },
            trailingIcon =
                if (lookup.query.isNotEmpty()) {
                    { IconButton(onClick = { query("") }) { Icon(Icons.Filled.Clear, contentDescription = labels.frame.close.text) } }
                } else {
                    null
                },
            modifier = Modifier.fillMaxWidth(),
        )
        if (lookup.nothingFound) {
            Text(words.nothingFound.text, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        for (result in lookup.results) {
            Result(result, labels, onEvent)
            HorizontalDivider()
        }
        TextButton(onClick = { onEvent(Event.Lookup(LookupEvent.NewCustomer)) }) {
            Icon(Icons.Filled.Add, contentDescription = null)
            Text(words.newCustomer.text, modifier = Modifier.padding(start = 8.dp))
        }
        if (lookup.possibleDuplicates.isNotEmpty()) PossibleDuplicates(lookup.possibleDuplicates, labels, onEvent)
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Result(
    result: LookupResult,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(result.name, style = MaterialTheme.typography.titleSmall)
            Text(result.number, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            SyncBadge(result.sync)
        }
        Text(result.place, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        for (match in result.matched) {
            Text(matched(match, MaterialTheme.colorScheme.primaryContainer), style = MaterialTheme.typography.bodySmall)
        }
        if (result.editable) {
            OutlinedButton(onClick = { onEvent(Event.Lookup(LookupEvent.EditCustomer(result.customer))) }) {
                Text(labels.lookup.edit.text)
            }
        }
    }
}

/** "Phone: 138 0013 8000", the parts the query matched marked as the core cut them. */
private fun matched(
    match: MatchView,
    mark: Color,
): AnnotatedString =
    buildAnnotatedString {
        append(match.field.text)
        append(": ")
        for (part in match.parts) {
            if (part.highlight) {
                withStyle(SpanStyle(fontWeight = FontWeight.Bold, background = mark)) { append(part.text) }
            } else {
                append(part.text)
            }
        }
    }

/** Customers that are probably one (made twice offline, say): merge, or say they differ. */
@Composable
private fun PossibleDuplicates(
    pairs: List<DuplicatePairView>,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    var expanded by rememberSaveable { mutableStateOf(false) }
    TextButton(onClick = { expanded = !expanded }) { Text("${labels.lookup.possibleDuplicates.text} (${pairs.size})") }
    if (!expanded) return
    for (pair in pairs) {
        Column(verticalArrangement = Arrangement.spacedBy(4.dp), modifier = Modifier.padding(start = 8.dp)) {
            Text("${pair.a.name} ${pair.a.number}  ⇄  ${pair.b.name} ${pair.b.number}", style = MaterialTheme.typography.bodyMedium)
            Text(pair.a.reason.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.error)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { onEvent(Event.Lookup(LookupEvent.Merge(keep = pair.a.customer, remove = pair.b.customer))) }) {
                    Text(labels.lookup.merge.text)
                }
                TextButton(onClick = { onEvent(Event.Lookup(LookupEvent.NotDuplicates(pair.a.customer, pair.b.customer))) }) {
                    Text(labels.lookup.notTheSame.text)
                }
            }
        }
    }
}
