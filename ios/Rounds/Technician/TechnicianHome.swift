import RoundsCore
import SharedTypes
import SwiftUI

/// The technician's navigation: the day, and the job the core has open pushed over it. The
/// stack's path follows the core (a job is open or not), and going back closes the job there.
struct TechnicianHome: View {
    @Environment(Core.self) private var core
    let screen: TechnicianScreen
    /// The day as last shown: the core describes one screen at a time, and the day stays under
    /// the job pushed over it.
    @State private var lastDay: MyDayView?

    var body: some View {
        NavigationStack(path: path) {
            RoleFrame(title: core.view.labels.technician.myDay.text) {
                if let day = shownDay {
                    MyDayScreen(day: day)
                } else {
                    ProgressView()
                }
            }
            .navigationDestination(for: UUID.self) { _ in
                OpenJob()
            }
        }
        .onChange(of: screen, initial: true) { _, screen in
            if case let .myDay(day) = screen {
                lastDay = day
            }
        }
    }

    private var shownDay: MyDayView? {
        if case let .myDay(day) = screen {
            return day
        }
        return lastDay
    }

    private var path: Binding<[UUID]> {
        Binding(
            get: {
                if case let .job(detail) = screen {
                    return [detail.card.id]
                }
                return []
            },
            set: { path in
                if path.isEmpty, case .job = screen {
                    core.send(.technician(.closeJob))
                }
            }
        )
    }
}

/// The job the core has open, read afresh at each render.
private struct OpenJob: View {
    @Environment(Core.self) private var core

    var body: some View {
        if case let .technician(.job(detail)) = core.view.screen {
            JobScreen(detail: detail)
                .statusStrip()
        }
    }
}
