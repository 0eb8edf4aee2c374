import RoundsCore
import SharedTypes
import SwiftUI

/// The pipeline: each stage with its count and value, the open stages' leads (next follow-up
/// soonest first, overdue ones marked), and the rep's numbers in the core's sentences.
struct PipelineSections: View {
    @Environment(Core.self) private var core
    let followUps: FollowUpsView

    var body: some View {
        ForEach(followUps.pipeline, id: \.stage) { stage in
            Section {
                ForEach(stage.leads, id: \.id) { lead in
                    Button {
                        core.send(.sales(.openLead(lead.id)))
                    } label: {
                        LeadCardRow(lead: lead)
                    }
                    .foregroundStyle(.primary)
                }
            } header: {
                HStack {
                    Text(stage.stageWord)
                    Spacer()
                    Text(verbatim: "\(stage.count) · \(stage.value.shown)")
                }
            }
        }
        Section {
            Text(followUps.stats.summary)
            ForEach(followUps.stats.winRateBySource, id: \.source) { rate in
                Text(rate.words)
                    .font(.footnote)
            }
        }
    }
}

private struct LeadCardRow: View {
    let lead: LeadCard

    var body: some View {
        HStack(alignment: .firstTextBaseline) {
            VStack(alignment: .leading, spacing: 2) {
                HStack {
                    Text(verbatim: lead.name)
                        .bold()
                    SyncBadge(sync: lead.sync)
                }
                Text(lead.interest)
                    .font(.caption)
                    .foregroundStyle(.secondary)
                if let next = lead.nextFollowUp {
                    Label(next, systemImage: "alarm")
                        .font(.caption)
                        .foregroundStyle(lead.overdue ? .red : .secondary)
                }
            }
            Spacer()
            Text(verbatim: lead.expectedValue.shown)
                .font(.subheadline)
            Image(systemName: "chevron.right")
                .font(.footnote)
                .foregroundStyle(.tertiary)
        }
    }
}
