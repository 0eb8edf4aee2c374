import RoundsCore
import SharedTypes
import SwiftUI

/// Customer search, for every role: the results as the core ranks them, each with where the
/// query matched (the core marks the parts), a new customer, and customers that are probably
/// one, for those who may merge them.
struct LookupResults: View {
    @Environment(Core.self) private var core

    var body: some View {
        let lookup = core.view.lookup
        let labels = core.view.labels.lookup
        List {
            Section {
                Button {
                    core.send(.lookup(.newCustomer))
                } label: {
                    Label(labels.newCustomer.text, systemImage: "person.badge.plus")
                }
            }
            if lookup.nothingFound {
                Section {
                    Text(labels.nothingFound)
                        .foregroundStyle(.secondary)
                }
            }
            if !lookup.results.isEmpty {
                Section {
                    ForEach(lookup.results, id: \.customer) { result in
                        ResultRow(result: result)
                    }
                }
            }
            if !lookup.possibleDuplicates.isEmpty {
                Section {
                    ForEach(Array(lookup.possibleDuplicates.enumerated()), id: \.offset) { _, pair in
                        PairRow(pair: pair)
                    }
                } header: {
                    Text(labels.possibleDuplicates)
                }
            }
        }
    }
}

private struct ResultRow: View {
    @Environment(Core.self) private var core
    let result: LookupResult

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(verbatim: result.name)
                    .bold()
                Text(verbatim: result.number)
                    .font(.caption.monospaced())
                    .foregroundStyle(.secondary)
                Spacer(minLength: 0)
                SyncBadge(sync: result.sync)
            }
            Text(verbatim: result.place)
                .font(.subheadline)
                .foregroundStyle(.secondary)
            ForEach(Array(result.matched.enumerated()), id: \.offset) { _, match in
                (Text(verbatim: match.field.text + ": ").foregroundStyle(.secondary) + Text(Self.marked(match.parts)))
                    .font(.footnote)
            }
            if result.editable {
                Button(core.view.labels.lookup.edit.text) {
                    core.send(.lookup(.editCustomer(result.customer)))
                }
                .buttonStyle(.bordered)
                .controlSize(.small)
            }
        }
    }

    /// The field's text with the parts the query matched marked, as the core cut it.
    static func marked(_ parts: [TextPart]) -> AttributedString {
        var text = AttributedString()
        for part in parts {
            var run = AttributedString(part.text)
            if part.highlight {
                run.inlinePresentationIntent = .stronglyEmphasized
                run.backgroundColor = Color.yellow.opacity(0.35)
            }
            text.append(run)
        }
        return text
    }
}

/// Two customers that are probably one person: merge them, or say they are not.
private struct PairRow: View {
    @Environment(Core.self) private var core
    let pair: DuplicatePairView

    var body: some View {
        let labels = core.view.labels.lookup
        VStack(alignment: .leading, spacing: 6) {
            Text(verbatim: "\(pair.a.name) \(pair.a.number) ⇄ \(pair.b.name) \(pair.b.number)")
            Text(pair.a.reason)
                .font(.footnote)
                .foregroundStyle(.orange)
            HStack {
                Button(labels.merge.text) {
                    core.send(.lookup(.merge(keep: pair.a.customer, remove: pair.b.customer)))
                }
                Button(labels.notTheSame.text) {
                    core.send(.lookup(.notDuplicates(a: pair.a.customer, b: pair.b.customer)))
                }
            }
            .buttonStyle(.bordered)
            .controlSize(.small)
        }
    }
}
