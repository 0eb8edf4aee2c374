import RoundsCore
import SharedTypes
import SwiftUI

/// The dispatcher's board for one day: the alerts, the jobs waiting for a technician (most
/// urgent SLA first, as the core orders them), each technician's day, and the dispatcher's own
/// follow-ups. Every action offered is one the core offers for that job.
struct BoardScreen: View {
    @Environment(Core.self) private var core
    let board: BoardView

    var body: some View {
        let labels = core.view.labels
        let dispatcher = labels.dispatcher
        List {
            Section {
                DayBar(board: board)
            }
            if !board.alerts.isEmpty {
                Section {
                    ForEach(Array(board.alerts.enumerated()), id: \.offset) { _, alert in
                        Label {
                            Text(alert.message)
                        } icon: {
                            Image(systemName: alert.kind == .backlog ? "tray.full" : "exclamationmark.triangle.fill")
                                .foregroundStyle(alert.kind == .slaBreached ? .red : .orange)
                        }
                    }
                } header: {
                    Text(verbatim: "\(dispatcher.alerts.text) \(board.alerts.count)")
                }
            }
            Section {
                if let assigned = board.assigned {
                    // The last assignment in words, where the job was, with its undo.
                    HStack {
                        Text(assigned.message)
                        Spacer()
                        Button(dispatcher.undo.text) {
                            core.send(.dispatcher(.undoAssign))
                        }
                        .buttonStyle(.borderless)
                    }
                }
                if board.unassigned.isEmpty {
                    Text(dispatcher.noJobsWaiting)
                        .foregroundStyle(.secondary)
                }
                ForEach(board.unassigned, id: \.id) { job in
                    QueueRow(job: job, technicians: board.technicians)
                }
            } header: {
                Text(verbatim: "\(dispatcher.unassigned.text) \(board.unassigned.count)")
            }
            ForEach(board.technicians, id: \.id) { day in
                TechnicianSection(day: day, technicians: board.technicians)
            }
            if !board.followUps.isEmpty {
                Section {
                    ForEach(board.followUps, id: \.id) { card in
                        HStack {
                            VStack(alignment: .leading, spacing: 2) {
                                Text(verbatim: card.title)
                                Text(verbatim: "\(card.label.text) · \(card.due)")
                                    .font(.caption)
                                    .foregroundStyle(.secondary)
                            }
                            Spacer()
                            Button(dispatcher.done.text) {
                                core.send(.followUps(.complete(card.id)))
                            }
                            .buttonStyle(.bordered)
                        }
                    }
                } header: {
                    Text(verbatim: "\(labels.sales.followUps.text) \(board.followUps.count)")
                }
            }
        }
        .refreshable {
            await core.send(.syncNow)
        }
    }
}

/// Which day the board shows and plans: back, forward, a date, or today again.
private struct DayBar: View {
    @Environment(Core.self) private var core
    let board: BoardView

    var body: some View {
        let dispatcher = core.view.labels.dispatcher
        VStack(alignment: .leading) {
            WallClockPicker(dispatcher.boardDate.text, value: board.day, fallback: Date(), withTime: false) { day in
                go(.on(day))
            }
            HStack {
                Button {
                    go(.previous)
                } label: {
                    Label(dispatcher.previousDay.text, systemImage: "chevron.left")
                }
                Spacer()
                if !board.isToday {
                    Button(dispatcher.today.text) {
                        go(.today)
                    }
                }
                Spacer()
                Button {
                    go(.next)
                } label: {
                    Label(dispatcher.nextDay.text, systemImage: "chevron.right")
                        .labelStyle(TrailingIcon())
                }
            }
            .buttonStyle(.borderless)
        }
    }

    private func go(_ day: BoardDay) {
        core.send(.dispatcher(.day(day)))
    }
}

/// A label with its icon after the title, for "next".
private struct TrailingIcon: LabelStyle {
    func makeBody(configuration: Configuration) -> some View {
        HStack(spacing: 4) {
            configuration.title
            configuration.icon
        }
    }
}
