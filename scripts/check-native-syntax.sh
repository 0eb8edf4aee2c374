#!/usr/bin/env bash
# Syntax-checks the native shells' hand-written Kotlin (android/) and Swift (ios/) with
# tree-sitter, since neither the Android app module nor the Swift app compiles here
# (docs/native.md). Installs the pinned parsers into a venv under target/tools once, then
# runs scripts/check-native-syntax.py, which ends with `syntax: N files checked, N with
# errors` and exits non-zero on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
venv="$target/tools/syntax-venv"
# tree-sitter-kotlin 1.1.0 is the newest on PyPI and loads with tree-sitter 0.26 (ABI 14).
pins="tree-sitter==0.26.1 tree-sitter-swift==0.7.4 tree-sitter-kotlin==1.1.0"

if [ "$(cat "$venv/.rounds-pins" 2>/dev/null)" != "$pins" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # the pins are words
    "$venv/bin/pip" install --quiet --disable-pip-version-check $pins
    echo "$pins" > "$venv/.rounds-pins"
fi
exec "$venv/bin/python" scripts/check-native-syntax.py "$@"
