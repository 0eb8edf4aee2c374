package app.rounds.android.ui.technician

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.ElevatedCard
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.SectionTitle
import app.rounds.android.ui.SyncBadge
import app.rounds.android.ui.lookup.CustomerSearch
import app.rounds.android.ui.theme.LocalRiskColors
import app.rounds.shared.Event
import app.rounds.shared.JobCard
import app.rounds.shared.MyDayView
import app.rounds.shared.TechnicianEvent
import app.rounds.shared.TechnicianLabels
import app.rounds.shared.ViewModel

/**
 * The technician's day: the visits in the order the core planned them, each with its ETA,
 * then the jobs waiting for parts or a return visit. Pull down to sync.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun DayScreen(
    day: MyDayView,
    view: ViewModel,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    val labels = view.labels.technician
    val openJob = { card: JobCard -> onEvent(Event.Technician(TechnicianEvent.OpenJob(card.id))) }
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
            item(key = "search") { CustomerSearch(view.lookup, view.labels, onEvent) }
            item(key = "title") {
                Row(verticalAlignment = Alignment.Bottom, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    SectionTitle(labels.myDay.text)
                    Text(
                        day.date,
                        style = MaterialTheme.typography.labelLarge,
                        color = MaterialTheme.colorScheme.onSurfaceVariant,
                        modifier = Modifier.padding(bottom = 4.dp),
                    )
                }
            }
            day.empty?.let { empty -> item(key = "empty") { Text(empty.text, color = MaterialTheme.colorScheme.onSurfaceVariant) } }
            items(day.jobs, key = { "job-${it.id}" }) { card -> JobSummary(card, labels, onClick = { openJob(card) }) }
            if (day.waiting.isNotEmpty()) {
                item(key = "waiting") { SectionTitle(labels.waiting.text, count = day.waiting.size) }
                items(day.waiting, key = { "waiting-${it.id}" }) { card -> JobSummary(card, labels, onClick = { openJob(card) }) }
            }
        }
    }
}

/**
 * A job as a card: enough to recognise it and know when to be there. Shared by the day and
 * the dispatcher's queue. Whether its promise is at risk or broken is the core's word
 * (`slaAtRisk`, `slaBreached`); here it only sets the colour.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun JobSummary(
    card: JobCard,
    labels: TechnicianLabels,
    modifier: Modifier = Modifier,
    onClick: (() -> Unit)? = null,
    footer: @Composable () -> Unit = {},
) {
    val risk = LocalRiskColors.current
    val slaColor =
        when {
            card.slaBreached -> risk.breached
            card.slaAtRisk -> risk.atRisk
            else -> Color.Unspecified
        }
    ElevatedCard(modifier.fillMaxWidth()) {
        Column(
            verticalArrangement = Arrangement.spacedBy(4.dp),
            modifier = (if (onClick != null) Modifier.clickable(onClick = onClick) else Modifier).padding(12.dp),
        ) {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(card.number, style = MaterialTheme.typography.titleSmall, fontWeight = FontWeight.Bold)
                Text(card.statusWord.text, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
                Text(card.priorityWord.text, style = MaterialTheme.typography.labelLarge)
                SyncBadge(card.sync)
            }
            Text(
                listOf(card.customerName, card.tierWord.text, card.serviceWord.text).joinToString(" · "),
                style = MaterialTheme.typography.bodyMedium,
            )
            Text(card.address, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            if (card.description.isNotEmpty()) Text(card.description, style = MaterialTheme.typography.bodySmall)
            // A job for more than one: who goes together ("Crew of 2: …"), or how many it needs.
            card.crew?.let { Text(it.text, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.tertiary) }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                card.eta?.let { Text("${labels.eta.text} $it", style = MaterialTheme.typography.labelLarge, fontWeight = FontWeight.Bold) }
                card.window?.let { Text("${labels.window.text} $it", style = MaterialTheme.typography.labelMedium) }
                Text("${labels.slaBy.text} ${card.slaDeadline}", style = MaterialTheme.typography.labelMedium, color = slaColor)
                card.technician?.let { Text(it, style = MaterialTheme.typography.labelMedium) }
            }
            footer()
        }
    }
}
