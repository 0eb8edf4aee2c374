#!/usr/bin/env bash
# Builds and starts Rounds: the server on an embedded sled database in ./data, seeded with the
# demo organization on first start (the logins are printed). Set ROUNDS_BIND to change the address.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
cargo build --release -p server
exec ./target/release/server serve --data "${ROUNDS_DATA:-data}" --bind "${ROUNDS_BIND:-127.0.0.1:8080}" --demo
