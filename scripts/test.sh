#!/usr/bin/env bash
# Runs every test Rounds has. Installs what it needs first, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# A CI run builds once: incremental caches would only take disk (a full one ran out once).
[ -n "${CI:-}" ] && export CARGO_INCREMENTAL=0

echo "== toolchain"
# A C compiler: the device benchmark's SQLite anchor is built from source (rusqlite, bundled).
if ! command -v cc >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update && $sudo apt-get install -y gcc
fi
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo --version

echo "== format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
# The web shell is an empty crate on the host; its code is linted for the browser here.
cargo clippy -p web-shell --target wasm32-unknown-unknown -- -D warnings
# The native bridge and its generators sit behind features the workspace build leaves off.
cargo clippy -p shared --features bindgen,codegen --all-targets -- -D warnings

echo "== tests"
# A throwaway PostgreSQL cluster for the PostgreSQL store's tests (scripts/pg.sh: installed from
# Debian when missing, run as a non-root user, in a temp folder of its own, removed on exit).
# About five seconds (initdb); each test then makes a database of its own in it.
ROUNDS_TEST_PG="$(bash scripts/pg.sh start)"
export ROUNDS_TEST_PG
trap 'bash scripts/pg.sh stop' EXIT
# The server's crash test kills and restarts the server this many times (CI runs at least 20).
ROUNDS_CRASH_CYCLES=20 cargo test --workspace
bash scripts/pg.sh stop
trap - EXIT

echo "== shell types: every event, effect and view model type registers for generation"
cargo test -p shared --features facet_typegen --lib typegen

echo "== native shells: the Kotlin core over uniffi, on the JVM against a real server (JUnit)"
bash scripts/test-native.sh

echo "== native shells: the hand-written Kotlin and Swift parse (tree-sitter; neither app builds here)"
bash scripts/check-native-syntax.sh

echo "== server: API fuzzing against its OpenAPI document (schemathesis)"
bash scripts/schemathesis.sh

echo "== web shell: wasm build, and end-to-end tests in Chromium (Playwright)"
bash scripts/test-web.sh
