#!/usr/bin/env bash
# Stops the throw-away server of .ci/pg-start.sh and deletes its directory (same settings:
# REACHTREE_PG_PORT, REACHTREE_PG_DIR, REACHTREE_PG_BIN). Safe to run when nothing runs.
# REACHTREE_PG_KEEP=1 keeps the data directory and log for a post-mortem.
set -euo pipefail

port="${REACHTREE_PG_PORT:-54329}"
base="${REACHTREE_PG_DIR:-/tmp/reachtree-pg-$port}"
bin="${REACHTREE_PG_BIN:-/usr/lib/postgresql/15/bin}"
data="$base/data"
cd /   # the postgres user may not be allowed into the caller's directory

say() { printf 'pg-stop: %s\n' "$*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if [ -x "$bin/pg_ctl" ] && [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
  say "stopping the server in $data"
  as_owner "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
fi
if [ "${REACHTREE_PG_KEEP:-0}" = 1 ]; then
  say "kept $base"
elif [ -d "$base" ]; then
  # Only what pg-start.sh created: REACHTREE_PG_DIR may point somewhere a user cares about.
  rm -rf -- "$data" "$base/sock" "$base/server.log" "$base/initdb.log"
  rmdir -- "$base" 2>/dev/null || say "left $base (it holds other files)"
fi
