#!/usr/bin/env bash
# Builds the web shell (web-shell/, Leptos compiled to wasm) into web-shell/dist, which the
# server serves at `/`. Installs the wasm target and the wasm-bindgen CLI at exactly the
# version in Cargo.lock when they are missing. The wasm and JavaScript go to a directory
# named after their content hash (dist/pkg-<hash>/), so browsers may cache them forever.
# Next to index.html: the service worker (sw.js, from web-shell/sw.js with this build's file
# list), the web app manifest and its icons.
# ROUNDS_WEB_PROFILE=dev builds fast and big, for debugging.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${ROUNDS_WEB_PROFILE:-web}
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
    echo "installing wasm-bindgen-cli $want (found: ${have:-none})"
    cargo install wasm-bindgen-cli --version "$want"
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown

cargo build -p web-shell --target wasm32-unknown-unknown --profile "$profile"
dir=$profile
[ "$profile" = dev ] && dir=debug
# Honour a shared build folder (CARGO_TARGET_DIR), as cargo does.
target=${CARGO_TARGET_DIR:-target}
work=$target/web-shell
rm -rf "$work" && mkdir -p "$work"
wasm-bindgen --target web --no-typescript --out-name web_shell --out-dir "$work" \
    "$target/wasm32-unknown-unknown/$dir/web-shell.wasm"
# The page has no inline script or style (its Content-Security-Policy allows 'self' only):
# boot.js starts the wasm.
cp web-shell/style.css web-shell/boot.js "$work/"

hash=$(cat "$work/web_shell.js" "$work/web_shell_bg.wasm" "$work/style.css" "$work/boot.js" |
    sha256sum | cut -c1-16)
dist=web-shell/dist
rm -rf "$dist" && mkdir -p "$dist/pkg-$hash"
cp "$work"/web_shell.js "$work"/web_shell_bg.wasm "$work"/style.css "$work"/boot.js "$dist/pkg-$hash/"
gzip -9 -k "$dist/pkg-$hash/web_shell_bg.wasm" "$dist/pkg-$hash/web_shell.js"
sed "s|/PKG/|/pkg-$hash/|g" web-shell/index.html >"$dist/index.html"
# Installable: the web app manifest and its icons (committed PNGs, drawn by
# scripts/make-icons.py) at the root, next to the service worker.
cp web-shell/manifest.webmanifest "$dist/"
mkdir -p "$dist/icons"
cp web-shell/icons/icon-192.png web-shell/icons/icon-512.png "$dist/icons/"
# The service worker (served from the root, so that its scope is the whole site) precaches
# this build's files: its list and version (a hash of them all, naming its cache) go in front
# of web-shell/sw.js. A new build is a new sw.js, which browsers install at their next online
# start.
files=(index.html manifest.webmanifest icons/icon-192.png icons/icon-512.png
    "pkg-$hash/web_shell.js" "pkg-$hash/web_shell_bg.wasm" "pkg-$hash/style.css" "pkg-$hash/boot.js")
version=$({ (cd "$dist" && cat "${files[@]}") && cat web-shell/sw.js; } | sha256sum | cut -c1-16)
{
    printf 'const BUILD = {\n  version: "%s",\n  files: [\n' "$version"
    printf '    "/%s",\n' "${files[@]}"
    printf '  ],\n};\n\n'
    cat web-shell/sw.js
} >"$dist/sw.js"

wasm="$dist/pkg-$hash/web_shell_bg.wasm"
echo "web shell: $dist (wasm $(stat -c %s "$wasm") bytes, $(stat -c %s "$wasm.gz") gzipped)"
