import RoundsCore
import SharedTypes
import SwiftUI

/// The customer form, new or edited. Each keystroke goes to the core as the field's text (it
/// reads the phone numbers out of it), and the core answers with likely duplicates before
/// anything is saved; a refused save keeps the form as typed and says why.
struct CustomerForm: View {
    @Environment(Core.self) private var core

    var body: some View {
        if let form = core.view.lookup.form {
            let labels = core.view.labels
            NavigationStack {
                Form {
                    Section {
                        ForEach(form.fields, id: \.field) { field in
                            LabeledContent(field.label.text) {
                                DraftField(field.label.text, value: field.value) { text in
                                    core.send(.lookup(.type(field: field.field, text: text)))
                                }
                                // Several numbers go in one field, separated by commas, which
                                // the phone pad lacks.
                                .keyboardType(field.phone ? .numbersAndPunctuation : .default)
                                .textContentType(field.phone ? .telephoneNumber : nil)
                                .multilineTextAlignment(.trailing)
                            }
                        }
                    }
                    if let error = form.error {
                        Section {
                            Text(error)
                                .foregroundStyle(.red)
                        }
                    }
                    if !form.duplicates.isEmpty {
                        Section {
                            ForEach(form.duplicates, id: \.customer) { duplicate in
                                VStack(alignment: .leading, spacing: 4) {
                                    Text(verbatim: "\(duplicate.name) \(duplicate.number)")
                                        .bold()
                                    Text(verbatim: duplicate.place)
                                        .font(.subheadline)
                                        .foregroundStyle(.secondary)
                                    Text(duplicate.reason)
                                        .font(.footnote)
                                        .foregroundStyle(.orange)
                                    // The core says who may merge (a manager of both stores).
                                    if form.canMerge, let editing = form.editing {
                                        Button(labels.lookup.mergeIntoThis.text) {
                                            core.send(.lookup(.merge(keep: duplicate.customer, remove: editing)))
                                        }
                                        .buttonStyle(.bordered)
                                        .controlSize(.small)
                                    }
                                }
                            }
                        } header: {
                            Text(labels.lookup.possibleDuplicates)
                        }
                    }
                }
                .navigationTitle(labels.lookup.formTitle.text)
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .cancellationAction) {
                        Button(labels.frame.close.text) {
                            core.send(.lookup(.closeCustomer))
                        }
                    }
                    ToolbarItem(placement: .confirmationAction) {
                        Button(form.saving ? labels.lookup.saving.text : labels.frame.save.text) {
                            core.send(.lookup(.saveCustomer))
                        }
                        .disabled(form.saving)
                    }
                }
            }
        }
    }
}
