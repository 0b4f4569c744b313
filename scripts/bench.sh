#!/usr/bin/env bash
# Runs every benchmark. Each prints one line:
#   BENCH <name> ours=<v> baseline=<v> ratio=<r> goal=<op><g> PASS|FAIL
# side by side with its baseline in the same run, because only the ratio is meaningful on a
# noisy machine. Baselines that need PostgreSQL get a throwaway cluster (scripts/with-postgres.sh).
# Exits non-zero when any benchmark misses its goal.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
if [ -z "${CIVICDESK_TEST_POSTGRES_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$build_dir"
fi
status=0
found=0
for bench in "$build_dir"/bench/civicdesk_*_bench; do
  [ -x "$bench" ] || continue
  found=1
  echo "bench: $(basename "$bench")" >&2
  "$bench" || status=1
done
if [ "$found" -eq 0 ]; then
  echo "bench: no benchmarks are built yet"
fi
exit "$status"
