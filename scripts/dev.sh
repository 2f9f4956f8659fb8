#!/usr/bin/env bash
# The whole platform on this machine, in the foreground: `npm run dev`. Ctrl-C stops it all.
#   1. set-up (as `npm run setup`), the Kafka broker, the database and its migrations;
#   2. the provisioner, the control API and the health collector;
#   3. demo customers created and enabled through the API, a credentials bundle downloaded;
#   4. an edge producer fed by the synthetic traffic generator, so log lines flow.
# Logs of each app: .data/logs/<app>.log. Environment: LOGSTREAM_DEV_RATE (lines/s, default 200).
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

API_PORT="${LOGSTREAM_API_PORT:-8080}"
API="http://127.0.0.1:$API_PORT"
ADMIN_TOKEN="${LOGSTREAM_DEV_ADMIN_TOKEN:-logstream-dev-admin-token}"
RATE="${LOGSTREAM_DEV_RATE:-200}"
DEMO_CUSTOMERS=(acme globex initech umbrella hooli)
LOG_DIR="$DATA_DIR/logs"
DEMO_DIR="$DATA_DIR/demo"
export LOGSTREAM_DATABASE_URL="${LOGSTREAM_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logstream}"
export LOGSTREAM_ADMIN_TOKENS="$ADMIN_TOKEN"

bash scripts/setup.sh
mkdir -p "$LOG_DIR" "$DEMO_DIR"

started_kafka=0
pids=()
stop_all() {
  trap - INT TERM EXIT
  log "stopping"
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop; fi
  exit 0
}
trap stop_all INT TERM EXIT

if ! bash scripts/kafka.sh status >/dev/null 2>&1; then bash scripts/kafka.sh start; started_kafka=1; fi
log "migrating the database"
npm run --silent migration:run >"$LOG_DIR/migrations.log" 2>&1 || die "migrations failed: see $LOG_DIR/migrations.log"

start_app() { # name, command...
  local name=$1; shift
  "$@" >>"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
  log "$name started (pid $!, log $LOG_DIR/$name.log)"
}
start_app provisioner node dist/apps/provisioner/src/main.js
start_app control-api node dist/apps/control-api/src/main.js
# Delivery health per customer (lag, retention risk, lost lines) and alert webhooks; in
# development webhooks may reach loopback so a local receiver can be tried.
LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK=true start_app health-collector node dist/apps/health-collector/src/main.js
wait_for 60 "the control API on $API" curl -sf "$API/healthz"

api() { # method path [json]
  curl -sS -X "$1" "$API$2" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \
    ${3:+--data "$3"} -w '\n%{http_code}'
}
for c in "${DEMO_CUSTOMERS[@]}"; do
  code=$(api POST /v1/customers "{\"id\":\"$c\",\"name\":\"$c (demo)\"}" | tail -1)
  [ "$code" = 201 ] || [ "$code" = 409 ] || die "creating demo customer $c answered HTTP $code"
  code=$(api PUT "/v1/customers/$c/streaming" '{"enabled":true}' | tail -1)
  [ "$code" = 202 ] || die "enabling $c answered HTTP $code"
done
active() { api GET /v1/customers/acme/streaming | head -1 | grep -q '"state":"active"'; }
wait_for 60 "demo customer acme to be active" active
log "demo customers active: ${DEMO_CUSTOMERS[*]}"

bundle_dir="$DEMO_DIR/acme-logstream"
if [ ! -f "$bundle_dir/examples/kcat.sh" ]; then
  curl -sSf -X POST "$API/v1/customers/acme/credentials" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -o "$DEMO_DIR/acme.zip" || die "downloading acme's credentials bundle failed"
  rm -rf "$bundle_dir"
  python3 -m zipfile -e "$DEMO_DIR/acme.zip" "$DEMO_DIR"
  chmod +x "$bundle_dir"/examples/*.sh 2>/dev/null || true
  log "credentials bundle for acme in $bundle_dir"
fi

customers_csv=$(IFS=,; echo "${DEMO_CUSTOMERS[*]}")
# Edge over SSL with its own certificate, as on a real edge node; the traffic includes 1% of
# lines for unknown customers, which the edge drops and counts.
node dist/apps/traffic-generator/src/main.js --customers "$customers_csv" --rate "$RATE" --unknown-share 0.01 \
  2>>"$LOG_DIR/traffic.log" |
  node dist/apps/edge-producer/src/main.js --source stdin \
    --brokers "localhost:$((${LOGSTREAM_KAFKA_PORT_BASE:-19092} + 2))" \
    --ca-file "$PKI_DIR/ca.pem" --cert-file "$PKI_DIR/edge.pem" --key-file "$PKI_DIR/edge.key" \
    --stats-interval-s 10 2>&1 | tee -a "$LOG_DIR/edge-producer.log" &
pids+=($!)

cat <<MSG

Logstream is running:
  control API   $API   (OpenAPI: $API/docs; admin token: $ADMIN_TOKEN)
  Kafka         127.0.0.1:${LOGSTREAM_KAFKA_PORT_BASE:-19092} (PLAINTEXT, platform), localhost:$((${LOGSTREAM_KAFKA_PORT_BASE:-19092} + 2)) (SSL, customers)
  traffic       $RATE lines/s over ${DEMO_CUSTOMERS[*]}, through the edge producer

Watch acme's logs arrive, as the customer would (in another terminal):
  bash $bundle_dir/examples/kcat.sh

Ask the API:
  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' $API/v1/customers/acme/streaming

Press Ctrl-C to stop everything.
MSG
while true; do sleep 3600 & wait $! || true; done
