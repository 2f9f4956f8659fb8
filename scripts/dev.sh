#!/usr/bin/env bash
# The whole platform on this machine, in the foreground: `npm run dev`. Ctrl-C stops it all.
# Sets everything up first (as `npm run setup`), then starts the Kafka broker and the database
# and keeps them running until interrupted.
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

bash scripts/setup.sh
started_kafka=0
stop_all() {
  trap - INT TERM EXIT
  log "stopping"
  [ "$started_kafka" = 1 ] && bash scripts/kafka.sh stop
  exit 0
}
trap stop_all INT TERM EXIT
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then bash scripts/kafka.sh start; started_kafka=1; fi

cat <<MSG

Logstream is up:
  Kafka     127.0.0.1:19092 (PLAINTEXT, platform only), localhost:19094 (SSL, customers)
  Postgres  postgres://postgres@127.0.0.1:5432/logstream
  PKI       $PKI_DIR
Press Ctrl-C to stop.
MSG
while true; do sleep 3600 & wait $!; done
