#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 server with the `hll` extension for the interop tests
# (tests/interop). It listens on 127.0.0.1 only, on its own port, with its own data directory
# under /tmp, and trusts one test role on 127.0.0.1. Nothing of the machine's own clusters is
# touched. Idempotent: a second run finds the server running and only re-checks it.
#
#   eval "$(bash .ci/pg-start.sh)"    # starts it and exports REACHTREE_PG_URL in this shell
#   bash .ci/pg-stop.sh               # stops it and deletes its data directory
#
# Progress goes to stderr; stdout carries only the `export REACHTREE_PG_URL=…` line (so the
# script is never sourced: `set -e` must not leak into an interactive shell).
#
# Settings (environment): REACHTREE_PG_PORT (default 54329), REACHTREE_PG_DIR (default
# /tmp/reachtree-pg-<port>), REACHTREE_PG_BIN (default /usr/lib/postgresql/15/bin).
# As root it installs the Debian packages postgresql-15 and postgresql-15-hll when missing and
# runs the server as the `postgres` user; as any other user it runs the server as that user and
# asks for the packages instead of installing them.
set -euo pipefail

port="${REACHTREE_PG_PORT:-54329}"
base="${REACHTREE_PG_DIR:-/tmp/reachtree-pg-$port}"
bin="${REACHTREE_PG_BIN:-/usr/lib/postgresql/15/bin}"
data="$base/data"
sock="$base/sock"
log="$base/server.log"
role=reachtree
db=reachtree
url="postgres://$role@127.0.0.1:$port/$db"
packages=(postgresql-15 postgresql-15-hll)
cd /   # the postgres user may not be allowed into the caller's directory

say() { printf 'pg-start: %s\n' "$*" >&2; }
die() { printf 'pg-start: error: %s\n' "$*" >&2; exit 1; }

# --- packages -------------------------------------------------------------------------------
have_server() {
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_config" ] && [ -f "$("$bin/pg_config" --sharedir)/extension/hll.control" ]
}
if ! have_server; then
  [ "$(id -u)" -eq 0 ] || die "no PostgreSQL 15 with the hll extension in $bin (sudo apt-get install ${packages[*]}, or set REACHTREE_PG_BIN)"
  # only what is missing: apt-get install of an installed package would upgrade it
  missing=()
  for p in "${packages[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  say "installing ${missing[*]} (apt-get update, apt-get install)"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp)"
  # dpkg's progress lines are noise on success and the story on failure
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1 </dev/null \
    || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get failed"; }
  rm -f "$apt_log"
  have_server || die "PostgreSQL 15 with hll is still missing in $bin after installing ${missing[*]}"
fi

# --- who runs the server ----------------------------------------------------------------------
# PostgreSQL refuses to run as root, so root hands the server to the `postgres` system user.
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi
psql_admin() { PGOPTIONS='-c client_min_messages=warning' as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres "$@" >&2; }

# --- cluster --------------------------------------------------------------------------------
if as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
  say "server already running in $data (port $port)"
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is taken by another program (set REACHTREE_PG_PORT)"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a throw-away cluster in $data"
    mkdir -p "$base"
    chmod 0700 "$base"
    [ "$(id -u)" -eq 0 ] && chown "$owner:" "$base"
    as_owner mkdir -p "$sock"
    as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale --auth=trust >"$base/initdb.log" 2>&1 \
      || { cat "$base/initdb.log" >&2; die "initdb failed"; }
    # The socket lives in a directory only the owner can enter; on TCP only the test role
    # from 127.0.0.1 gets in (trust: a local throw-away server).
    as_owner tee "$data/pg_hba.conf" >/dev/null <<EOF
local all     postgres                 trust
host  $db $role     127.0.0.1/32    trust
EOF
    # Durability is pointless for a cluster deleted after the run: skip the fsyncs.
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  say "starting PostgreSQL on 127.0.0.1:$port (log: $log)"
  as_owner "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null \
    || { tail -n 20 "$log" >&2 || true; die "the server did not start"; }
fi

# --- role, database, extension (idempotent) ---------------------------------------------------
psql_admin -d postgres <<EOF
SELECT 'CREATE ROLE $role LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') \gexec
SELECT 'CREATE DATABASE $db OWNER $role ENCODING ''UTF8'' TEMPLATE template0' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \gexec
EOF
psql_admin -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS hll'

# The check the tests rely on: the test role reaches the extension over TCP.
version="$("$bin/psql" -X -At "$url" -c "SELECT extversion FROM pg_extension WHERE extname = 'hll'" 2>&1)" \
  || die "cannot use $url: $version"
say "ready: $url (hll $version)"
printf 'export REACHTREE_PG_URL=%q\n' "$url"
