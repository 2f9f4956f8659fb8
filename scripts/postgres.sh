#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers and the project's database exists.
#   scripts/postgres.sh ensure   use the server on PGHOST:PGPORT (default 127.0.0.1:5432) when
#                                it answers; otherwise start a private cluster under .data/postgres
#   scripts/postgres.sh stop     stop the private cluster (never a server the project did not start)
source "$(dirname "$0")/common.sh"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DATABASES=(logstream logstream_test)
PG_DIR="$DATA_DIR/postgres"

pg_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_private() {
  local bin; bin=$(pg_bin)
  if [ -z "$bin" ]; then
    log "no PostgreSQL found; installing Debian's postgresql"
    bash "$ROOT_DIR/scripts/apt.sh" postgresql
    bin=$(pg_bin)
  fi
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  log "starting a private PostgreSQL in $PG_DIR on $PGHOST:$PGPORT"
  as_postgres "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=$PGHOST -p $PGPORT -k /tmp" start >/dev/null
}

ensure() {
  command -v pg_isready >/dev/null || bash "$ROOT_DIR/scripts/apt.sh" postgresql-client
  pg_isready -q || start_private
  wait_for 30 "PostgreSQL on $PGHOST:$PGPORT" pg_isready -q
  local db
  for db in "${DATABASES[@]}"; do
    if [ -z "$(psql -d postgres -Atc "select 1 from pg_database where datname = '$db'")" ]; then
      createdb "$db" && log "created database $db"
    fi
  done
}

stop() {
  local bin; bin=$(pg_bin)
  if [ -f "$PG_DIR/postmaster.pid" ] && [ -n "$bin" ]; then as_postgres "$bin/pg_ctl" -D "$PG_DIR" -m fast stop; fi
}

case "${1:-}" in
  ensure) ensure ;;
  stop) stop ;;
  *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
