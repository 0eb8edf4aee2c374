package app.rounds.android.ui.sales

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.LazyListScope
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AssistChip
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.FilterChip
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.PrimaryTabRow
import androidx.compose.material3.Tab
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.DateTimeField
import app.rounds.android.ui.DraftTextField
import app.rounds.android.ui.Refusal
import app.rounds.android.ui.SectionTitle
import app.rounds.android.ui.SyncBadge
import app.rounds.android.ui.lookup.CustomerSearch
import app.rounds.shared.BacklogView
import app.rounds.shared.CardField
import app.rounds.shared.Event
import app.rounds.shared.FollowUpCard
import app.rounds.shared.FollowUpEvent
import app.rounds.shared.FollowUpsView
import app.rounds.shared.InteractionKind
import app.rounds.shared.Labels
import app.rounds.shared.SalesEvent
import app.rounds.shared.ViewModel

/** Lists run to hundreds: the first few show until the rep asks for all. */
private const val SHOWN = 10

/**
 * The rep's desk: follow-ups (overdue, today, upcoming, in the core's order) on one tab, the
 * pipeline on the other. Pull down to sync.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun FollowUpsScreen(
    followUps: FollowUpsView,
    view: ViewModel,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val labels = view.labels
    var tab by rememberSaveable { mutableIntStateOf(0) }
    Column(modifier.fillMaxSize()) {
        PrimaryTabRow(selectedTabIndex = tab) {
            Tab(selected = tab == 0, onClick = { tab = 0 }, text = { Text(labels.sales.followUps.text) })
            Tab(selected = tab == 1, onClick = { tab = 1 }, text = { Text(labels.sales.pipeline.text) })
        }
        PullToRefreshBox(
            isRefreshing = view.sync.syncing,
            onRefresh = { onEvent(Event.SyncNow) },
            modifier = Modifier.weight(1f),
        ) {
            if (tab == 0) {
                FollowUpList(followUps, view, onEvent)
            } else {
                Pipeline(followUps.pipeline, followUps.stats, labels, onEvent)
            }
        }
    }
}

@Composable
private fun FollowUpList(
    followUps: FollowUpsView,
    view: ViewModel,
    onEvent: (Event) -> Unit,
) {
    val sales = view.labels.sales
    // Which lists show everything: the shell's own state, kept across rotation.
    var showAll by rememberSaveable { mutableStateOf(setOf<Int>()) }
    LazyColumn(
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        modifier = Modifier.fillMaxSize(),
    ) {
        item(key = "search") { CustomerSearch(view.lookup, view.labels, onEvent) }
        val sections = listOf(sales.overdue to followUps.overdue, sales.today to followUps.today, sales.upcoming to followUps.upcoming)
        sections.forEachIndexed { index, (title, cards) ->
            section(
                index = index,
                title = title.text,
                cards = cards,
                expanded = index in showAll,
                onExpand = { showAll = showAll + index },
                labels = view.labels,
                onEvent = onEvent,
            )
        }
        followUps.upcomingMore?.let { more ->
            item(key = "upcoming-more") { Text(more.text, color = MaterialTheme.colorScheme.onSurfaceVariant) }
        }
        followUps.backlog?.let { backlog(it, view.labels, onEvent) }
    }
}

/**
 * What the day cannot hold: summed up by kind, a page at a time in the order chosen, each card
 * handed to a colleague in two taps. The core pages and sorts; the shell only asks.
 */
@OptIn(ExperimentalLayoutApi::class)
private fun LazyListScope.backlog(
    backlog: BacklogView,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    item(key = "backlog-title") { SectionTitle(labels.sales.backlog.text, count = backlog.page.total.toInt()) }
    item(key = "backlog-summary") {
        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(backlog.summary.text, style = MaterialTheme.typography.bodyMedium)
            Text(
                backlog.byKind.joinToString(" · ") { "${it.label.text}: ${it.count}" },
                style = MaterialTheme.typography.bodySmall,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                backlog.sorts.forEach { choice ->
                    FilterChip(
                        selected = choice.sort == backlog.sort,
                        onClick = { onEvent(Event.Sales(SalesEvent.BacklogSort(choice.sort))) },
                        label = { Text(choice.label.text) },
                    )
                }
            }
        }
    }
    items(backlog.cards, key = { "backlog-${it.id}" }) { card ->
        Column {
            FollowUpItem(card, labels, onEvent)
            HandTo(card, backlog, labels, onEvent)
        }
    }
    item(key = "backlog-pages") {
        val index = backlog.page.index.toInt()
        val pages = backlog.page.pages.toInt()
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            TextButton(
                onClick = { onEvent(Event.Sales(SalesEvent.BacklogPage((index - 1).toUInt()))) },
                enabled = index > 0,
            ) { Text("‹ " + labels.dispatcher.previousPage.text) }
            backlog.page.shown?.let { Text(it.text, style = MaterialTheme.typography.labelMedium) }
            TextButton(
                onClick = { onEvent(Event.Sales(SalesEvent.BacklogPage((index + 1).toUInt()))) },
                enabled = pages > index + 1,
            ) { Text(labels.dispatcher.nextPage.text + " ›") }
        }
    }
}

/** "Hand to…": the store's other reps, as the core lists them. */
@Composable
private fun HandTo(
    card: FollowUpCard,
    backlog: BacklogView,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    var menuShown by rememberSaveable(card.id.toString()) { mutableStateOf(false) }
    Box {
        TextButton(onClick = { menuShown = true }) { Text(labels.sales.handTo.text) }
        DropdownMenu(expanded = menuShown, onDismissRequest = { menuShown = false }) {
            backlog.handTo.forEach { colleague ->
                DropdownMenuItem(
                    text = { Text(colleague.name) },
                    onClick = {
                        menuShown = false
                        onEvent(Event.Sales(SalesEvent.HandOut(card.id, colleague.id)))
                    },
                )
            }
        }
    }
}

private fun LazyListScope.section(
    index: Int,
    title: String,
    cards: List<FollowUpCard>,
    expanded: Boolean,
    onExpand: () -> Unit,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    item(key = "section-$index") { SectionTitle(title, count = cards.size) }
    if (cards.isEmpty()) {
        item(key = "empty-$index") {
            Text(labels.sales.nothingToFollowUp.text, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
    }
    val shown = if (expanded) cards else cards.take(SHOWN)
    items(shown, key = { "card-${it.id}" }) { card -> FollowUpItem(card, labels, onEvent) }
    if (shown.size < cards.size) {
        item(key = "more-$index") {
            TextButton(onClick = onExpand) { Text("${labels.sales.showAll.text} (${cards.size})") }
        }
    }
}

/**
 * One follow-up: what to do and why, and everything a rep does with it in two taps (log a
 * call or a visit, done, snooze, move it, open the lead). What is typed on the card goes to
 * the core as it is typed, which keeps it across refusals.
 */
@OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)
@Composable
private fun FollowUpItem(
    card: FollowUpCard,
    labels: Labels,
    onEvent: (Event) -> Unit,
) {
    val sales = labels.sales
    val id = card.id
    val draft = card.draft
    ElevatedCard(Modifier.fillMaxWidth()) {
        Column(verticalArrangement = Arrangement.spacedBy(6.dp), modifier = Modifier.padding(12.dp)) {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(card.title, style = MaterialTheme.typography.titleSmall, fontWeight = FontWeight.Bold)
                Text(card.label.text, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
                Text(card.due, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                SyncBadge(card.sync)
            }
            card.why?.let { Text(it.text, style = MaterialTheme.typography.bodySmall) }
            if (card.note.isNotEmpty()) Text(card.note, style = MaterialTheme.typography.bodySmall)
            DraftTextField(
                value = draft.outcome,
                onValueChange = { onEvent(Event.Sales(SalesEvent.TypeOnCard(id, CardField.OUTCOME, it))) },
                label = sales.whatHappened.text,
                modifier = Modifier.fillMaxWidth(),
            )
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilledTonalButton(
                    onClick = { onEvent(Event.Sales(SalesEvent.LogOnCard(id, InteractionKind.CALL))) },
                    enabled = !card.busy,
                ) { Text(sales.logCall.text) }
                FilledTonalButton(
                    onClick = { onEvent(Event.Sales(SalesEvent.LogOnCard(id, InteractionKind.VISIT))) },
                    enabled = !card.busy,
                ) { Text(sales.logVisit.text) }
                OutlinedButton(onClick = { onEvent(Event.FollowUps(FollowUpEvent.Complete(id))) }, enabled = !card.busy) {
                    Text(sales.done.text)
                }
                if (card.canBookVisit) {
                    OutlinedButton(onClick = { onEvent(Event.FollowUps(FollowUpEvent.BookMaintenanceVisit(id))) }) {
                        Text(sales.bookVisit.text)
                    }
                }
                card.lead?.let { lead ->
                    TextButton(onClick = { onEvent(Event.Sales(SalesEvent.OpenLead(lead))) }) { Text(sales.openLead.text) }
                }
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (snooze in card.snooze) {
                    AssistChip(
                        onClick = { onEvent(Event.FollowUps(FollowUpEvent.Snooze(id, snooze.choice))) },
                        label = { Text(snooze.label.text) },
                    )
                }
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
                DateTimeField(
                    value = draft.due,
                    onValueChange = { onEvent(Event.Sales(SalesEvent.TypeOnCard(id, CardField.DUE, it))) },
                    label = sales.due.text,
                    confirm = labels.frame.save.text,
                    dismiss = labels.frame.cancel.text,
                )
                TextButton(
                    onClick = { onEvent(Event.Sales(SalesEvent.RescheduleCard(id))) },
                    enabled = draft.due.isNotEmpty() && !card.busy,
                ) { Text(sales.reschedule.text) }
            }
            Refusal(card.error)
        }
    }
}
