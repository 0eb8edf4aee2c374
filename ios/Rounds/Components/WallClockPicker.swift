import SwiftUI

/// A date, or a date and time, as the core's forms hold it: `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM`, a wall-clock reading that the core places in the store's time zone (what
/// an HTML date or datetime-local field gives the web shell). The picker lends only its
/// calendar and clock: it shows the digits in the phone's zone and hands them back in the same
/// zone, so they reach the core unchanged.
struct WallClockPicker: View {
    private let title: String
    private let value: String
    private let fallback: Date
    private let withTime: Bool
    private let onPick: (String) -> Void

    /// - Parameter fallback: Shown while the draft is empty or unreadable.
    init(_ title: String, value: String, fallback: Date, withTime: Bool = true, onPick: @escaping (String) -> Void) {
        self.title = title
        self.value = value
        self.fallback = fallback
        self.withTime = withTime
        self.onPick = onPick
    }

    var body: some View {
        DatePicker(title, selection: selection, displayedComponents: withTime ? [.date, .hourAndMinute] : [.date])
    }

    private var selection: Binding<Date> {
        let format = withTime ? Self.dateAndTime : Self.dateOnly
        return Binding(
            get: { format.date(from: value) ?? fallback },
            set: { onPick(format.string(from: $0)) }
        )
    }

    private static let dateAndTime = formatter("yyyy-MM-dd'T'HH:mm")
    private static let dateOnly = formatter("yyyy-MM-dd")

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        // Fixed digits whatever the person's locale and calendar settings.
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = .autoupdatingCurrent
        formatter.dateFormat = format
        return formatter
    }
}
