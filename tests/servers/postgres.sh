# PostgreSQL 15 (Debian's postgresql) for the scale-out tests: its own cluster under
# $FOCUS_TEST_RUN_DIR, on 127.0.0.1 and a port of its own, run as the postgres OS user.
# Exports FOCUS_TEST_POSTGRES, an Npgsql connection string to the database `focus`.
# Sourced by test.sh; `start_postgres` / `stop_postgres` may also be sourced by a bench script.
#
# A test that stops PostgreSQL (tests/Focus.IntegrationTests/Faults, PostgresCatalogOutageTests) must not stop the one every
# other test shares: it runs one of its own, in a folder and on a port it chooses, through this script run as a
# command (as root):
#   bash tests/servers/postgres.sh start DIR [PORT]      initdb on first use (PORT: a free one if not given), start, wait, database `focus`;
#                                                       synchronous_commit on: an immediate stop loses no acknowledged commit
#   bash tests/servers/postgres.sh stop DIR [MODE]       pg_ctl stop -m MODE: fast (default), or immediate (a crash)
# `start` prints the connection string. A second `start` of the same DIR restarts it on its data, same port.
# shellcheck shell=bash

packages+=(postgresql)

postgres_bin=/usr/lib/postgresql/15/bin
postgres_pid=""

# start_postgres_at DIR PORT [SYNCHRONOUS_COMMIT]: starts (initdb'ing DIR on first use) a server on 127.0.0.1:PORT
# with the database `focus`, and waits until it answers; leaves its PID in postgres_pid and its connection string in
# postgres_url. synchronous_commit is off unless asked (fast; a crash may lose the last commits it acknowledged).
start_postgres_at() {
  local dir="$1" port="$2" synchronous_commit="${3:-off}"
  mkdir -p "$dir"
  chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    runuser -u postgres -- "$postgres_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log"; return 1; }
  fi
  # Enough connections for 3 silos and 2 gateways (each an Npgsql pool) and the tests.
  runuser -u postgres -- "$postgres_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=$synchronous_commit -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log"; return 1; }
  postgres_pid=$(head -1 "$dir/data/postmaster.pid")
  local tries=0
  until runuser -u postgres -- "$postgres_bin/pg_isready" -h 127.0.0.1 -p "$port" -q; do
    tries=$((tries + 1))
    [ $tries -lt 120 ] || { echo "postgres did not answer on 127.0.0.1:$port"; cat "$dir/server.log"; return 1; }
    sleep 0.5
  done
  if [ -z "$(runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -tAq -c "SELECT 1 FROM pg_database WHERE datname = 'focus'")" ]; then
    runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE focus" >/dev/null
  fi
  postgres_url="Host=127.0.0.1;Port=$port;Database=focus;Username=postgres;Password=postgres;Pooling=true;Maximum Pool Size=40"
}

# stop_postgres_at DIR [MODE]: pg_ctl stop -m MODE (fast: connections closed, a checkpoint; immediate: as a crash).
stop_postgres_at() {
  local dir="$1" mode="${2:-fast}"
  [ -f "$dir/data/postmaster.pid" ] || return 0
  runuser -u postgres -- "$postgres_bin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
}

start_postgres() {
  local dir="$FOCUS_TEST_RUN_DIR/postgres"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # The run dir is private (mktemp -d); the postgres user must be able to reach its folder.
  chmod o+x "$FOCUS_TEST_RUN_DIR"
  start_postgres_at "$dir" "$port" || return 1
  export FOCUS_TEST_POSTGRES="$postgres_url"
  echo "postgres: pid $postgres_pid on 127.0.0.1:$port ($dir)"
}

stop_postgres() {
  [ -n "$postgres_pid" ] || return 0
  kill -INT "$postgres_pid" 2>/dev/null || true   # fast shutdown
  local tries=0
  while kill -0 "$postgres_pid" 2>/dev/null && [ $tries -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  kill -KILL "$postgres_pid" 2>/dev/null || true
  postgres_pid=""
}

# Run as a command rather than sourced: a private server for one test.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) [ $# -ge 2 ] || { echo "usage: $0 start DIR [PORT]" >&2; exit 2; }
      port="${3:-}"
      [ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      # The folder's parent may be private (mktemp -d): the postgres user must be able to reach the folder.
      mkdir -p "$2"; chmod o+x "$(dirname "$2")"
      # A server a test crashes keeps every commit it acknowledged, as production's does (fsync stays off: the
      # machine itself does not crash).
      start_postgres_at "$2" "$port" on >&2; echo "$postgres_url" ;;
    stop) [ $# -ge 2 ] || { echo "usage: $0 stop DIR [fast|immediate]" >&2; exit 2; }
      stop_postgres_at "$2" "${3:-fast}" ;;
    *) echo "usage: $0 start DIR [PORT] | stop DIR [fast|immediate]" >&2; exit 2 ;;
  esac
fi
