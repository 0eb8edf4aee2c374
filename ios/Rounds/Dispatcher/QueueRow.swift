import RoundsCore
import SharedTypes
import SwiftUI

/// A job waiting for a technician: ask the core who should take it, give it to someone
/// directly, or cancel it with a reason. The reason typed is the core's draft, so a refusal
/// keeps it and says why.
struct QueueRow: View {
    @Environment(Core.self) private var core
    let job: JobCard
    let technicians: [TechnicianDay]
    @State private var cancelling = false

    var body: some View {
        let dispatcher = core.view.labels.dispatcher
        VStack(alignment: .leading, spacing: 8) {
            JobRow(job: job)
            HStack {
                Button(dispatcher.suggest.text) {
                    core.send(.dispatcher(.suggest(job.id)))
                }
                .buttonStyle(.borderedProminent)
                if let assign = job.actions.offered(.assign) {
                    TechnicianMenu(title: assign, job: job.id, technicians: technicians)
                }
                if let cancel = job.actions.offered(.cancel) {
                    Button(cancel.text, role: .destructive) {
                        cancelling.toggle()
                    }
                }
            }
            .buttonStyle(.bordered)
            .controlSize(.small)
            if cancelling || job.cancel != nil, let cancel = job.actions.offered(.cancel) {
                DraftField(dispatcher.cancelReason.text, value: job.cancel?.reason ?? "") { reason in
                    core.send(.dispatcher(.cancelReason(job: job.id, reason: reason)))
                }
                .textFieldStyle(.roundedBorder)
                Button(cancel.text, role: .destructive) {
                    core.send(.dispatcher(.cancel(job.id)))
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.small)
                if let error = job.cancel?.error {
                    Text(error)
                        .font(.footnote)
                        .foregroundStyle(.red)
                }
            }
        }
    }
}

/// The technicians to give a job to, as a menu under the core's words for the move.
struct TechnicianMenu: View {
    @Environment(Core.self) private var core
    let title: Word
    let job: UUID
    let technicians: [TechnicianDay]

    var body: some View {
        Menu {
            ForEach(technicians, id: \.id) { technician in
                Button {
                    core.send(.dispatcher(.assign(job: job, technician: technician.id)))
                } label: {
                    Text(verbatim: "\(technician.name) · \(technician.planned.text)")
                }
            }
        } label: {
            Text(title)
        }
    }
}
