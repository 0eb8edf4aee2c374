import RoundsCore
import SharedTypes
import SwiftUI

/// A follow-up as the rep works it: whom it is about and why the rule raised it, what happened
/// (logged as a call or a visit in two taps), done, snoozed in the store's terms, or moved to
/// another time. Its fields are the core's draft; its refusals are shown under it.
struct FollowUpRow: View {
    @Environment(Core.self) private var core
    let card: FollowUpCard

    var body: some View {
        let labels = core.view.labels.sales
        VStack(alignment: .leading, spacing: 8) {
            HStack(spacing: 6) {
                Text(verbatim: card.title)
                    .font(.headline)
                Text(card.label)
                    .font(.caption)
                    .padding(.horizontal, 6)
                    .padding(.vertical, 2)
                    .background(urgency.opacity(0.15), in: Capsule())
                Spacer(minLength: 0)
                if card.snoozed {
                    Image(systemName: "moon.zzz")
                        .foregroundStyle(.secondary)
                }
                SyncBadge(sync: card.sync)
            }
            Text(verbatim: card.due)
                .font(.caption)
                .foregroundStyle(.secondary)
            if let why = card.why {
                Text(why)
                    .font(.footnote)
            }
            if !card.note.isEmpty {
                Text(verbatim: card.note)
                    .font(.footnote)
                    .foregroundStyle(.secondary)
            }
            DraftField(labels.whatHappened.text, value: card.draft.outcome, axis: .vertical) { outcome in
                typed(.outcome, outcome)
            }
            .textFieldStyle(.roundedBorder)
            ScrollView(.horizontal, showsIndicators: false) {
                HStack {
                    Button(labels.logCall.text) {
                        core.send(.sales(.logOnCard(id: card.id, kind: .call)))
                    }
                    .disabled(card.busy)
                    Button(labels.logVisit.text) {
                        core.send(.sales(.logOnCard(id: card.id, kind: .visit)))
                    }
                    .disabled(card.busy)
                    Button(labels.done.text) {
                        core.send(.followUps(.complete(card.id)))
                    }
                    if card.canBookVisit {
                        Button(labels.bookVisit.text) {
                            core.send(.followUps(.bookMaintenanceVisit(card.id)))
                        }
                    }
                    if let lead = card.lead {
                        Button(labels.openLead.text) {
                            core.send(.sales(.openLead(lead)))
                        }
                    }
                    ForEach(card.snooze, id: \.choice) { snooze in
                        Button {
                            core.send(.followUps(.snooze(id: card.id, choice: snooze.choice)))
                        } label: {
                            Label(snooze.label.text, systemImage: "moon.zzz")
                        }
                    }
                }
            }
            HStack {
                WallClockPicker(
                    labels.due.text,
                    value: card.draft.due,
                    fallback: Date(timeIntervalSince1970: Double(card.dueMs) / 1000)
                ) { due in
                    typed(.due, due)
                }
                Button(labels.reschedule.text) {
                    core.send(.sales(.rescheduleCard(card.id)))
                }
            }
            .font(.footnote)
            if let error = card.error {
                Text(error)
                    .font(.footnote)
                    .foregroundStyle(.red)
            }
        }
        // Each button its own tap target, not the whole row.
        .buttonStyle(.bordered)
        .controlSize(.small)
        .swipeActions(edge: .trailing) {
            Button(labels.done.text) {
                core.send(.followUps(.complete(card.id)))
            }
            .tint(.green)
        }
    }

    /// Escalations (urgency 0) stand out.
    private var urgency: Color {
        card.urgency == 0 ? .red : .accentColor
    }

    /// Sends the one field typed (see `LeadScreen.typed`).
    private func typed(_ field: CardField, _ value: String) {
        core.send(.sales(.typeOnCard(id: card.id, field: field, value: value)))
    }
}
