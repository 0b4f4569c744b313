#!/bin/sh
# check_report.sh GOLDEN COMMAND... — runs COMMAND (a `civicdesk … import FILE --dry-run …`)
# and compares what it prints on stdout (the import report) with GOLDEN. Fails when the
# command fails or the report differs. With UPDATE_GOLDEN=1 the golden is (re)written instead:
# read the diff before committing it.
set -u
golden=$1
shift
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
if ! "$@" >"$actual"; then
  echo "check_report: the import failed: $*" >&2
  exit 1
fi
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$actual" "$golden"
  echo "check_report: wrote $golden" >&2
  exit 0
fi
if ! diff -u "$golden" "$actual"; then
  echo "check_report: the report differs from $golden (UPDATE_GOLDEN=1 rewrites it)" >&2
  exit 1
fi
