import CoreLocation
import SharedTypes

/// Where the device is, to stamp field steps and rank nearby customers. Answers from the last
/// known fix rather than waiting for a new one: a job step must never wait for GPS.
public protocol LocationHandler: Sendable {
    func current() async -> LocationResponse
}

/// A device with no location (not allowed, no hardware): every answer is `unknown`.
public struct UnknownLocationHandler: LocationHandler {
    public init() {}

    public func current() async -> LocationResponse {
        .unknown
    }
}

/// ``LocationHandler`` over Core Location, while the app is in use.
///
/// Once the person allows it, the manager keeps a coarse fix up to date (a hundred metres is
/// enough to stamp a visit and rank customers, and spares the battery); each request answers
/// from it at once. A fix older than ``maximumAge`` is not answered: a position from this
/// morning would put a field step in the wrong place.
@MainActor
public final class DeviceLocationHandler: NSObject, LocationHandler {
    /// How old a fix may be and still be told to the core.
    public static let maximumAge: TimeInterval = 15 * 60

    private let manager = CLLocationManager()
    private var waitingForAnswer: [CheckedContinuation<Void, Never>] = []
    private var updating = false

    public override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyHundredMeters
        manager.distanceFilter = 50
    }

    /// Asks the person to allow location while the app is in use, if nobody has asked yet, and
    /// returns once they have answered. Called at launch, not from an effect: a job step must
    /// not wait on a dialog.
    public func requestAuthorization() async {
        if manager.authorizationStatus == .notDetermined {
            await withCheckedContinuation { continuation in
                waitingForAnswer.append(continuation)
                manager.requestWhenInUseAuthorization()
            }
        }
        followAuthorization()
    }

    public func current() async -> LocationResponse {
        guard isAuthorized else {
            return .unknown
        }
        followAuthorization()
        guard let fix = manager.location,
              fix.horizontalAccuracy >= 0,
              -fix.timestamp.timeIntervalSinceNow <= Self.maximumAge
        else {
            return .unknown
        }
        return .known(lat: fix.coordinate.latitude, lng: fix.coordinate.longitude)
    }

    private var isAuthorized: Bool {
        switch manager.authorizationStatus {
        case .authorizedWhenInUse, .authorizedAlways:
            return true
        case .notDetermined, .denied, .restricted:
            return false
        @unknown default:
            return false
        }
    }

    /// Updates run while location is allowed, and stop when it is taken away in Settings.
    private func followAuthorization() {
        if isAuthorized, !updating {
            manager.startUpdatingLocation()
            updating = true
        } else if !isAuthorized, updating {
            manager.stopUpdatingLocation()
            updating = false
        }
    }

    fileprivate func authorizationChanged() {
        guard manager.authorizationStatus != .notDetermined else {
            return
        }
        let waiting = waitingForAnswer
        waitingForAnswer.removeAll()
        for continuation in waiting {
            continuation.resume()
        }
        followAuthorization()
    }
}

extension DeviceLocationHandler: CLLocationManagerDelegate {
    // The manager was made on the main thread, so it calls its delegate there.
    public nonisolated func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        MainActor.assumeIsolated {
            authorizationChanged()
        }
    }

    public nonisolated func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        // Nothing to do: `manager.location` holds the latest fix, read when the core asks.
    }

    public nonisolated func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        // A failed fix leaves the last good one, or none; the core then hears `unknown`.
    }
}
