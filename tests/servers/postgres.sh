# PostgreSQL 15 (Debian's postgresql) for the scale-out tests: its own cluster under
# $FOCUS_TEST_RUN_DIR, on 127.0.0.1 and a port of its own, run as the postgres OS user.
# Exports FOCUS_TEST_POSTGRES, an Npgsql connection string to the database `focus`.
# Sourced by test.sh; `start_postgres` / `stop_postgres` may also be sourced by a bench script.
#
# Run as a program, it starts and stops private servers, for a test that must stop its database without
# stopping the one the other tests share (PostgresCatalogOutageTests):
#   tests/servers/postgres.sh start DIR [PORT]   # initdb DIR on first use; prints the connection string
#   tests/servers/postgres.sh stop DIR           # fast shutdown of the server running from DIR
# shellcheck shell=bash

packages+=(postgresql)

postgres_bin=/usr/lib/postgresql/15/bin
postgres_pid=""

# start_postgres [DIR [PORT]]: DIR defaults to $FOCUS_TEST_RUN_DIR/postgres, PORT to a free one. A DIR that
# holds a cluster already is started again as it is (a restart keeps its databases).
start_postgres() {
  local dir="${1:-$FOCUS_TEST_RUN_DIR/postgres}"
  local port="${2:-}"
  [ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local fresh=0
  mkdir -p "$dir"
  chown postgres: "$dir"
  # The run dir is private (mktemp -d); the postgres user must be able to reach its folder.
  chmod o+x "$(dirname "$dir")"
  if [ ! -e "$dir/data/PG_VERSION" ]; then
    fresh=1
    runuser -u postgres -- "$postgres_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log"; return 1; }
  fi
  # Enough connections for 3 silos and 2 gateways (each an Npgsql pool) and the tests.
  runuser -u postgres -- "$postgres_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log"; return 1; }
  postgres_pid=$(head -1 "$dir/data/postmaster.pid")
  local tries=0
  until runuser -u postgres -- "$postgres_bin/pg_isready" -h 127.0.0.1 -p "$port" -q; do
    tries=$((tries + 1))
    [ $tries -lt 120 ] || { echo "postgres did not answer on 127.0.0.1:$port"; cat "$dir/server.log"; return 1; }
    sleep 0.5
  done
  [ $fresh = 0 ] || runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE focus" >/dev/null
  export FOCUS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=focus;Username=postgres;Password=postgres;Pooling=true;Maximum Pool Size=40"
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

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      [ -n "${2:-}" ] || { echo "usage: $0 start DIR [PORT]" >&2; exit 2; }
      start_postgres "$2" "${3:-}" >&2
      echo "$FOCUS_TEST_POSTGRES"
      ;;
    stop)
      [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
      [ -e "$2/data/postmaster.pid" ] || exit 0
      postgres_pid=$(head -1 "$2/data/postmaster.pid")
      stop_postgres
      ;;
    *)
      echo "usage: $0 start DIR [PORT] | stop DIR" >&2
      exit 2
      ;;
  esac
fi
