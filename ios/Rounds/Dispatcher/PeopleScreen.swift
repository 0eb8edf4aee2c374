import RoundsCore
import SharedTypes
import SwiftUI

/// The people of the admin console on a phone: who works where and what each holds, to look
/// up before calling someone. Adding, changing and deactivating people is the desktop
/// console's (the web shell); the board is one tap away.
struct PeopleScreen: View {
    @Environment(Core.self) private var core
    let office: BackOfficeView

    var body: some View {
        let words = core.view.labels.backOffice
        NavigationStack {
            List(office.people, id: \.login) { person in
                VStack(alignment: .leading, spacing: 4) {
                    Text(person.name).font(.headline)
                    Text("\(person.rolesText.text) · \(person.storesText) · \(person.status.text)")
                        .font(.caption)
                    Text(person.holds.text).font(.caption).foregroundStyle(.secondary)
                }
            }
            .navigationTitle(words.title.text)
            .toolbar {
                ToolbarItem(placement: .topBarTrailing) {
                    Button(words.toBoard.text) {
                        core.send(.dispatcher(.console(.board)))
                    }
                }
            }
        }
    }
}
