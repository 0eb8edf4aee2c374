// swift-tools-version: 5.9

import PackageDescription

// The shell's core: the effect loop and one handler per effect, over the Rust core.
//
// Two parts are made on a Mac by `ios/build-core.sh`, never committed: `RoundsFFI.xcframework`
// (the Rust static library for the device and the simulator, with the uniffi C header and
// module map, module `SharedFFIFFI`) and `Sources/SharedFFI/SharedFFI.swift` (uniffi's Swift
// side of `CoreFfi`). The event, effect and view model types are the generated `SharedTypes`
// package in `target/native/swift` (`scripts/native-bindings.sh`).
let package = Package(
    name: "RoundsCore",
    // macOS only so that `swift test` runs on the Mac itself (build-core.sh adds a macOS slice).
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "RoundsCore", targets: ["RoundsCore"]),
    ],
    dependencies: [
        .package(path: "../../target/native/swift/SharedTypes"),
    ],
    targets: [
        .binaryTarget(name: "RoundsFFI", path: "RoundsFFI.xcframework"),
        .target(
            name: "SharedFFI",
            dependencies: ["RoundsFFI"],
            // A static library does not carry its native link requirements; this is what
            // `rustc --print native-static-libs` names beyond libSystem (chrono's time zone
            // lookup goes through CoreFoundation).
            linkerSettings: [.linkedFramework("CoreFoundation")]
        ),
        .target(
            name: "RoundsCore",
            dependencies: [
                "SharedFFI",
                .product(name: "SharedTypes", package: "SharedTypes"),
            ]
        ),
        .testTarget(
            name: "RoundsCoreTests",
            dependencies: [
                "RoundsCore",
                .product(name: "SharedTypes", package: "SharedTypes"),
            ]
        ),
    ]
)
