#!/usr/bin/env bash
# Fuzzes the live server from its own OpenAPI document with schemathesis, as an admin
# and as district staff, with a bounded number of examples per operation. Fails on any
# 5xx, any dropped connection, any request the server could not answer, and any response
# the document does not describe: an undocumented status, content type or header, or a
# body that does not match its schema.
#
#   tests/fuzz/schemathesis.sh [sqlite|postgres]...   (default: sqlite postgres)
#
# MAX_EXAMPLES (default 20) bounds the cases per operation; SEED makes a run repeatable.
# Sign-out is left out: it revokes the very token the run uses, after which every other
# operation would only ever see 401 (the integration tests cover sign-out).
# schemathesis comes from PyPI into a virtual environment under the target directory;
# the server is the debug build of this checkout, on a fresh database per identity. One
# worker: CPython 3.11 trips over its own AST cache when schemathesis compiles in threads.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES="${MAX_EXAMPLES:-20}"
SEED="${SEED:-20261130}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="$TARGET_DIR/schemathesis-venv"
PG_ADMIN="${BAQYLAU_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
BACKENDS=("$@")
[ ${#BACKENDS[@]} -eq 0 ] && BACKENDS=(sqlite postgres)

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# The server as `cargo test --workspace` builds it, so the features (and the build) are
# the ones the test step already made.
cargo test --quiet --workspace --no-run
BIN="$TARGET_DIR/debug/baqylau"

WORK="$(mktemp -d)"
SERVER_PID=""
PG_DB=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$PG_DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$WORK"
    return 0
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

token() { # email -> access token
    curl -sf -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"baqylau-demo-2026\"}" \
        "http://$BIND/api/v1/auth/login" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# One identity on one backend: a fresh database with demo data, a fresh server.
fuzz() {
    local backend="$1" email="$2" run="$3"
    if [ "$backend" = postgres ]; then
        PG_DB="bq_fuzz_$$_$run"
        psql "$PG_ADMIN" -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null
        export DATABASE_URL="${PG_ADMIN%/*}/$PG_DB"
    else
        export DATABASE_URL="sqlite://$WORK/$run.db"
    fi
    export BIND="127.0.0.1:$(free_port)"
    export BAQYLAU_BIND="$BIND" BAQYLAU_ENV=development BAQYLAU_ACCESS_TTL=7200 \
        BAQYLAU_STATIC_DIR="$WORK/no-dashboard" RUST_LOG=warn
    "$BIN" migrate >/dev/null
    "$BIN" seed --demo >/dev/null
    "$BIN" serve >"$WORK/$run.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do curl -sf "http://$BIND/readyz" >/dev/null && break; sleep 0.1; done
    echo "==== schemathesis: $email on $backend, at most $MAX_EXAMPLES examples per operation ===="
    local status=0
    "$VENV/bin/schemathesis" --config-file tests/fuzz/schemathesis.toml \
        run "http://$BIND/api/openapi.json" \
        --header "Authorization: Bearer $(token "$email")" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
        --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
        --exclude-path /api/v1/auth/logout \
        --phases examples,coverage,fuzzing \
        --workers 1 --request-timeout 20 --no-color || status=$?
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    if grep -q "panicked" "$WORK/$run.log"; then
        echo "the server panicked:"; grep -A3 "panicked" "$WORK/$run.log"; status=1
    fi
    if [ -n "$PG_DB" ]; then
        psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null; PG_DB=""
    fi
    return $status
}

failed=0
for backend in "${BACKENDS[@]}"; do
    fuzz "$backend" baizak@baqylau.kz "district_$backend" || failed=1
    fuzz "$backend" admin@baqylau.kz "admin_$backend" || failed=1
done
exit $failed
