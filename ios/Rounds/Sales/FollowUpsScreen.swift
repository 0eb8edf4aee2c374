import RoundsCore
import SharedTypes
import SwiftUI

/// The rep's desk: follow-ups overdue, due today and upcoming (in the core's order: most
/// urgent rule first), or the pipeline with its numbers.
struct FollowUpsScreen: View {
    @Environment(Core.self) private var core
    let followUps: FollowUpsView
    @State private var part = Part.followUps

    private enum Part: Hashable {
        case followUps
        case pipeline
    }

    var body: some View {
        let labels = core.view.labels.sales
        List {
            Picker(selection: $part) {
                Text(labels.followUps)
                    .tag(Part.followUps)
                Text(labels.pipeline)
                    .tag(Part.pipeline)
            } label: {
                Text(labels.followUps)
            }
            .pickerStyle(.segmented)
            .labelsHidden()
            .listRowBackground(Color.clear)
            switch part {
            case .followUps:
                FollowUpSection(title: labels.overdue, cards: followUps.overdue)
                FollowUpSection(title: labels.today, cards: followUps.today)
                FollowUpSection(title: labels.upcoming, cards: followUps.upcoming)
                if let more = followUps.upcomingMore {
                    Text(more)
                        .foregroundStyle(.secondary)
                }
                if let backlog = followUps.backlog {
                    BacklogSection(backlog: backlog)
                }
            case .pipeline:
                PipelineSections(followUps: followUps)
            }
        }
        .refreshable {
            await core.send(.syncNow)
        }
    }
}

/// One list of follow-ups. Lists can run to hundreds: the first few show until all are asked
/// for.
private struct FollowUpSection: View {
    @Environment(Core.self) private var core
    let title: Word
    let cards: [FollowUpCard]
    @State private var showAll = false

    private static let shownFirst = 10

    var body: some View {
        let labels = core.view.labels.sales
        Section {
            if cards.isEmpty {
                Text(labels.nothingToFollowUp)
                    .foregroundStyle(.secondary)
            }
            ForEach(showAll ? cards[...] : cards.prefix(Self.shownFirst), id: \.id) { card in
                FollowUpRow(card: card)
            }
            if !showAll, cards.count > Self.shownFirst {
                Button(labels.showAll.text + " (\(cards.count))") {
                    showAll = true
                }
            }
        } header: {
            HStack {
                Text(title)
                Spacer()
                Text(verbatim: "\(cards.count)")
            }
        }
    }
}

/// What the day cannot hold: summed up by kind, a page at a time in the order chosen, each
/// card handed to a colleague in two taps. The core pages and sorts; the shell only asks.
private struct BacklogSection: View {
    @Environment(Core.self) private var core
    let backlog: BacklogView

    var body: some View {
        let labels = core.view.labels
        Section {
            Text(backlog.summary)
            Text(verbatim: backlog.byKind.map { "\($0.label.text): \($0.count)" }.joined(separator: " · "))
                .font(.footnote)
                .foregroundStyle(.secondary)
            Picker(selection: Binding(
                get: { backlog.sort },
                set: { sort in core.send(.sales(.backlogSort(sort))) }
            )) {
                ForEach(backlog.sorts, id: \.sort) { choice in
                    Text(choice.label)
                        .tag(choice.sort)
                }
            } label: {
                Text(labels.sales.backlog)
            }
            ForEach(backlog.cards, id: \.id) { card in
                VStack(alignment: .leading) {
                    FollowUpRow(card: card)
                    Menu(labels.sales.handTo.text) {
                        ForEach(backlog.handTo, id: \.id) { colleague in
                            Button(colleague.name) {
                                core.send(.sales(.handOut(id: card.id, to: colleague.id)))
                            }
                        }
                    }
                }
            }
            HStack {
                Button("‹ " + labels.dispatcher.previousPage.text) {
                    core.send(.sales(.backlogPage(backlog.page.index - 1)))
                }
                .disabled(backlog.page.index == 0)
                Spacer()
                if let shown = backlog.page.shown {
                    Text(shown)
                        .font(.caption)
                }
                Spacer()
                Button(labels.dispatcher.nextPage.text + " ›") {
                    core.send(.sales(.backlogPage(backlog.page.index + 1)))
                }
                .disabled(backlog.page.index + 1 >= backlog.page.pages)
            }
            .buttonStyle(.borderless)
        } header: {
            HStack {
                Text(labels.sales.backlog)
                Spacer()
                Text(verbatim: "\(backlog.page.total)")
            }
        }
    }
}
