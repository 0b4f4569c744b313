#!/usr/bin/env bash
# Soak test (issue 18): civicdesk serve on SQLite under a steady mixed load — the cached home
# page, search, the consultation list, the plan and new opinions (scripts/soak.lua) — at half of
# the capacity measured first, for SOAK_MINUTES (default 30) minutes, one wrk run per minute.
# Every minute it records throughput, p99 latency, errors and the server's resident memory
# (VmRSS of the serve process itself). It then compares the first and the last five minutes:
# resident memory and p99 must each be within 10 % (SOAK_TOLERANCE) of the first window, and
# no request may fail. Prints one line per minute and a summary
#   SOAK minutes=<n> rate=<r>/s rss_first=<MiB> rss_last=<MiB> p99_first=<ms> p99_last=<ms> PASS|FAIL
# and exits non-zero on FAIL. The per-minute table is also written to $SOAK_OUT (if set).
# SOAK_WRITE_EVERY (default 10) makes one request in that many a new opinion; 0 reads only.
# Every stored opinion enters the in-memory search index, so with submissions resident memory
# grows with the opinions stored: the summary gives that growth per 1,000 opinions, and a
# reads-only run (SOAK_WRITE_EVERY=0) shows whether serving itself keeps memory flat.
# Usage: scripts/soak.sh [BUILD_DIR]   (needs wrk: scripts/install-deps.sh bench)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
binary="$build_dir/civicdesk"
minutes="${SOAK_MINUTES:-30}"
window="${SOAK_WINDOW:-5}"
tolerance="${SOAK_TOLERANCE:-10}"
connections=32
write_every="${SOAK_WRITE_EVERY:-10}"
export SOAK_WRITE_EVERY="$write_every"
if [ ! -x "$binary" ]; then
  echo "soak: $binary is not built (make build)" >&2
  exit 2
fi
if ! command -v wrk >/dev/null; then
  echo "soak: wrk is not installed (scripts/install-deps.sh bench)" >&2
  exit 2
fi
if [ "$minutes" -lt $((2 * window)) ]; then
  echo "soak: SOAK_MINUTES=$minutes is shorter than two windows of $window minutes" >&2
  exit 2
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="sqlite:$work/soak.db"
"$binary" db migrate --db "$url" >/dev/null
"$binary" serve --db "$url" --port "$port" --submit-limit 0 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "soak: serve did not start" >&2; cat "$work/serve.log" >&2; exit 2; }

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }

# One wrk run; prints "<req/s> <p99 ms> <errors>".
run_wrk() {
  local seconds="$1" out
  out="$(SOAK_DELAY_MS="$2" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s scripts/soak.lua \
    "http://127.0.0.1:$port/" 2>&1)"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rate = $2 }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i += 2) { gsub(",", "", $(i + 1)); errors += $(i + 1) } }
    END { printf "%s %.2f %d\n", rate, p99, errors }'
}

read -r capacity _ capacity_errors < <(run_wrk 20 0)
rate="$(awk -v c="$capacity" 'BEGIN { printf "%d", c / 2 }')"
# Each connection waits delay ms between an answer and its next request: connections / delay
# requests per millisecond in all (answers at this load take well under a millisecond).
delay_ms="$(awk -v c="$connections" -v r="$rate" 'BEGIN { d = c * 1000 / r; printf "%d", (d < 1 ? 1 : d) }')"
echo "soak: capacity ${capacity} req/s (errors ${capacity_errors}); holding ${rate} req/s for ${minutes} min (${connections} connections, ${delay_ms} ms apart)"
echo "minute req_per_s p99_ms errors rss_mib"  # rss: VmRSS of the serve process
table="$work/table.txt"
: >"$table"
for minute in $(seq 1 "$minutes"); do
  read -r got p99 errors < <(run_wrk 60 "$delay_ms")
  rss="$(rss_mib)"
  echo "$minute $got $p99 $errors $rss" | tee -a "$table"
  # wrk waits the delay after each answer, so the rate is connections / (delay + latency): take
  # the latency this minute showed out of the next minute's delay to stay at the chosen rate
  # (halfway there each minute, so that one noisy minute does not swing the next).
  delay_ms="$(awk -v c="$connections" -v r="$rate" -v g="$got" -v d="$delay_ms" 'BEGIN {
    latency = (g > 0 ? c * 1000 / g - d : 0); if (latency < 0) latency = 0
    n = (c * 1000 / r - latency + d) / 2; printf "%d", (n < 1 ? 1 : n) }')"
done
if [ -n "${SOAK_OUT:-}" ]; then cp "$table" "$SOAK_OUT"; fi

awk -v w="$window" -v n="$minutes" -v tol="$tolerance" -v rate="$rate" -v every="$write_every" '
  { p99[$1] = $3; errors += $4; rss[$1] = $5; if (every > 0) stored += $2 * 60 / every }
  END {
    for (m = 1; m <= w; m++) { pf += p99[m]; rf += rss[m] }
    for (m = n - w + 1; m <= n; m++) { pl += p99[m]; rl += rss[m] }
    pf /= w; pl /= w; rf /= w; rl /= w
    ok = errors == 0 && rl <= rf * (1 + tol / 100) && pl <= pf * (1 + tol / 100)
    growth = stored > 0 ? (rss[n] - rss[1]) * 1024 / (stored / 1000) : 0
    printf "SOAK minutes=%d rate=%d/s opinions_stored=%d rss_first=%.1f rss_last=%.1f kib_per_1000_opinions=%.0f p99_first=%.2f p99_last=%.2f errors=%d %s\n",
           n, rate, stored, rf, rl, growth, pf, pl, errors, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1
  }' "$table"
