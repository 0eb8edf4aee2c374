package app.rounds.android.ui.dispatcher

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.shared.BackOfficeView
import app.rounds.shared.ConsolePage
import app.rounds.shared.DispatcherEvent
import app.rounds.shared.Event
import app.rounds.shared.Labels

/**
 * The people of the admin console on a phone: who works where and what each holds, to look
 * up before calling someone. Adding, changing and deactivating people is the desktop
 * console's (the web shell); the board is one tap away.
 */
@Composable
fun PeopleScreen(
    office: BackOfficeView,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    LazyColumn(
        modifier = modifier.fillMaxSize(),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item {
            Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                Text(
                    labels.backOffice.title.text,
                    style = MaterialTheme.typography.titleLarge,
                    modifier = Modifier.weight(1f),
                )
                TextButton(onClick = {
                    onEvent(Event.Dispatcher(DispatcherEvent.Console(ConsolePage.Board)))
                }) { Text(labels.backOffice.toBoard.text) }
            }
        }
        items(office.people, key = { "person-${it.id}" }) { person ->
            Column {
                Text(person.name, style = MaterialTheme.typography.titleMedium)
                Text(
                    "${person.rolesText.text} · ${person.storesText} · ${person.status.text}",
                    style = MaterialTheme.typography.bodySmall,
                )
                Text(person.holds.text, style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}
