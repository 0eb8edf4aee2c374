import RoundsCore
import SharedTypes
import SwiftUI

/// The conflict inbox, for every role: each field two people changed at once, with both
/// values, who made each and when. One tap keeps one of them, or the value typed here; which
/// button sends which choice comes from the view model.
struct ConflictInbox: View {
    @Environment(Core.self) private var core
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        let conflicts = core.view.conflicts
        let labels = core.view.labels
        NavigationStack {
            List {
                Section {
                    Text(labels.conflicts.explained)
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                }
                if conflicts.items.isEmpty {
                    Text(labels.conflicts.none)
                        .foregroundStyle(.secondary)
                }
                ForEach(conflicts.items, id: \.id) { card in
                    ConflictSection(card: card)
                }
            }
            .navigationTitle(labels.conflicts.title.text)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(labels.frame.close.text) {
                        dismiss()
                    }
                }
            }
        }
    }
}

private struct ConflictSection: View {
    @Environment(Core.self) private var core
    let card: ConflictCard
    /// What is typed to settle with; it goes to the core only when sent.
    @State private var typed: String

    init(card: ConflictCard) {
        self.card = card
        _typed = State(initialValue: card.typed)
    }

    var body: some View {
        Section {
            ForEach(card.sides, id: \.onRecord) { side in
                VStack(alignment: .leading, spacing: 4) {
                    Text(side.state)
                        .font(.caption)
                        .foregroundStyle(.secondary)
                    Text(verbatim: side.valueWord?.text ?? side.value)
                        .font(.body.weight(.semibold))
                    Text(verbatim: [side.who.text, side.whoName, side.at].compactMap { $0 }.joined(separator: " · "))
                        .font(.caption)
                    Button(side.keep.text) {
                        core.send(.conflicts(side.onRecord ? .keepKept(card.id) : .keepSetAside(card.id)))
                    }
                    .buttonStyle(.bordered)
                    .controlSize(.small)
                }
            }
            if card.editable {
                HStack {
                    TextField(card.fieldName.text, text: $typed)
                        .textFieldStyle(.roundedBorder)
                    Button(core.view.labels.conflicts.useTyped.text) {
                        core.send(.conflicts(.useTyped(id: card.id, text: typed)))
                    }
                    .buttonStyle(.borderedProminent)
                    .controlSize(.small)
                }
            }
        } header: {
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: "\(card.customerName) \(card.number)")
                Text(card.fieldName)
            }
            .textCase(nil)
        }
    }
}
