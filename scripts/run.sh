#!/usr/bin/env bash
# Builds and starts Rounds: the server on an embedded sled database in ./data, seeded with the
# demo organization on first start (the logins are printed), and the web shell at its URL.
# Set ROUNDS_BIND to change the address.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
bash scripts/build-web.sh
cargo build --release -p server
bind=${ROUNDS_BIND:-127.0.0.1:8080}
echo "Rounds: open http://$bind/ and sign in with a login below (password rounds-demo)."
exec ./target/release/server serve --data "${ROUNDS_DATA:-data}" --bind "$bind" --demo \
    --web-dir web-shell/dist
