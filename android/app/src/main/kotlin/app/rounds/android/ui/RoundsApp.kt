package app.rounds.android.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawing
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.Immutable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.android.ui.conflicts.ConflictInbox
import app.rounds.android.ui.dispatcher.PeopleScreen
import app.rounds.android.ui.dispatcher.QueueScreen
import app.rounds.android.ui.lookup.CustomerFormScreen
import app.rounds.android.ui.sales.FollowUpsScreen
import app.rounds.android.ui.sales.LeadScreen
import app.rounds.android.ui.technician.DayScreen
import app.rounds.android.ui.technician.JobScreen
import app.rounds.shared.DispatcherScreen
import app.rounds.shared.Event
import app.rounds.shared.LookupEvent
import app.rounds.shared.SalesEvent
import app.rounds.shared.SalesScreen
import app.rounds.shared.Screen
import app.rounds.shared.TechnicianEvent
import app.rounds.shared.TechnicianScreen
import app.rounds.shared.ViewModel

/**
 * Whether reminders can reach the person, and how to let them. Working it out is Android's
 * business (the activity's); the frame only shows it, in the core's words.
 */
@Immutable
data class ReminderAccess(
    val blocked: Boolean,
    val allow: () -> Unit,
)

/**
 * The whole app: the frame around the screen the core shows. It renders [view] and nothing
 * else (no word, rule or order of its own) and sends what the person does as [onEvent].
 */
@Composable
fun RoundsApp(
    view: ViewModel,
    onEvent: (Event) -> Unit,
    reminders: ReminderAccess,
    modifier: Modifier = Modifier,
) {
    // Which overlay is open is the shell's own state; what it shows is the core's.
    var inboxOpen by rememberSaveable { mutableStateOf(false) }
    val signedIn = view.userName != null
    Scaffold(
        modifier = modifier,
        topBar = { if (signedIn) RoundsTopBar(view, onEvent, onOpenInbox = { inboxOpen = true }) },
        contentWindowInsets = WindowInsets.safeDrawing,
    ) { padding ->
        Column(Modifier.fillMaxSize().padding(padding)) {
            if (signedIn) RoleChips(view, onEvent)
            Notices(view, onEvent)
            if (reminders.blocked) ReminderBanner(view.labels.frame, reminders.allow)
            Box(Modifier.weight(1f)) {
                CurrentScreen(view, onEvent)
            }
        }
    }
    if (inboxOpen && signedIn) {
        ConflictInbox(view.conflicts, view.labels, onEvent, onDismiss = { inboxOpen = false })
    }
}

/** The screen of the view model's kind; the customer form, when open, over any of them. */
@Composable
private fun CurrentScreen(
    view: ViewModel,
    onEvent: (Event) -> Unit,
) {
    val form = view.lookup.form
    when (val screen = view.screen) {
        Screen.Loading -> Loading(view.labels.frame.loading.text)
        is Screen.SignIn -> SignInScreen(screen.value, view.labels.frame, onEvent)
        else ->
            if (form != null) {
                BackHandler { onEvent(Event.Lookup(LookupEvent.CloseCustomer)) }
                CustomerFormScreen(form, view.labels, onEvent)
            } else {
                RoleScreen(screen, view, onEvent)
            }
    }
}

@Composable
private fun RoleScreen(
    screen: Screen,
    view: ViewModel,
    onEvent: (Event) -> Unit,
) {
    when (screen) {
        is Screen.Technician ->
            when (val s = screen.value) {
                is TechnicianScreen.MyDay -> DayScreen(s.value, view, onEvent)
                is TechnicianScreen.Job -> {
                    BackHandler { onEvent(Event.Technician(TechnicianEvent.CloseJob)) }
                    JobScreen(s.value, view.labels, onEvent)
                }
            }
        is Screen.Sales ->
            when (val s = screen.value) {
                is SalesScreen.FollowUps -> FollowUpsScreen(s.value, view, onEvent)
                is SalesScreen.Lead -> {
                    BackHandler { onEvent(Event.Sales(SalesEvent.CloseLead)) }
                    LeadScreen(s.value, view.labels, onEvent)
                }
            }
        is Screen.Dispatcher ->
            when (val s = screen.value) {
                is DispatcherScreen.Board -> QueueScreen(s.value, view, onEvent)
                is DispatcherScreen.BackOffice -> PeopleScreen(s.value, view.labels, onEvent)
            }
        Screen.Loading, is Screen.SignIn -> Unit
    }
}

@Composable
private fun Loading(words: String) {
    Column(
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
        modifier = Modifier.fillMaxSize(),
    ) {
        CircularProgressIndicator()
        Text(words, style = MaterialTheme.typography.bodyLarge)
    }
}
