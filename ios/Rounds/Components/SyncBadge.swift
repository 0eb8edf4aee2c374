import SharedTypes
import SwiftUI

/// Beside a record: a change to it waits to sync, was refused, or clashed with someone else's
/// (with the core's words); nothing when it is synced.
struct SyncBadge: View {
    let sync: RecordSync

    var body: some View {
        if let words = sync.words {
            Text(words)
                .font(.caption2.weight(.semibold))
                .padding(.horizontal, 6)
                .padding(.vertical, 2)
                .foregroundStyle(tint)
                .background(tint.opacity(0.15), in: Capsule())
        }
    }

    private var tint: Color {
        switch sync.state {
        case .synced:
            return .secondary
        case .waiting:
            return .blue
        case .refused:
            return .red
        case .conflict:
            return .orange
        }
    }
}
