package app.rounds.android.ui.sales

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
import androidx.compose.material3.Card
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.SyncBadge
import app.rounds.shared.Event
import app.rounds.shared.Labels
import app.rounds.shared.LeadCard
import app.rounds.shared.PipelineStats
import app.rounds.shared.SalesEvent
import app.rounds.shared.StageCount

/**
 * The pipeline: each stage with its count and value, and the open stages' leads, next
 * follow-up soonest first (the core's order); then how the rep converts, in the core's
 * sentences. A phone shows the stages one under the other rather than as columns.
 */
@Composable
fun Pipeline(
    stages: List<StageCount>,
    stats: PipelineStats,
    labels: Labels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    LazyColumn(
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        modifier = modifier.fillMaxSize(),
    ) {
        for (stage in stages) {
            item(key = "stage-${stage.stage}") { StageHeader(stage) }
            items(stage.leads, key = { "lead-${it.id}" }) { lead ->
                LeadItem(lead, labels, onClick = { onEvent(Event.Sales(SalesEvent.OpenLead(lead.id))) })
            }
        }
        item(key = "stats") {
            Column(verticalArrangement = Arrangement.spacedBy(4.dp), modifier = Modifier.padding(top = 16.dp)) {
                Text(stats.summary.text, style = MaterialTheme.typography.bodyMedium)
                for (rate in stats.winRateBySource) {
                    Text(rate.words.text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                }
            }
        }
    }
}

@Composable
private fun StageHeader(stage: StageCount) {
    Row(
        horizontalArrangement = Arrangement.spacedBy(12.dp),
        verticalAlignment = Alignment.Bottom,
        modifier = Modifier.padding(top = 12.dp),
    ) {
        Text(stage.stageWord.text, style = MaterialTheme.typography.titleMedium)
        Text("${stage.count}", style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.Bold)
        Text(stage.value.shown, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
    }
}

@OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)
@Composable
private fun LeadItem(
    lead: LeadCard,
    labels: Labels,
    onClick: () -> Unit,
) {
    Card(onClick = onClick, modifier = Modifier.fillMaxWidth()) {
        Column(verticalArrangement = Arrangement.spacedBy(2.dp), modifier = Modifier.padding(12.dp)) {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(lead.name, style = MaterialTheme.typography.titleSmall)
                SyncBadge(lead.sync)
            }
            Text(
                "${lead.interest.text} · ${labels.sales.expectedValue.text} ${lead.expectedValue.shown}",
                style = MaterialTheme.typography.bodySmall,
            )
            lead.nextFollowUp?.let {
                Text(
                    "${labels.sales.nextFollowUp.text} $it",
                    style = MaterialTheme.typography.bodySmall,
                    // The core says when the next follow-up is past; here it is only coloured.
                    color = if (lead.overdue) MaterialTheme.colorScheme.error else Color.Unspecified,
                )
            }
        }
    }
}
