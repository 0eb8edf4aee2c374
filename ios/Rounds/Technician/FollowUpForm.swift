import RoundsCore
import SharedTypes
import SwiftUI

/// Ending the visit without finishing: waiting for parts or a return visit, and why. Kept by
/// the core like the completion form.
struct FollowUpForm: View {
    @Environment(Core.self) private var core
    let form: FollowUpFormView

    var body: some View {
        let labels = core.view.labels
        let technician = labels.technician
        NavigationStack {
            Form {
                Section {
                    Picker(technician.followUp.text, selection: kind) {
                        ForEach(form.kinds, id: \.kind) { choice in
                            Text(choice.label)
                                .tag(choice.kind)
                        }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                }
                Section {
                    DraftField(technician.reason.text, value: form.draft.reason, axis: .vertical) { reason in
                        edit { $0.reason = reason }
                    }
                } header: {
                    Text(technician.reason)
                }
                if let error = form.error {
                    Section {
                        Text(error)
                            .foregroundStyle(.red)
                    }
                }
            }
            .navigationTitle(technician.followUp.text)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(labels.frame.close.text) {
                        core.send(.technician(.closeForm))
                    }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(labels.frame.save.text) {
                        core.send(.technician(.submitFollowUp))
                    }
                    .disabled(form.saving)
                }
            }
        }
    }

    private var kind: Binding<FollowUpKind> {
        Binding(
            get: { form.draft.kind },
            set: { kind in edit { $0.kind = kind } }
        )
    }

    /// Sends the draft with one change made.
    private func edit(_ change: (inout FollowUpDraft) -> Void) {
        var draft = form.draft
        change(&draft)
        core.send(.technician(.followUpDraft(draft)))
    }
}
