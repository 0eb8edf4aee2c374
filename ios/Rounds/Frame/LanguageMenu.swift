import RoundsCore
import SharedTypes
import SwiftUI

/// The languages the core speaks, each named in itself; the choice is remembered for the next
/// launch and the core rewords everything, what is already on screen included.
struct LanguageMenu: View {
    @Environment(Core.self) private var core

    var body: some View {
        let view = core.view
        Menu {
            ForEach(view.languages, id: \.code) { choice in
                Button {
                    DeviceSettings.remember(choice)
                    core.send(.setLanguage(choice.lang))
                } label: {
                    if choice.lang == view.language {
                        Label(choice.endonym, systemImage: "checkmark")
                    } else {
                        Text(verbatim: choice.endonym)
                    }
                }
            }
        } label: {
            Label(view.labels.frame.language.text, systemImage: "globe")
        }
    }
}
