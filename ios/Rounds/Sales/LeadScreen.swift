import RoundsCore
import SharedTypes
import SwiftUI

/// One lead: what is known of it, a call or a visit logged in two taps, the stage moves the
/// pipeline allows now (with what each needs), the next follow-up, and the timeline. The form's
/// fields are the core's draft; a refusal is shown at the top with the fields as typed.
struct LeadScreen: View {
    @Environment(Core.self) private var core
    @Environment(\.openURL) private var openURL
    let lead: LeadDetailView

    var body: some View {
        let labels = core.view.labels.sales
        let draft = lead.form.draft
        List {
            Section {
                LabeledContent(lead.name) {
                    Text(lead.stageWord)
                }
                if let phone = lead.phone {
                    if let dial = Places.dial(phone) {
                        Button {
                            openURL(dial)
                        } label: {
                            LabeledContent(labels.phone.text) {
                                Label(phone, systemImage: "phone")
                            }
                        }
                    } else {
                        LabeledContent(labels.phone.text, value: phone)
                    }
                }
                LabeledContent(labels.interest.text, value: [lead.interest.text, lead.model].compactMap { $0 }.joined(separator: " · "))
                if let budget = lead.budget {
                    LabeledContent(labels.budget.text, value: budget.shown)
                }
                LabeledContent(labels.expectedValue.text, value: lead.expectedValue.shown)
                if let won = lead.wonValue {
                    LabeledContent(labels.wonValue.text, value: won.shown)
                }
                if let next = lead.nextFollowUp {
                    LabeledContent(labels.nextFollowUp.text, value: next)
                }
                if let reason = lead.lostReason {
                    LabeledContent(labels.lostReason.text, value: reason)
                }
            } header: {
                Text(lead.sourceWord)
            }
            if let error = lead.form.error {
                Section {
                    Text(error)
                        .foregroundStyle(.red)
                }
            }
            Section {
                DraftField(labels.whatHappened.text, value: draft.outcome, axis: .vertical) { outcome in
                    typed(.outcome, outcome)
                }
                HStack {
                    Button(labels.logCall.text) {
                        core.send(.sales(.logOnLead(.call)))
                    }
                    Button(labels.logVisit.text) {
                        core.send(.sales(.logOnLead(.visit)))
                    }
                }
                .buttonStyle(.borderedProminent)
                .disabled(lead.form.busy)
            } header: {
                Text(labels.whatHappened)
            }
            if !lead.nextStages.isEmpty {
                Section {
                    ScrollView(.horizontal, showsIndicators: false) {
                        HStack {
                            ForEach(lead.nextStages, id: \.stage) { move in
                                Button(move.label.text) {
                                    core.send(.sales(.moveOpenLead(move.stage)))
                                }
                            }
                        }
                    }
                    .buttonStyle(.bordered)
                    .disabled(lead.form.busy)
                    // Asked for only where a move the lead may make needs it.
                    if lead.nextStages.contains(where: \.needsLostReason) {
                        DraftField(labels.lostReason.text, value: draft.lostReason) { reason in
                            typed(.lostReason, reason)
                        }
                    }
                    if lead.nextStages.contains(where: \.needsWonValue) {
                        DraftField(labels.wonValue.text, value: draft.wonValue) { value in
                            typed(.wonValue, value)
                        }
                        .keyboardType(.decimalPad)
                    }
                }
            }
            Section {
                WallClockPicker(labels.due.text, value: draft.due, fallback: Self.nextHour()) { due in
                    typed(.due, due)
                }
                DraftField(labels.notes.text, value: draft.note, axis: .vertical) { note in
                    typed(.note, note)
                }
                Button(labels.schedule.text) {
                    core.send(.sales(.scheduleOnLead))
                }
                .disabled(lead.form.busy)
            } header: {
                Text(labels.nextFollowUp)
            }
            Section {
                ForEach(Array(lead.timeline.enumerated()), id: \.offset) { _, entry in
                    VStack(alignment: .leading, spacing: 2) {
                        HStack {
                            Text(entry.kind)
                                .bold()
                            Text(verbatim: entry.at)
                                .foregroundStyle(.secondary)
                            Spacer()
                            Text(verbatim: entry.author)
                                .foregroundStyle(.secondary)
                        }
                        .font(.caption)
                        if let change = entry.change {
                            Text(change)
                        }
                        if !entry.text.isEmpty {
                            Text(verbatim: entry.text)
                        }
                    }
                }
            } header: {
                Text(labels.timeline)
            }
        }
        .navigationTitle(lead.name)
        .navigationBarTitleDisplayMode(.inline)
    }

    /// Sends the one field typed: the whole draft, rebuilt from a view a frame old, would undo
    /// another field typed since.
    private func typed(_ field: LeadField, _ value: String) {
        core.send(.sales(.typeOnLead(field: field, value: value)))
    }

    /// What the picker shows before a time is chosen: the next whole hour.
    private static func nextHour() -> Date {
        let calendar = Calendar.current
        let now = Date()
        let hour = calendar.dateInterval(of: .hour, for: now)?.end
        return hour ?? now
    }
}
