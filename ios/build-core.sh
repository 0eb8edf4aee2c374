#!/usr/bin/env bash
# Builds what the iOS app links and compiles against, on a Mac (Xcode and rustup installed):
#
#   target/native/swift/                   the generated types (SharedTypes package) and
#                                          uniffi bindings (scripts/native-bindings.sh)
#   ios/RoundsCore/RoundsFFI.xcframework   the Rust core (crate `shared`, feature `uniffi`) as a
#                                          static library for the phone, the simulator and this
#                                          Mac (so that `swift test` runs here), with the uniffi
#                                          header and module map (module SharedFFIFFI)
#   ios/RoundsCore/Sources/SharedFFI/      uniffi's Swift side of CoreFfi
#
# None of it is committed. Run it again after changing the Rust code, then build in Xcode.
#
#   bash ios/build-core.sh               release build, Apple silicon slices
#   bash ios/build-core.sh --with-intel  also x86_64 (Intel simulator and Mac)
#   bash ios/build-core.sh --check       only check that the outputs exist and are newer than
#                                        the Rust sources (Xcode's pre-build phase runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

package=ios/RoundsCore
framework=$package/RoundsFFI.xcframework
bindings=$package/Sources/SharedFFI/SharedFFI.swift

if [ "${1:-}" = "--check" ]; then
    for made in "$framework/Info.plist" "$bindings" target/native/swift/SharedTypes/Package.swift; do
        if [ ! -e "$made" ]; then
            echo "error: $made is missing: run 'bash ios/build-core.sh' (see docs/native.md)"
            exit 1
        fi
    done
    newer=$(find shared/src domain/src dispatch/src vrptw/src -name '*.rs' -newer "$framework/Info.plist" | head -n 1)
    if [ -n "$newer" ]; then
        # A warning, not an error: a change to a comment or a test needs no new core.
        echo "warning: $newer changed since the core was built: run 'bash ios/build-core.sh' if it matters to the app"
    fi
    exit 0
fi

intel=false
case "${1:-}" in
    "") ;;
    --with-intel) intel=true ;;
    *) echo "usage: $0 [--with-intel | --check]" >&2; exit 2 ;;
esac

if [ "$(uname)" != Darwin ]; then
    echo "build-core.sh builds for iOS and needs a Mac with Xcode" >&2
    exit 1
fi

# The Swift bindings and types, generated from a host build of the same code.
bash scripts/native-bindings.sh

device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim)
macs=(aarch64-apple-darwin)
if $intel; then
    simulators+=(x86_64-apple-ios)
    macs+=(x86_64-apple-darwin)
fi
targets=("$device" "${simulators[@]}" "${macs[@]}")

# rust-toolchain.toml pins the compiler; these add its standard library for each target.
rustup target add "${targets[@]}"

# The same minimum versions as Package.swift, so the linker does not warn about objects built
# for newer systems than the app.
export IPHONEOS_DEPLOYMENT_TARGET=17.0
export MACOSX_DEPLOYMENT_TARGET=14.0
for target in "${targets[@]}"; do
    cargo build -p shared --features uniffi --release --lib --target "$target"
done

# One library per platform: xcodebuild wants the simulator's (and the Mac's) architectures in
# one fat file.
out=target/ios
rm -rf "$out"
mkdir -p "$out/headers" "$out/simulator" "$out/macos"
cp target/native/swift/SharedFFIFFI.h "$out/headers/"
# Xcode finds a library's module by this file name.
cp target/native/swift/SharedFFIFFI.modulemap "$out/headers/module.modulemap"

fat() {
    local into=$1
    shift
    local libraries=()
    for target in "$@"; do
        libraries+=("target/$target/release/libshared.a")
    done
    lipo -create "${libraries[@]}" -output "$into"
}
fat "$out/simulator/libshared.a" "${simulators[@]}"
fat "$out/macos/libshared.a" "${macs[@]}"

rm -rf "$framework"
xcodebuild -create-xcframework \
    -library "target/$device/release/libshared.a" -headers "$out/headers" \
    -library "$out/simulator/libshared.a" -headers "$out/headers" \
    -library "$out/macos/libshared.a" -headers "$out/headers" \
    -output "$framework"

mkdir -p "$(dirname "$bindings")"
cp target/native/swift/SharedFFI.swift "$bindings"

echo "core built: $framework, $bindings"
