#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 cluster on 127.0.0.1:54329 for the
# real-Postgres test run. Prints the DATABASE_URL to use. Needs Debian's postgresql-15.
set -euo pipefail
cmd=${1:-start}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
DATA=${MFC_PG_DATA:-/tmp/mfc-pg15}
PORT=${MFC_PG_PORT:-54329}
run_as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "$cmd" in
  start)
    [ -n "$PGBIN" ] || { echo "PostgreSQL server not installed (apt-get install -y postgresql)" >&2; exit 1; }
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
      run_as_pg "$PGBIN/initdb -D $DATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if ! run_as_pg "$PGBIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
      run_as_pg "$PGBIN/pg_ctl -D $DATA -l $DATA/server.log -w -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start" >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    run_as_pg "$PGBIN/pg_ctl -D $DATA -m fast stop" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
