import RoundsCore
import SharedTypes
import SwiftUI

/// The dispatcher's navigation: the board of the day shown, with the suggestion or plan the
/// core has open over it as a sheet.
struct DispatcherHome: View {
    @Environment(Core.self) private var core
    let board: BoardView

    var body: some View {
        NavigationStack {
            RoleFrame(title: board.dayTitle.text) {
                BoardScreen(board: board)
            }
            .toolbar {
                ToolbarItem(placement: .topBarLeading) {
                    Button(core.view.labels.dispatcher.planTheDay.text) {
                        core.send(.dispatcher(.plan(.propose)))
                    }
                }
            }
        }
        .sheet(isPresented: panelOpen) {
            DispatchPanelSheet()
        }
    }

    /// Open while the core has a suggestion, a plan or a problem to show; closing the sheet
    /// dismisses it there.
    private var panelOpen: Binding<Bool> {
        Binding(
            get: { Self.isOpen(board.dispatch) },
            set: { open in
                if !open, Self.isOpen(board.dispatch) {
                    core.send(.dispatcher(.plan(.dismiss)))
                }
            }
        )
    }

    static func isOpen(_ panel: DispatchPanel) -> Bool {
        panel.suggestion != nil || panel.plan != nil || panel.problem != nil || panel.confirm != nil
    }
}
