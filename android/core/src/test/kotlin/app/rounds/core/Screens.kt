package app.rounds.core

import app.rounds.shared.BoardView
import app.rounds.shared.DispatcherScreen
import app.rounds.shared.FollowUpsView
import app.rounds.shared.JobDetailView
import app.rounds.shared.MyDayView
import app.rounds.shared.SalesScreen
import app.rounds.shared.Screen
import app.rounds.shared.TechnicianScreen
import app.rounds.shared.ViewModel

// The screens the tests look at, when the view model shows them.

/** The technician's day. */
val ViewModel.myDay: MyDayView?
    get() = ((screen as? Screen.Technician)?.value as? TechnicianScreen.MyDay)?.value

/** The technician's open job. */
val ViewModel.openJob: JobDetailView?
    get() = ((screen as? Screen.Technician)?.value as? TechnicianScreen.Job)?.value

/** The sales rep's follow-up lists. */
val ViewModel.followUps: FollowUpsView?
    get() = ((screen as? Screen.Sales)?.value as? SalesScreen.FollowUps)?.value

/** The dispatcher's board. */
val ViewModel.board: BoardView?
    get() = ((screen as? Screen.Dispatcher)?.value as? DispatcherScreen.Board)?.value
