import RoundsCore
import SharedTypes
import SwiftUI

/// The technician's day in the order the visits are planned, with their ETAs, and the jobs
/// waiting for parts or a return visit, kept in view so that they are not forgotten.
struct MyDayScreen: View {
    @Environment(Core.self) private var core
    let day: MyDayView

    var body: some View {
        let labels = core.view.labels.technician
        List {
            Section {
                if let empty = day.empty {
                    Text(empty)
                        .foregroundStyle(.secondary)
                }
                ForEach(Array(day.jobs.enumerated()), id: \.element.id) { index, job in
                    row(job, place: index + 1)
                }
            } header: {
                Text(verbatim: day.date)
            }
            if !day.waiting.isEmpty {
                Section {
                    ForEach(day.waiting, id: \.id) { job in
                        row(job, place: nil)
                    }
                } header: {
                    Text(labels.waiting)
                }
            }
        }
        .refreshable {
            await core.send(.syncNow)
        }
    }

    private func row(_ job: JobCard, place: Int?) -> some View {
        Button {
            core.send(.technician(.openJob(job.id)))
        } label: {
            HStack(alignment: .firstTextBaseline, spacing: 10) {
                if let place {
                    Text(verbatim: "\(place)")
                        .font(.headline)
                        .foregroundStyle(.secondary)
                        .frame(minWidth: 20)
                }
                JobRow(job: job)
                Image(systemName: "chevron.right")
                    .font(.footnote)
                    .foregroundStyle(.tertiary)
            }
        }
        .foregroundStyle(.primary)
    }
}
