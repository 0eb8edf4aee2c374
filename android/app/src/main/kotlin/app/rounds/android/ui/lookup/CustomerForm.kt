package app.rounds.android.ui.lookup

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.key
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.Refusal
import app.rounds.android.ui.SectionTitle
import app.rounds.shared.CustomerFormView
import app.rounds.shared.Event
import app.rounds.shared.Labels
import app.rounds.shared.LookupEvent

/**
 * The customer form, new or edited. Each keystroke goes to the core as the field's text (it
 * reads the phone numbers out of it), and the core answers with likely duplicates before
 * anything is saved; a manager of both customers' stores may merge this one into one of them.
 */
@Composable
fun CustomerFormScreen(
    form: CustomerFormView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val words = labels.lookup
    val send = { event: LookupEvent -> onEvent(Event.Lookup(event)) }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Text(words.formTitle.text, style = MaterialTheme.typography.headlineSmall)
        for (field in form.fields) {
            key(field.field) {
                DraftTextField(
                    value = field.value,
                    onValueChange = { send(LookupEvent.Type(field.field, it)) },
                    label = field.label.text,
                    keyboardType = if (field.phone) KeyboardType.Phone else KeyboardType.Text,
                    modifier = Modifier.fillMaxWidth(),
                )
            }
        }
        Refusal(form.error)

        if (form.duplicates.isNotEmpty()) {
            SectionTitle(words.possibleDuplicates.text, count = form.duplicates.size)
            val editing = form.editing
            for (duplicate in form.duplicates) {
                OutlinedCard(Modifier.fillMaxWidth()) {
                    Column(verticalArrangement = Arrangement.spacedBy(4.dp), modifier = Modifier.padding(12.dp)) {
                        Text("${duplicate.name}  ${duplicate.number}", style = MaterialTheme.typography.titleSmall)
                        Text(duplicate.place, style = MaterialTheme.typography.bodySmall)
                        Text(duplicate.reason.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.error)
                        if (form.canMerge && editing != null) {
                            OutlinedButton(onClick = { send(LookupEvent.Merge(keep = duplicate.customer, remove = editing)) }) {
                                Text(words.mergeIntoThis.text)
                            }
                        }
                    }
                }
            }
        }

        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(LookupEvent.SaveCustomer) }, enabled = !form.saving) {
                Text(if (form.saving) words.saving.text else labels.frame.save.text)
            }
            TextButton(onClick = { send(LookupEvent.CloseCustomer) }) { Text(labels.frame.close.text) }
        }
    }
}
