import Foundation
import Observation
import os
import SharedTypes

/// The shell's side of the core: sends events, carries out the effects the core asks for with
/// one handler each, answers them, and publishes the view model the screens render.
///
/// All logic is in the core; this class only routes. It lives on the main actor, so the core
/// is called from one thread only, as it expects. Each effect request is carried out in a task
/// of its own, so that a timer or a slow request never holds up the rest; the device database
/// and notifications go through a ``Lane`` each, because their order matters.
@MainActor
@Observable
public final class Core {
    /// What the screens show; replaced when the core asks for a render.
    public private(set) var view: ViewModel

    private let bridge: CoreBridge
    private let http: HttpHandler
    private let store: StoreHandler
    private let time: TimeHandler
    private let location: LocationHandler
    private let notify: NotifyHandler
    private let keyValue: KeyValueHandler
    private let live: LiveHandler
    private let storeLane = Lane()
    /// The open live channel's reader; one at a time, as the core asks.
    @ObservationIgnored
    private var liveChannel: Task<Void, Never>?
    private let notifyLane = Lane()

    @ObservationIgnored
    private var renderAsked = false

    private static let logger = Logger(subsystem: "app.rounds", category: "core")

    public init(
        bridge: CoreBridge,
        http: HttpHandler,
        store: StoreHandler,
        time: TimeHandler,
        location: LocationHandler,
        notify: NotifyHandler,
        keyValue: KeyValueHandler,
        live: LiveHandler
    ) {
        self.bridge = bridge
        self.http = http
        self.store = store
        self.time = time
        self.location = location
        self.notify = notify
        self.keyValue = keyValue
        self.live = live
        do {
            view = try ViewModel.bincodeDeserialize(input: bridge.view())
        } catch {
            // Only an app built against types generated from another core gets here; nothing
            // on screen could be trusted.
            fatalError("The core's view model does not read with these generated types: \(error)")
        }
    }

    /// Sends `event` to the core and carries out what follows from it.
    public func send(_ event: Event) {
        do {
            try start(bridge.update(event.bincodeSerialize()))
        } catch {
            Self.logger.error("event not taken: \(String(describing: error), privacy: .public)")
        }
    }

    /// Starts carrying out each of the serialized requests, in the order the core made them.
    private func start(_ requests: [UInt8]) throws {
        for request in try Requests.bincodeDeserialize(input: requests).value {
            switch request.effect {
            case .render:
                render()
            case .store:
                storeLane.add { await self.carryOut(request) }
            case .notify:
                notifyLane.add { await self.carryOut(request) }
            case .http, .time, .location, .keyValue:
                Task { await self.carryOut(request) }
            case let .live(operation):
                listen(request, operation)
            }
        }
    }

    private func carryOut(_ request: Request) async {
        do {
            switch request.effect {
            case .render:
                render()
            case let .http(operation):
                let response = await http.send(operation)
                try resolve(request, with: response.bincodeSerialize())
            case let .store(operation):
                let response = await store.handle(operation)
                try resolve(request, with: response.bincodeSerialize())
            case let .keyValue(operation):
                let response = await keyValue.handle(operation)
                try resolve(request, with: response.bincodeSerialize())
            case .location:
                let response = await location.current()
                try resolve(request, with: response.bincodeSerialize())
            case let .time(operation):
                // A timer answers when it is due; a cleared one never does.
                if let response = await time.handle(operation) {
                    try resolve(request, with: response.bincodeSerialize())
                }
            case let .notify(operation):
                // Fire and forget: the core expects no answer.
                await notify.handle(operation)
            case let .live(operation):
                listen(request, operation)
            }
        } catch {
            Self.logger.error("effect \(request.id) not answered: \(String(describing: error), privacy: .public)")
        }
    }

    /// Opens the live channel (closing the one open) or closes it; each event it says is
    /// handed to the core.
    private func listen(_ request: Request, _ operation: LiveRequest) {
        liveChannel?.cancel()
        liveChannel = nil
        guard case let .listen(url, token, deviceId) = operation else {
            return
        }
        let events = live.open(url: url, token: token, deviceId: deviceId)
        liveChannel = Task {
            for await event in events {
                guard !Task.isCancelled else {
                    return
                }
                do {
                    try resolve(request, with: event.bincodeSerialize())
                } catch {
                    Self.logger.error("live event not taken: \(String(describing: error), privacy: .public)")
                }
            }
        }
    }

    private func resolve(_ request: Request, with output: [UInt8]) throws {
        try start(bridge.resolve(request.id, output: output))
    }

    /// Reads the view model once per turn of the main actor, however many renders were asked
    /// for by then: a sync answer and the work after it each ask, and at a chain's size a view
    /// model is not free to build and decode. The effects asked for alongside start first.
    private func render() {
        guard !renderAsked else {
            return
        }
        renderAsked = true
        Task {
            renderAsked = false
            do {
                view = try ViewModel.bincodeDeserialize(input: bridge.view())
            } catch {
                // The screen keeps the last view model it could read.
                Self.logger.error("view model not read: \(String(describing: error), privacy: .public)")
            }
        }
    }
}

/// Work started strictly in the order it is added, each piece once the one before has
/// finished. The device database must append batches in the order the core made them, and
/// notifications must be scheduled and withdrawn in order (a "cancel all" overtaken by the
/// schedules after it would withdraw them); tasks alone do not promise an order.
@MainActor
final class Lane {
    private var last: Task<Void, Never>?

    func add(_ work: @escaping @MainActor () async -> Void) {
        let previous = last
        last = Task {
            await previous?.value
            await work()
        }
    }
}
