import RoundsCore
import SharedTypes
import SwiftUI

/// One job: the steps its state allows now (as the core words them), what was recorded when
/// it was completed, the customer with their history, assets and warranty, and the job's own
/// history. Completing and asking for a follow-up open their form as a sheet.
struct JobScreen: View {
    @Environment(Core.self) private var core
    @Environment(\.openURL) private var openURL
    let detail: JobDetailView

    var body: some View {
        let labels = core.view.labels.technician
        List {
            Section {
                JobRow(job: detail.card)
                if let map = Places.map(detail.card.address, at: detail.card.position) {
                    Button {
                        openURL(map)
                    } label: {
                        Label(detail.card.address, systemImage: "map")
                    }
                }
            }
            if !detail.card.actions.isEmpty {
                Section {
                    ForEach(detail.card.actions, id: \.action) { step in
                        Button(step.label.text) {
                            core.send(.technician(.act(step.action)))
                        }
                        .font(.headline)
                    }
                }
            }
            // The phone's own position; picking on a map is the desk's.
            if let place = detail.card.placeCustomer, place.from == .phone {
                Section {
                    Text(place.why.text)
                    Button(place.action.text) {
                        core.send(.technician(.placeCustomer(place.customer)))
                    }
                }
            }
            if let completion = detail.completion {
                CompletionSummary(completion: completion)
            }
            CustomerSections(customer: detail.customer)
            Section {
                ForEach(Array(detail.history.enumerated()), id: \.offset) { _, line in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: "\(line.fromWord.text) → \(line.toWord.text)")
                        Text(verbatim: "\(line.at) · \(line.by)")
                            .font(.caption)
                            .foregroundStyle(.secondary)
                        if let note = line.note {
                            Text(verbatim: note)
                                .font(.caption)
                        }
                    }
                }
            } header: {
                Text(labels.history)
            }
        }
        .navigationTitle(detail.card.number)
        .navigationBarTitleDisplayMode(.inline)
        .sheet(isPresented: formOpen) {
            JobFormSheet()
        }
    }

    /// Open while the core has a form open on the job; closing the sheet puts the form away
    /// (the core keeps what was typed).
    private var formOpen: Binding<Bool> {
        Binding(
            get: { detail.form != nil },
            set: { open in
                if !open, detail.form != nil {
                    core.send(.technician(.closeForm))
                }
            }
        )
    }
}

/// What the technician recorded when the visit was over.
private struct CompletionSummary: View {
    @Environment(Core.self) private var core
    let completion: Completion

    var body: some View {
        let labels = core.view.labels.technician
        Section {
            if !completion.notes.isEmpty {
                LabeledContent(labels.notes.text, value: completion.notes)
            }
            if !completion.parts.isEmpty {
                LabeledContent(labels.partsUsed.text) {
                    VStack(alignment: .trailing) {
                        ForEach(Array(completion.parts.enumerated()), id: \.offset) { _, part in
                            Text(verbatim: "\(part.item) ×\(part.quantity)")
                        }
                    }
                }
            }
            if let score = completion.satisfaction {
                LabeledContent(labels.satisfaction.text, value: String(repeating: "★", count: Int(score)))
            }
            if completion.firstVisitFix {
                Label(labels.firstVisitFix.text, systemImage: "checkmark.circle")
            }
        } header: {
            Text(labels.completion)
        }
    }
}

/// The form the core has open on the job, read afresh at each render.
private struct JobFormSheet: View {
    @Environment(Core.self) private var core

    var body: some View {
        if case let .technician(.job(detail)) = core.view.screen, let form = detail.form {
            switch form {
            case let .completion(completion):
                CompletionForm(form: completion)
            case let .followUp(followUp):
                FollowUpForm(form: followUp)
            }
        }
    }
}
