#!/usr/bin/env bash
# The whole platform on this machine, in the foreground: `npm run dev`. Ctrl-C stops it all, as
# does SIGINT or SIGTERM to this script or to the `npm run dev` process (npm passes it on), and
# so does the end of the process that started it, or of any app.
#   npm run dev -- --clean   start from nothing: drop the dev database and the broker's data
#                            (both are kept between runs otherwise)
#   1. set-up (as `npm run setup`), the Kafka broker, the database and its migrations;
#   2. the provisioner, the control API and the health collector;
#   3. demo customers created and enabled through the API, a credentials bundle downloaded;
#   4. an edge producer fed by the synthetic traffic generator, so log lines flow;
#   5. the statistics aggregator (windows of 10 s and 1 min per customer);
#   6. an S3 server (s3proxy) and the archiver, archiving acme's lines into a local bucket.
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
# Explicit development mode: the API accepts the short development token on a loopback address
# only (LOGSTREAM_API_HOST stays 127.0.0.1); anywhere else it refuses to start without real tokens.
export LOGSTREAM_ENV="${LOGSTREAM_ENV:-development}"
KAFKA_PORT_BASE="${LOGSTREAM_KAFKA_PORT_BASE:-19092}"

clean=0
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (--clean, --help)" ;;
  esac
done

if [ "$clean" = 1 ]; then
  bash scripts/kafka.sh status >/dev/null 2>&1 && die "a broker runs on port base $KAFKA_PORT_BASE: stop it first (npm run kafka -- stop)"
  db_name="${LOGSTREAM_DATABASE_URL##*/}"; db_name="${db_name%%\?*}"
  log "--clean: dropping database $db_name and the broker's data ($DATA_DIR/kafka/cluster-$KAFKA_PORT_BASE)"
  psql "${LOGSTREAM_DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" ||
    die "could not drop database $db_name"
  rm -rf "$DATA_DIR/kafka/cluster-$KAFKA_PORT_BASE" "$LOG_DIR" "$DEMO_DIR"
fi

bash scripts/setup.sh
mkdir -p "$LOG_DIR" "$DEMO_DIR"
chmod 700 "$DEMO_DIR"

started_kafka=0
started_s3=0
source scripts/supervise.sh
# shellcheck disable=SC2317 # run by stop_all
on_stop() {
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop; fi
  if [ "$started_s3" = 1 ]; then bash scripts/s3.sh stop; fi
}
supervise_signals

if ! bash scripts/kafka.sh status >/dev/null 2>&1; then bash scripts/kafka.sh start; started_kafka=1; fi
if ! bash scripts/s3.sh status >/dev/null 2>&1; then bash scripts/s3.sh start; started_s3=1; fi
log "migrating the database"
npm run --silent migration:run >"$LOG_DIR/migrations.log" 2>&1 || die "migrations failed: see $LOG_DIR/migrations.log"

start_app() { # name, command...
  local name=$1; shift
  "$@" >>"$LOG_DIR/$name.log" 2>&1 &
  SUPERVISED_PIDS+=($!)
  log "$name started (pid $!, log $LOG_DIR/$name.log)"
}
start_app provisioner node dist/apps/provisioner/src/main.js
start_app control-api node dist/apps/control-api/src/main.js
# Delivery health per customer (lag, retention risk, lost lines) and alert webhooks; in
# development webhooks may reach loopback so a local receiver can be tried.
LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK=true start_app health-collector node dist/apps/health-collector/src/main.js
# Traffic statistics per customer (cdn-stats.<id> and the API's rollups), see docs/statistics.md.
start_app aggregator env LOGSTREAM_STATS_TOPIC_REFRESH_MS=5000 node dist/apps/aggregator/src/main.js
start_app archiver node dist/apps/archiver/src/main.js
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
  # The key and the keystore password stay readable by this user only.
  bash scripts/extract-bundle.sh "$DEMO_DIR/acme.zip" "$DEMO_DIR"
  chmod 600 "$DEMO_DIR/acme.zip"
  log "credentials bundle for acme in $bundle_dir"
fi

S3_PORT="${LOGSTREAM_S3_PORT:-19600}"
archive_dir=$(bash scripts/s3.sh bucket acme-archive)
code=$(api PUT /v1/customers/acme/archive "{\"endpoint\":\"http://127.0.0.1:$S3_PORT\",\"bucket\":\"acme-archive\",\"accessKeyId\":\"${LOGSTREAM_S3_ACCESS_KEY:-logstream-dev}\",\"secretAccessKey\":\"${LOGSTREAM_S3_SECRET_KEY:-logstream-dev-secret}\",\"flush\":{\"intervalSeconds\":30}}" | tail -1)
[ "$code" = 200 ] || die "setting acme's archive answered HTTP $code"
code=$(api POST /v1/customers/acme/archive/trust | tail -1)
[ "$code" = 200 ] || die "trusting acme's archive answered HTTP $code"
log "acme archived every 30 s into $archive_dir"

# A customer token for acme, so the panel can be tried as the customer would: written to a file
# only the owner reads, never printed (it is a secret like any customer's).
panel_token_file="$DEMO_DIR/acme-panel-token"
token_json=$(api POST /v1/customers/acme/tokens | head -1)
(umask 077 && printf '%s\n' "$token_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >"$panel_token_file") ||
  die "issuing acme's panel token failed"
log "panel token for acme in $panel_token_file"

customers_csv=$(IFS=,; echo "${DEMO_CUSTOMERS[*]}")
# Edge over SSL with its own certificate, as on a real edge node; the traffic includes 1% of
# lines for unknown customers, which the edge drops and counts.
node dist/apps/traffic-generator/src/main.js --customers "$customers_csv" --rate "$RATE" --unknown-share 0.01 \
  2>>"$LOG_DIR/traffic.log" |
  node dist/apps/edge-producer/src/main.js --source stdin \
    --brokers "localhost:$((${LOGSTREAM_KAFKA_PORT_BASE:-19092} + 2))" \
    --ca-file "$PKI_DIR/ca.pem" --cert-file "$PKI_DIR/edge.pem" --key-file "$PKI_DIR/edge.key" \
    --stats-interval-s 10 2>&1 | tee -a "$LOG_DIR/edge-producer.log" &
SUPERVISED_PIDS+=($!)

cat <<MSG

Logstream is running:
  control API   $API   (OpenAPI: $API/docs; admin token: $ADMIN_TOKEN)
  Kafka         127.0.0.1:${LOGSTREAM_KAFKA_PORT_BASE:-19092} (PLAINTEXT, platform), localhost:$((${LOGSTREAM_KAFKA_PORT_BASE:-19092} + 2)) (SSL, customers)
  traffic       $RATE lines/s over ${DEMO_CUSTOMERS[*]}, through the edge producer

The customer panel, as acme (switch streaming, credentials, live tail):
  $API/panel   sign in with the token in $panel_token_file
  (operators: sign in with the admin token, then pick a customer)

Watch acme's logs arrive, as the customer would (in another terminal):
  bash $bundle_dir/examples/kcat.sh

Ask the API:
  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' $API/v1/customers/acme/streaming

acme's archive (an object every 30 s, in a local S3 bucket served by s3proxy on 127.0.0.1:$S3_PORT):
  files:   find $archive_dir -name '*.log.gz'
  status:  curl -s -H 'Authorization: Bearer $ADMIN_TOKEN' $API/v1/customers/acme/archive

Press Ctrl-C to stop everything. The database and the broker's data are kept for the next
run; \`npm run dev -- --clean\` starts from nothing.
MSG
supervise
