import RoundsCore
import SharedTypes
import SwiftUI

/// The sales rep's navigation: follow-ups and the pipeline, and the lead the core has open
/// pushed over them; going back closes the lead there.
struct SalesHome: View {
    @Environment(Core.self) private var core
    let screen: SalesScreen
    /// The lists as last shown, under the lead pushed over them (the core describes one screen
    /// at a time).
    @State private var lastFollowUps: FollowUpsView?

    var body: some View {
        NavigationStack(path: path) {
            RoleFrame(title: core.view.labels.sales.followUps.text) {
                if let followUps = shownFollowUps {
                    FollowUpsScreen(followUps: followUps)
                } else {
                    ProgressView()
                }
            }
            .navigationDestination(for: UUID.self) { _ in
                OpenLead()
            }
        }
        .onChange(of: screen, initial: true) { _, screen in
            if case let .followUps(followUps) = screen {
                lastFollowUps = followUps
            }
        }
    }

    private var shownFollowUps: FollowUpsView? {
        if case let .followUps(followUps) = screen {
            return followUps
        }
        return lastFollowUps
    }

    private var path: Binding<[UUID]> {
        Binding(
            get: {
                if case let .lead(lead) = screen {
                    return [lead.id]
                }
                return []
            },
            set: { path in
                if path.isEmpty, case .lead = screen {
                    core.send(.sales(.closeLead))
                }
            }
        )
    }
}

/// The lead the core has open, read afresh at each render.
private struct OpenLead: View {
    @Environment(Core.self) private var core

    var body: some View {
        if case let .sales(.lead(lead)) = core.view.screen {
            LeadScreen(lead: lead)
                .statusStrip()
        }
    }
}
