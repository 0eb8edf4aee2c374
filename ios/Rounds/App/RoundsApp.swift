import RoundsCore
import SharedTypes
import SwiftUI

/// The app: one core for the life of the process, over the real handlers, and its view model
/// rendered by `RootView`.
@main
struct RoundsApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var appDelegate
    @State private var core: Core
    private let location: DeviceLocationHandler

    init() {
        let location = DeviceLocationHandler()
        let core = Core(
            bridge: FfiCoreBridge(),
            http: UrlSessionHttpHandler(),
            store: FileStoreHandler(directory: DeviceSettings.storeDirectory),
            time: ClockTimeHandler(nextFrame: { await FrameWaiter.afterNextFrame() }),
            location: location,
            notify: UserNotificationHandler(),
            keyValue: EmptyKeyValueHandler(),
            live: UrlSessionLiveHandler()
        )
        core.send(.start(serverUrl: DeviceSettings.serverURL, deviceId: DeviceSettings.deviceID))
        if let language = DeviceSettings.initialLanguage(among: core.view.languages) {
            core.send(.setLanguage(language))
        }
        self.location = location
        _core = State(initialValue: core)
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environment(core)
                .task {
                    // Asked at launch rather than when first needed: a job step must never
                    // wait on a dialog.
                    await location.requestAuthorization()
                    await UserNotificationHandler.requestAuthorization()
                }
                .task {
                    // Changes waiting on the phone go as soon as the network is back.
                    for await _ in Connectivity.restored() {
                        await core.send(.online)
                    }
                }
        }
    }
}
