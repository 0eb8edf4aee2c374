#!/usr/bin/env bash
# Fuzzes a running server (demo data, debug build) against its own OpenAPI document with
# schemathesis, signed in as the demo admin. Fails on any 5xx and on any response whose status,
# content type or body the document does not describe. Installs schemathesis into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/schemathesis ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check schemathesis
fi
cargo build -p server --quiet

work=$(mktemp -d)
ROUNDS_ARGON2_MEMORY_KIB=1024 ROUNDS_LOG=warn target/debug/server --data "$work/data" serve --demo \
    --bind 127.0.0.1:0 --login-limit-pair 1000000 --login-free-failures 1000000 \
    >"$work/out" 2>"$work/err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
    grep -q '^listening on ' "$work/out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/err"; exit 1; }
    sleep 0.5
done
base=$(sed -n 's/^listening on //p' "$work/out")
token=$(python3 - "$base" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/v1/auth/login",
    data=json.dumps({"login": "admin", "password": "rounds-demo"}).encode(),
    headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req))["access_token"])
PY
)
# From the scratch directory, so that schemathesis' example database stays out of the tree.
# `GET /v1/live` is left out: a live channel is a response that does not end while the session
# holds, so every example would wait out the request timeout. Its own tests
# (server/tests/it/live.rs) cover its refusals and its problem documents.
root=$(pwd)
(cd "$work" && "$root/.venv/bin/schemathesis" run "$base/v1/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "${ROUNDS_FUZZ_EXAMPLES:-50}" \
    --request-timeout 30 \
    --exclude-path /v1/live \
    --seed "${ROUNDS_FUZZ_SEED:-1}")
if grep -q 'panicked' "$work/err"; then
    echo "the server panicked during fuzzing:"
    grep -A3 'panicked' "$work/err"
    exit 1
fi
