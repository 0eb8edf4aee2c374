import Foundation
import SharedTypes

/// What this installation keeps outside the core: where the server is, the device's id, the
/// language the person chose, and the folder of the device database.
enum DeviceSettings {
    /// The development server on this Mac, which the simulator reaches as localhost.
    static let defaultServerURL = "http://localhost:8080"

    private static let serverKey = "server_url"
    private static let deviceKey = "rounds.device"
    private static let languageKey = "rounds.lang"

    /// The Settings app's field (Settings.bundle), or `-server_url URL` among the launch
    /// arguments, which UserDefaults reads too; else the default.
    static var serverURL: String {
        let typed = UserDefaults.standard.string(forKey: serverKey)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var url = typed.isEmpty ? defaultServerURL : typed
        // The core adds paths starting with a slash, as it does to the web's origin.
        while url.hasSuffix("/") {
            url.removeLast()
        }
        return url
    }

    /// One id per installation, made at the first launch.
    static var deviceID: String {
        if let id = UserDefaults.standard.string(forKey: deviceKey) {
            return id
        }
        let id = "ios-" + UUID().uuidString.lowercased()
        UserDefaults.standard.set(id, forKey: deviceKey)
        return id
    }

    /// Application Support, which iOS backs up and never clears under storage pressure.
    static var storeDirectory: URL {
        URL.applicationSupportDirectory.appending(path: "Rounds", directoryHint: .isDirectory)
    }

    /// The language chosen on this phone before, else the first of the phone's preferred
    /// languages that the core speaks; `nil` leaves the core's own default.
    static func initialLanguage(among choices: [LanguageChoice]) -> Lang? {
        if let saved = UserDefaults.standard.string(forKey: languageKey),
           let choice = choices.first(where: { $0.code == saved }) {
            return choice.lang
        }
        for preferred in Locale.preferredLanguages {
            let language = Locale.Language(identifier: preferred).languageCode
            if let choice = choices.first(where: { Locale.Language(identifier: $0.code).languageCode == language }) {
                return choice.lang
            }
        }
        return nil
    }

    /// Keeps the person's choice for the next launch.
    static func remember(_ choice: LanguageChoice) {
        UserDefaults.standard.set(choice.code, forKey: languageKey)
    }
}
