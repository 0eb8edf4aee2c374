#!/usr/bin/env bash
# Tests the native shells' Kotlin core (android/core) on the JVM: the real core (the host
# build of `shared`, through uniffi and JNA) driven by the Kotlin effect loop and handlers,
# against the real server on loopback. No Android SDK or Gradle reaches this machine, so
# kotlinc is called directly (docs/native.md).
#
# Installs what it needs on a fresh Debian machine (a JRE, JNA and JUnit 4 from Debian, the
# Kotlin compiler from npm into target/tools), and ends with `N passed, N failed`; exits
# non-zero when a test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
tools="$target/tools"
kotlin_version=2.4.20

echo "== native: tools"
missing=()
command -v java >/dev/null || missing+=(default-jre-headless)
[ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
[ -f /usr/share/java/junit4.jar ] || missing+=(junit4)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update && $sudo apt-get install -y "${missing[@]}"
fi
kotlin="$tools/kotlin/node_modules/kotlin-compiler"
if [ "$(cat "$kotlin/.rounds-version" 2>/dev/null)" != "$kotlin_version" ]; then
    npm install --prefix "$tools/kotlin" --no-audit --no-fund --loglevel=error "kotlin-compiler@$kotlin_version"
    echo "$kotlin_version" > "$kotlin/.rounds-version"
fi
kotlinc="$kotlin/bin/kotlinc"
lib="$kotlin/lib"
java -version 2>&1 | head -1

echo "== native: the core, its bindings and types, the server"
bash scripts/native-bindings.sh
cargo build -p server --bin server

echo "== native: compile (kotlinc)"
classes="$target/native/classes"
mkdir -p "$classes"
jna=/usr/share/java/jna.jar
junit=/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar
coroutines="$lib/kotlinx-coroutines-core-jvm.jar"
# The generated code (about 11,000 lines) takes most of a minute: compiled again only when
# it changed.
stamp=$(find "$target/native/kotlin" -name '*.kt' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
if [ "$(cat "$classes/generated.stamp" 2>/dev/null)" != "$stamp" ]; then
    "$kotlinc" -nowarn $(find "$target/native/kotlin" -name '*.kt') -cp "$jna" -d "$classes/generated.jar"
    echo "$stamp" > "$classes/generated.stamp"
fi
"$kotlinc" -Werror android/core/src/main/kotlin android/core/src/test/kotlin \
    -cp "$classes/generated.jar:$jna:$coroutines:$junit:$lib/kotlin-test.jar:$lib/kotlin-test-junit.jar" \
    -d "$classes/core-tests.jar"

echo "== native: JUnit on the JVM"
tests=$(find android/core/src/test/kotlin -name '*Test.kt' | sed -E 's|.*/kotlin/||; s|\.kt$||; s|/|.|g' | sort)
java -Djna.library.path="$target/debug" -Drounds.server="$target/debug/server" \
    -cp "$classes/core-tests.jar:$classes/generated.jar:$jna:$coroutines:$junit:$lib/kotlin-stdlib.jar:$lib/kotlin-test.jar:$lib/kotlin-test-junit.jar" \
    app.rounds.core.RunTestsKt $tests
