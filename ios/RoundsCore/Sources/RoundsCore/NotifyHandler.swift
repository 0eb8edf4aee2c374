import Foundation
import os
import SharedTypes
import UserNotifications

/// Local notifications: follow-up reminders, which must fire at their time with no signal and
/// with the app closed. The core decides what is scheduled and words it; the shell only
/// carries it out, and answers nothing.
public protocol NotifyHandler: Sendable {
    func handle(_ request: NotifyRequest) async
}

/// ``NotifyHandler`` over `UNUserNotificationCenter`, which shows a reminder at its time
/// whether the app runs or not.
///
/// Each reminder is requested under the core's id, so scheduling an id again replaces it (a
/// snoozed follow-up keeps its id) and cancelling it withdraws it, from the tray too.
public struct UserNotificationHandler: NotifyHandler {
    private static let logger = Logger(subsystem: "app.rounds", category: "notify")

    public init() {}

    /// Asks the person to allow reminders, if nobody has asked yet. Without it, reminders are
    /// still scheduled but not shown; the follow-up lists show them all the same.
    public static func requestAuthorization() async {
        do {
            _ = try await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])
        } catch {
            logger.error("reminders not allowed: \(String(describing: error), privacy: .public)")
        }
    }

    public func handle(_ request: NotifyRequest) async {
        let center = UNUserNotificationCenter.current()
        switch request {
        case let .schedule(reminder):
            let content = UNMutableNotificationContent()
            content.title = reminder.title
            content.body = reminder.body
            content.sound = .default
            let fireAt = Date(timeIntervalSince1970: Double(reminder.fireAtMs) / 1000)
            let trigger = Self.trigger(at: fireAt, now: Date())
            do {
                try await center.add(UNNotificationRequest(identifier: reminder.id, content: content, trigger: trigger))
            } catch {
                Self.logger.error("reminder not scheduled: \(String(describing: error), privacy: .public)")
            }
        case let .cancel(id):
            center.removePendingNotificationRequests(withIdentifiers: [id])
            center.removeDeliveredNotifications(withIdentifiers: [id])
        case .cancelAll:
            center.removeAllPendingNotificationRequests()
            center.removeAllDeliveredNotifications()
        }
    }

    /// A calendar trigger at the instant, in UTC: the core gives a point in time, and a trigger
    /// with its time zone fixed fires then wherever the phone has travelled to (components
    /// without one would be read in the zone of the moment). Whole seconds, rounded up, since
    /// the trigger counts seconds and a reminder must not come early. `nil`, which shows the
    /// reminder at once, for an instant already past.
    static func trigger(at date: Date, now: Date) -> UNNotificationTrigger? {
        let second = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up))
        guard second > now else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = calendar.dateComponents(
            [.calendar, .timeZone, .year, .month, .day, .hour, .minute, .second],
            from: second
        )
        return UNCalendarNotificationTrigger(dateMatching: components, repeats: false)
    }
}
