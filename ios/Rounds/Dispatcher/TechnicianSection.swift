import RoundsCore
import SharedTypes
import SwiftUI

/// One technician's day on the board: their skills and planned hours, the visits ahead in
/// order (each can be moved to someone else or taken back where the core offers it), and what
/// they have done today.
struct TechnicianSection: View {
    @Environment(Core.self) private var core
    let day: TechnicianDay
    let technicians: [TechnicianDay]

    var body: some View {
        let dispatcher = core.view.labels.dispatcher
        Section {
            ForEach(day.jobs, id: \.id) { job in
                VStack(alignment: .leading, spacing: 8) {
                    JobRow(job: job)
                    // Moving a job is offered where taking it back is.
                    if let unassign = job.actions.offered(.unassign) {
                        HStack {
                            TechnicianMenu(
                                title: dispatcher.reassign,
                                job: job.id,
                                technicians: technicians.filter { $0.id != day.id }
                            )
                            Button(unassign.text) {
                                core.send(.dispatcher(.unassign(job.id)))
                            }
                        }
                        .buttonStyle(.bordered)
                        .controlSize(.small)
                    }
                }
            }
            ForEach(day.done, id: \.id) { job in
                JobRow(job: job)
                    .opacity(0.6)
            }
        } header: {
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: day.name)
                    .font(.headline)
                Text(verbatim: ([day.planned] + day.skills).map(\.text).joined(separator: " · "))
                    .font(.caption)
            }
            .textCase(nil)
        }
    }
}
