import RoundsCore
import SharedTypes
import SwiftUI

/// A job as a row, for the technician's day and the dispatcher's lists: enough to recognise
/// it and see when it is due, with the SLA deadline coloured by the core's risk flags.
struct JobRow: View {
    @Environment(Core.self) private var core
    let job: JobCard

    var body: some View {
        let labels = core.view.labels.technician
        VStack(alignment: .leading, spacing: 4) {
            HStack(spacing: 6) {
                Text(verbatim: job.number)
                    .font(.headline.monospaced())
                Text(job.statusWord)
                    .font(.caption.weight(.semibold))
                    .padding(.horizontal, 6)
                    .padding(.vertical, 2)
                    .background(.quaternary, in: Capsule())
                Text(job.priorityWord)
                    .font(.caption)
                    .foregroundStyle(job.priority == .urgent || job.priority == .high ? .red : .secondary)
                Spacer(minLength: 0)
                SyncBadge(sync: job.sync)
            }
            HStack(spacing: 6) {
                Text(verbatim: job.customerName)
                Text(job.tierWord)
                    .font(.caption)
                    .foregroundStyle(.secondary)
                Text(job.serviceWord)
                    .font(.caption)
                    .foregroundStyle(.secondary)
            }
            Text(verbatim: job.address)
                .font(.subheadline)
                .foregroundStyle(.secondary)
            if !job.description.isEmpty {
                Text(verbatim: job.description)
                    .font(.subheadline)
                    .lineLimit(2)
            }
            // A job for more than one: who goes together ("Crew of 2: …"), or how many it needs.
            if let crew = job.crew {
                Text(crew)
                    .font(.caption.weight(.semibold))
                    .foregroundStyle(.purple)
            }
            HStack(spacing: 12) {
                if let eta = job.eta {
                    Text(verbatim: "\(labels.eta.text) \(eta)")
                        .bold()
                }
                if let window = job.window {
                    Text(verbatim: "\(labels.window.text) \(window)")
                }
                Text(verbatim: "\(labels.slaBy.text) \(job.slaDeadline)")
                    .foregroundStyle(job.slaBreached ? .red : job.slaAtRisk ? .orange : .secondary)
                if let technician = job.technician {
                    Text(verbatim: technician)
                        .foregroundStyle(.secondary)
                }
            }
            .font(.caption)
        }
    }
}
