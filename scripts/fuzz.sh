#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/README.md) for FUZZ_SECONDS each, one after another.
# Usage: scripts/fuzz.sh [TARGET...]      (default: every target in fuzz/CMakeLists.txt)
#   FUZZ_SECONDS   seconds per target (default 60; the nightly run uses 3600)
#   FUZZ_BUILD_DIR the clang build (default build-fuzz)
#   FUZZ_MERGE=1   afterwards, merge what the run found into fuzz/corpus/TARGET (new coverage only)
# New inputs go to $FUZZ_BUILD_DIR/corpus/TARGET; a crash, leak, sanitizer report or broken
# promise stops that target and leaves its input in $FUZZ_BUILD_DIR/artifacts/TARGET/. The
# script exits 1 when any target failed.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-2}"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  read -r -a targets <<<"$(sed -n '/^set(CIVICDESK_FUZZ_TARGETS/,/)/p' "$root/fuzz/CMakeLists.txt" |
    tr -d '()' | sed 's/set//; s/CIVICDESK_FUZZ_TARGETS//' | tr '\n' ' ')"
fi

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
# -O1 with line tables: sanitizer reports name the line, and the build is about half the time of
# -O2 -g.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCIVICDESK_FUZZ=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" >/dev/null || exit 1
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}" || exit 1

# Caches system libraries keep for the process's life are not leaks (fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=()
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds=("$root/fuzz/corpus/$target")
  [ -d "$root/fuzz/regressions/$target" ] && seeds+=("$root/fuzz/regressions/$target")
  dictionary=()
  [ -f "$root/fuzz/dictionaries/$target.dict" ] && dictionary=(-dict="$root/fuzz/dictionaries/$target.dict")
  # libFuzzer's -timeout runs on SIGALRM, which (once in a few hundred inputs) left a connection
  # of the in-process server unanswered; http_request has its own 30 s deadline per answer.
  # An input of at most 64 KiB that allocates 512 MiB at once is a finding (the XLSX reader once
  # allocated whatever size an archive declared).
  timeout=60
  [ "$target" = http_request ] && timeout=0
  echo "fuzz: $target for ${seconds}s"
  if ! "$build/fuzz/fuzz_$target" "$corpus" "${seeds[@]}" "${dictionary[@]}" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$build/fuzz-$target.log" 2>&1; then
    echo "fuzz: $target FAILED — $build/fuzz-$target.log, input in $artifacts/"
    grep -m5 -E "ERROR|SUMMARY|runtime error|abort" "$build/fuzz-$target.log" || true
    failed+=("$target")
  else
    grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz-$target.log" | tail -1
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    "$build/fuzz/fuzz_$target" -merge=1 "$root/fuzz/corpus/$target" "$corpus" \
      >>"$build/fuzz-$target.log" 2>&1 || true
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
