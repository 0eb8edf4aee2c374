import RoundsCore
import SharedTypes
import SwiftUI

/// The screen of the view model's kind. Which screen shows is the core's decision; this only
/// picks the view that renders it.
struct RootView: View {
    @Environment(Core.self) private var core

    var body: some View {
        screen
            // Dates and numbers the system draws (the date pickers) follow the person's choice.
            .environment(\.locale, Locale(identifier: languageCode))
    }

    @ViewBuilder
    private var screen: some View {
        switch core.view.screen {
        case .loading:
            ProgressView(core.view.labels.frame.loading.text)
        case let .signIn(signIn):
            SignInScreen(signIn: signIn)
        case let .technician(screen):
            TechnicianHome(screen: screen)
        case let .sales(screen):
            SalesHome(screen: screen)
        case let .dispatcher(.board(board)):
            DispatcherHome(board: board)
        case let .dispatcher(.backOffice(office)):
            PeopleScreen(office: office)
        }
    }

    private var languageCode: String {
        core.view.languages.first { $0.lang == core.view.language }?.code ?? "en"
    }
}
