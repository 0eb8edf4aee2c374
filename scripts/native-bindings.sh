#!/usr/bin/env bash
# Generates what the native shells compile against, into target/native (ignored, never
# committed):
#   target/native/kotlin/  the types of every event, effect and view model (package
#                          app.rounds.shared, with the bincode runtime com.novi.*) and the
#                          bridge's bindings (package app.rounds.ffi, over JNA)
#   target/native/swift/   the same for Swift (the SharedTypes package, the SharedFFI module)
# and the host build of the core, target/debug/libshared.so, which the bindings are read from
# and the JVM tests load.
#
# One cargo build makes the library and both generators with the same features, so that the
# library is built once (a build of the generators with other features would build it again,
# and building a binary does not refresh the .so the bindings are read from).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/native"

cargo build -p shared --features uniffi,bindgen,codegen --lib --bins
lib="$target/debug/libshared.so"
[ "$(uname)" = Darwin ] && lib="$target/debug/libshared.dylib"

rm -rf "$out/kotlin" "$out/swift"
mkdir -p "$out/kotlin" "$out/swift"
"$target/debug/codegen" --language kotlin --out-dir "$out/kotlin"
"$target/debug/codegen" --language swift --out-dir "$out/swift"
# The Gradle file codegen writes beside the Kotlin types is for a standalone package; the
# shells compile the sources as a folder of their own.
rm -f "$out/kotlin/build.gradle.kts"
for language in kotlin swift; do
    "$target/debug/uniffi-bindgen" generate --no-format --library "$lib" \
        --language "$language" --out-dir "$out/$language"
done
echo "bindings and types in $out"
