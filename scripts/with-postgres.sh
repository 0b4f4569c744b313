#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster: initdb in a temporary directory as an
# unprivileged user, a free port on 127.0.0.1, and CIVICDESK_TEST_POSTGRES_URL pointing at it.
# The cluster and its directory are removed when the command ends, whatever its outcome.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

pg_bin=/usr/lib/postgresql/15/bin
if [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: PostgreSQL 15 is not installed (scripts/install-deps.sh test installs it)" >&2
  exit 1
fi

run_as=()
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  owner=civicdesk-pgtest
  if ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  run_as=(runuser -u "$owner" --)
fi

cluster_dir="$(mktemp -d /tmp/civicdesk-pg.XXXXXX)"
chmod 755 "$cluster_dir"
chown "$owner" "$cluster_dir"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if port_is_free "$candidate"; then port="$candidate"; break; fi
done
if [ -z "$port" ]; then
  echo "with-postgres: no free port found" >&2
  exit 1
fi

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster_dir"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$cluster_dir/data" -U civicdesk --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$cluster_dir/initdb.log" 2>&1 || { cat "$cluster_dir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster_dir -c fsync=off -c max_connections=200" \
  start >/dev/null || { cat "$cluster_dir/server.log" >&2; exit 1; }
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U civicdesk civicdesk_test

export CIVICDESK_TEST_POSTGRES_URL="postgresql://civicdesk@127.0.0.1:$port/civicdesk_test"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (data in $cluster_dir)"
"$@"
