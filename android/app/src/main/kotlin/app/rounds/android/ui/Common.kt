package app.rounds.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.TextRange
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.TextFieldValue
import androidx.compose.ui.unit.dp
import app.rounds.shared.RecordSync
import app.rounds.shared.SyncState
import app.rounds.shared.Word

/**
 * A text field over a draft the core keeps. Every keystroke goes to the core, which keeps
 * what was typed across a refusal, a sync or a language switch; the field keeps its own
 * cursor and the keyboard's composition, and takes the core's text only when the core
 * changes it (a form cleared once it was saved).
 */
@Composable
fun DraftTextField(
    value: String,
    onValueChange: (String) -> Unit,
    label: String,
    modifier: Modifier = Modifier,
    placeholder: String? = null,
    singleLine: Boolean = true,
    minLines: Int = 1,
    keyboardType: KeyboardType = KeyboardType.Text,
    isError: Boolean = false,
    supportingText: String? = null,
    leadingIcon: (@Composable () -> Unit)? = null,
    trailingIcon: (@Composable () -> Unit)? = null,
) {
    var field by remember { mutableStateOf(TextFieldValue(value, TextRange(value.length))) }
    var sent by remember { mutableStateOf(value) }
    // The core's text, when it is neither what this field shows nor what it last sent: the
    // core changed it on its own. Derived here rather than copied in an effect, so that a
    // keystroke made before an effect ran can never be undone.
    val shown = if (value != sent && value != field.text) TextFieldValue(value, TextRange(value.length)) else field
    OutlinedTextField(
        value = shown,
        onValueChange = {
            field = it
            if (it.text != shown.text) {
                sent = it.text
                onValueChange(it.text)
            }
        },
        label = { Text(label) },
        placeholder = placeholder?.let { { Text(it) } },
        supportingText = supportingText?.let { { Text(it) } },
        leadingIcon = leadingIcon,
        trailingIcon = trailingIcon,
        isError = isError,
        singleLine = singleLine,
        minLines = minLines,
        keyboardOptions = KeyboardOptions(keyboardType = keyboardType),
        modifier = modifier,
    )
}

/** Beside a record: a change waits to sync, was refused, or clashed; nothing when synced. */
@Composable
fun SyncBadge(
    sync: RecordSync,
    modifier: Modifier = Modifier,
) {
    val words = sync.words ?: return
    val (container, content) =
        when (sync.state) {
            SyncState.REFUSED, SyncState.CONFLICT ->
                MaterialTheme.colorScheme.errorContainer to MaterialTheme.colorScheme.onErrorContainer
            SyncState.WAITING, SyncState.SYNCED ->
                MaterialTheme.colorScheme.secondaryContainer to MaterialTheme.colorScheme.onSecondaryContainer
        }
    Surface(color = container, contentColor = content, shape = MaterialTheme.shapes.small, modifier = modifier) {
        Text(words.text, style = MaterialTheme.typography.labelSmall, modifier = Modifier.padding(horizontal = 6.dp, vertical = 2.dp))
    }
}

/** A list's heading with how many it holds. */
@Composable
fun SectionTitle(
    title: String,
    modifier: Modifier = Modifier,
    count: Int? = null,
) {
    Row(
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalAlignment = Alignment.Bottom,
        modifier = modifier.padding(top = 16.dp, bottom = 4.dp),
    ) {
        Text(title, style = MaterialTheme.typography.titleMedium)
        if (count != null) {
            Text("$count", style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
    }
}

/** Why the core refused what the form asked, in its words; nothing when it did not. */
@Composable
fun Refusal(
    reason: Word?,
    modifier: Modifier = Modifier,
) {
    if (reason == null) return
    Text(reason.text, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium, modifier = modifier)
}

/** A label and its value on one line ("Budget: ¥12,800"); the label is the core's word. */
@Composable
fun LabeledLine(
    label: Word,
    value: String,
    modifier: Modifier = Modifier,
) {
    Row(horizontalArrangement = Arrangement.spacedBy(6.dp), modifier = modifier) {
        Text(label.text, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Text(value, style = MaterialTheme.typography.bodyMedium)
    }
}
