#!/usr/bin/env bash
# The kill -9 durability test on its own (make test runs it too): builds if needed, then kills
# the server 20 times (CIVICDESK_KILL_ROUNDS) under concurrent submissions, on SQLite and on a
# throwaway PostgreSQL, and checks that every acknowledged receipt survived.
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
export CIVICDESK_BINARY="$PWD/build/civicdesk"
exec bash scripts/with-postgres.sh node --test tests/durability
