#!/usr/bin/env bash
# Fails when any C++ source differs from the Google style in .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h')
if [ "${#sources[@]}" -eq 0 ]; then
  echo "check-format: no sources found" >&2
  exit 1
fi
clang-format --dry-run --Werror "${sources[@]}"
echo "check-format: ${#sources[@]} files follow .clang-format"
