import RoundsCore
import SharedTypes
import SwiftUI

/// The person's menu on every signed-in screen: who is signed in, the roles they can switch
/// between, the language, syncing now and signing out.
struct FrameMenu: View {
    @Environment(Core.self) private var core

    var body: some View {
        let view = core.view
        let frame = view.labels.frame
        Menu {
            if view.roles.count > 1 {
                Section {
                    ForEach(view.roles, id: \.role) { choice in
                        Button {
                            core.send(.showRole(choice.role))
                        } label: {
                            if choice.role == view.role {
                                Label(choice.name.text, systemImage: "checkmark")
                            } else {
                                Text(choice.name)
                            }
                        }
                    }
                }
            }
            LanguageMenu()
            Button {
                core.send(.syncNow)
            } label: {
                Label(frame.syncNow.text, systemImage: "arrow.triangle.2.circlepath")
            }
            Button(role: .destructive) {
                core.send(.signOut)
            } label: {
                Label(frame.signOut.text, systemImage: "rectangle.portrait.and.arrow.right")
            }
        } label: {
            Label {
                Text(verbatim: view.userName ?? "")
            } icon: {
                Image(systemName: "person.crop.circle")
            }
        }
    }
}
