#!/usr/bin/env bash
# End-to-end tests of the web shell: builds the wasm (scripts/build-web.sh) and the server,
# then drives the real server with demo data in the machine's Chromium through playwright-core
# (web-shell/e2e). Installs Chromium (and a CJK font) from the distribution and the npm
# packages when missing.
# Screenshots of each role's main screen go to target/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, and a Chinese font so that zh-CN screens render as text rather than boxes.
pkgs=()
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
# libfaketime moves the server's clock with the browsers' when a run starts late in Shanghai.
command -v faketime >/dev/null || pkgs+=(faketime)
{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || pkgs+=(fonts-wqy-zenhei)
if [ ${#pkgs[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update && $sudo apt-get install -y "${pkgs[@]}"
fi
bash scripts/build-web.sh
cargo build -p server
export ROUNDS_SERVER_BIN=${ROUNDS_SERVER_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/server}
(cd web-shell/e2e && npm ci --no-audit --no-fund)
cd web-shell/e2e
node --test --test-concurrency=1 --test-reporter=spec rounds.test.mjs
