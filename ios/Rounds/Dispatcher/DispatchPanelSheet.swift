import RoundsCore
import SharedTypes
import SwiftUI

/// "Who should take this job?" with each candidate's reasons, or "plan my day" with its
/// changes before anything is changed. Computed by the core on the phone, so it works offline.
struct DispatchPanelSheet: View {
    @Environment(Core.self) private var core

    var body: some View {
        let labels = core.view.labels
        NavigationStack {
            List {
                if let panel {
                    if let problem = panel.problem {
                        Section {
                            Text(problem)
                                .foregroundStyle(.red)
                        }
                    }
                    if let confirm = panel.confirm {
                        ConfirmSection(confirm: confirm)
                    }
                    if let suggestion = panel.suggestion {
                        SuggestionSections(suggestion: suggestion)
                    }
                    if let plan = panel.plan {
                        PlanSections(plan: plan)
                    }
                }
            }
            .navigationTitle(title)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(labels.frame.close.text) {
                        core.send(.dispatcher(.plan(.dismiss)))
                    }
                }
            }
        }
    }

    /// The panel as the core has it now.
    private var panel: DispatchPanel? {
        if case let .dispatcher(.board(board)) = core.view.screen {
            return board.dispatch
        }
        return nil
    }

    private var title: String {
        panel?.confirm?.title.text ?? panel?.suggestion?.title.text ?? panel?.plan?.title.text
            ?? core.view.labels.dispatcher.planTheDay.text
    }
}

/// A technician picked against what dispatch knows: why not, and the reason to give before the
/// assignment goes ahead (the core will not go on without one).
private struct ConfirmSection: View {
    @Environment(Core.self) private var core
    let confirm: ConfirmView

    var body: some View {
        let words = core.view.labels.dispatcher
        Section {
            ForEach(Array(confirm.warnings.enumerated()), id: \.offset) { _, warning in
                Label {
                    Text(warning)
                } icon: {
                    Image(systemName: "exclamationmark.triangle")
                }
                .foregroundStyle(.orange)
            }
            DraftField(words.whyAssign.text, value: confirm.reason, axis: .vertical) { typed in
                core.send(.dispatcher(.assignReason(typed)))
            }
            if let error = confirm.error {
                Text(error)
                    .foregroundStyle(.red)
            }
            Button(words.assignAnyway.text) {
                core.send(.dispatcher(.confirmAssign))
            }
            Button(words.keepAsItWas.text, role: .cancel) {
                core.send(.dispatcher(.dropAssign))
            }
        }
    }
}

private struct SuggestionSections: View {
    @Environment(Core.self) private var core
    let suggestion: SuggestView

    var body: some View {
        let labels = core.view.labels
        Section {
            ForEach(suggestion.candidates, id: \.technician) { candidate in
                VStack(alignment: .leading, spacing: 6) {
                    HStack {
                        Text(verbatim: "#\(candidate.rank) \(candidate.name)")
                            .font(.headline)
                        Spacer()
                        Text(verbatim: "\(labels.technician.eta.text) \(candidate.eta)")
                    }
                    Text(candidate.added)
                        .font(.subheadline)
                        .foregroundStyle(.secondary)
                    ForEach(Array(candidate.reasons.enumerated()), id: \.offset) { _, reason in
                        Label {
                            Text(reason)
                        } icon: {
                            Image(systemName: "checkmark")
                        }
                        .font(.footnote)
                    }
                    Button(labels.dispatcher.assign.text) {
                        core.send(.dispatcher(.assign(job: suggestion.job, technician: candidate.technician)))
                    }
                    .buttonStyle(.borderedProminent)
                }
            }
        }
        if !suggestion.excluded.isEmpty {
            Section {
                ForEach(suggestion.excluded, id: \.technician) { excluded in
                    Text(verbatim: "\(excluded.name): \(excluded.reason.text)")
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                }
            } header: {
                Text(labels.dispatcher.notPossible)
            }
        }
    }
}

private struct PlanSections: View {
    @Environment(Core.self) private var core
    let plan: PlanView

    var body: some View {
        let dispatcher = core.view.labels.dispatcher
        Section {
            Text(plan.summary)
            Button(plan.accept.text) {
                core.send(.dispatcher(.plan(.accept)))
            }
            .buttonStyle(.borderedProminent)
            .disabled(plan.changesToMake == 0)
        }
        Section {
            ForEach(Array(plan.changes.enumerated()), id: \.offset) { _, change in
                Text(change.text)
                    .foregroundStyle(change.informational ? .secondary : .primary)
            }
        } header: {
            Text(dispatcher.changes)
        }
        Section {
            ForEach(plan.routes, id: \.technician) { route in
                VStack(alignment: .leading, spacing: 4) {
                    Text(verbatim: "\(route.name) · \(route.driving.text)")
                        .font(.headline)
                    ForEach(Array(route.stops.enumerated()), id: \.offset) { _, stop in
                        Text(verbatim: "\(stop.time) \(stop.number ?? stop.rest?.text ?? "")")
                            .font(.footnote.monospacedDigit())
                            .fontWeight(stop.changed ? .bold : .regular)
                    }
                }
            }
        } header: {
            Text(dispatcher.routes)
        }
        if !plan.unassigned.isEmpty {
            Section {
                ForEach(plan.unassigned, id: \.job) { unplaced in
                    Text(verbatim: "\(unplaced.number): \(unplaced.reason.text)")
                        .font(.footnote)
                }
            } header: {
                Text(dispatcher.leftUnplaced)
            }
        }
    }
}
