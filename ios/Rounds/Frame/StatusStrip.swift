import RoundsCore
import SharedTypes
import SwiftUI

/// Under the navigation bar on every signed-in screen: online, offline or syncing, with the
/// changes still waiting on this phone, the conflicts to settle (opening the inbox), and the
/// core's notices.
struct StatusStrip: View {
    @Environment(Core.self) private var core
    @State private var inboxOpen = false

    var body: some View {
        let view = core.view
        let frame = view.labels.frame
        VStack(spacing: 0) {
            HStack(spacing: 8) {
                if view.sync.syncing || view.sync.saving {
                    ProgressView()
                        .controlSize(.mini)
                } else {
                    Image(systemName: view.sync.online ? "checkmark.icloud" : "icloud.slash")
                        .foregroundStyle(view.sync.online ? Color.secondary : Color.orange)
                }
                VStack(alignment: .leading, spacing: 0) {
                    Text(verbatim: state(view))
                    if let last = view.sync.lastSynced {
                        Text(verbatim: "\(frame.lastSynced.text) \(last)")
                            .foregroundStyle(.secondary)
                    }
                }
                Spacer(minLength: 0)
                if view.conflicts.count > 0 {
                    Button {
                        inboxOpen = true
                    } label: {
                        Label {
                            Text(verbatim: "\(view.labels.conflicts.title.text) \(view.conflicts.count)")
                        } icon: {
                            Image(systemName: "exclamationmark.triangle")
                        }
                    }
                    .tint(.orange)
                }
                Button(frame.syncNow.text) {
                    core.send(.syncNow)
                }
                .disabled(view.sync.syncing)
            }
            .font(.footnote)
            .buttonStyle(.bordered)
            .controlSize(.small)
            .padding(.horizontal)
            .padding(.vertical, 6)
            notices(view)
        }
        .background(.bar)
        .sheet(isPresented: $inboxOpen) {
            ConflictInbox()
        }
    }

    /// "Offline · 3 changes waiting to sync".
    private func state(_ view: ViewModel) -> String {
        let frame = view.labels.frame
        let state = view.sync.syncing ? frame.syncing : view.sync.online ? frame.online : frame.offline
        // "Live": the server's channel is open, so changes arrive as they happen.
        let head = view.sync.live ? "\(state.text) · ● \(frame.live.text)" : state.text
        guard let pending = view.pendingWords else {
            return head
        }
        return "\(head) · \(pending.text)"
    }

    @ViewBuilder
    private func notices(_ view: ViewModel) -> some View {
        if let problem = view.sync.problem {
            Banner(tint: .orange) {
                Text(problem)
            }
        }
        if let storage = view.sync.storage {
            Banner(tint: .orange) {
                Text(storage)
            }
        }
        if view.notice != nil || !view.rejected.isEmpty {
            Banner(tint: .red) {
                VStack(alignment: .leading, spacing: 4) {
                    if let notice = view.notice {
                        Text(notice)
                    }
                    ForEach(Array(view.rejected.enumerated()), id: \.offset) { _, rejected in
                        Text(verbatim: "\(rejected.what.text): \(rejected.reason.text)")
                    }
                    Button(view.labels.frame.dismiss.text) {
                        core.send(.dismissNotice)
                    }
                    .buttonStyle(.bordered)
                    .controlSize(.small)
                }
            }
        }
    }
}

extension View {
    /// The status strip under the navigation bar, as every signed-in screen has it.
    func statusStrip() -> some View {
        safeAreaInset(edge: .top, spacing: 0) {
            StatusStrip()
        }
    }
}

/// A message across the screen, in the colour of how much it matters.
struct Banner<Content: View>: View {
    let tint: Color
    @ViewBuilder let content: Content

    var body: some View {
        content
            .font(.footnote)
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(.horizontal)
            .padding(.vertical, 8)
            .background(tint.opacity(0.15))
    }
}
