import RoundsCore
import SharedTypes
import SwiftUI

/// Completing the visit: notes, parts (one per line, as the core reads them) and the
/// customer's score. The draft lives in the core, which checks it on submit and, if it refuses,
/// keeps it and says why here.
struct CompletionForm: View {
    @Environment(Core.self) private var core
    let form: CompletionFormView

    var body: some View {
        let labels = core.view.labels
        let technician = labels.technician
        NavigationStack {
            Form {
                Section {
                    DraftField(technician.notes.text, value: form.draft.notes, axis: .vertical) { notes in
                        edit { $0.notes = notes }
                    }
                    .lineLimit(3...8)
                } header: {
                    Text(technician.notes)
                }
                Section {
                    DraftField(technician.partsUsed.text, value: form.draft.parts, axis: .vertical) { parts in
                        edit { $0.parts = parts }
                    }
                    .lineLimit(2...8)
                } header: {
                    Text(technician.partsUsed)
                } footer: {
                    Text(technician.partsHint)
                }
                Section {
                    Picker(technician.satisfaction.text, selection: satisfaction) {
                        ForEach(form.satisfaction, id: \.value) { choice in
                            Text(choice.label)
                                .tag(choice.value)
                        }
                    }
                    Toggle(technician.firstVisitFix.text, isOn: firstVisitFix)
                }
                if let error = form.error {
                    Section {
                        Text(error)
                            .foregroundStyle(.red)
                    }
                }
            }
            .navigationTitle(technician.completion.text)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(labels.frame.close.text) {
                        core.send(.technician(.closeForm))
                    }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(technician.completeJob.text) {
                        core.send(.technician(.submitCompletion))
                    }
                    .disabled(form.saving)
                }
            }
        }
    }

    /// The score's choice by its form value (the digit, empty for "not asked").
    private var satisfaction: Binding<String> {
        Binding(
            get: { form.satisfaction.first { $0.score == form.draft.satisfaction }?.value ?? "" },
            set: { value in
                if let choice = form.satisfaction.first(where: { $0.value == value }) {
                    edit { $0.satisfaction = choice.score }
                }
            }
        )
    }

    private var firstVisitFix: Binding<Bool> {
        Binding(
            get: { form.draft.firstVisitFix },
            set: { fixed in edit { $0.firstVisitFix = fixed } }
        )
    }

    /// Sends the draft with one change made.
    private func edit(_ change: (inout CompletionDraft) -> Void) {
        var draft = form.draft
        change(&draft)
        core.send(.technician(.completionDraft(draft)))
    }
}
