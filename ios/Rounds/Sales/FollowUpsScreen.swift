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
