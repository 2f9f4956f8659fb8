#!/usr/bin/env bash
# Fetches, starts and stops a real S3-compatible server (s3proxy, filesystem backend) on loopback.
#   scripts/s3.sh fetch     the jar from Maven Central (cached under .data/s3proxy/lib)
#   scripts/s3.sh start     listens on 127.0.0.1:$LOGSTREAM_S3_PORT (default 19600)
#   scripts/s3.sh stop      SIGTERM, then SIGKILL after 20 s
#   scripts/s3.sh status
#   scripts/s3.sh bucket NAME   creates a bucket (a folder of the filesystem backend)
# Objects land as plain files under .data/s3proxy/port-<port>/data/<bucket>/<key>.
# Access key and secret: $LOGSTREAM_S3_ACCESS_KEY / $LOGSTREAM_S3_SECRET_KEY
# (default logstream-dev / logstream-dev-secret).
source "$(dirname "$0")/common.sh"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }

S3_PORT="${LOGSTREAM_S3_PORT:-19600}"
S3_ACCESS_KEY="${LOGSTREAM_S3_ACCESS_KEY:-logstream-dev}"
S3_SECRET_KEY="${LOGSTREAM_S3_SECRET_KEY:-logstream-dev-secret}"
S3_LIB_DIR="$DATA_DIR/s3proxy/lib"
S3_DIR="$DATA_DIR/s3proxy/port-$S3_PORT"
JAR="$S3_LIB_DIR/s3proxy.jar"
cmd="${1:-}"

pid() { cat "$S3_DIR/s3proxy.pid" 2>/dev/null || true; }
alive() { local p; p=$(pid); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# Any HTTP answer means it listens (anonymous requests get 403).
answers() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" | grep -qv '^000$'; }

fetch() {
  local pom="$ROOT_DIR/infra/s3proxy/pom.xml" stamp="$S3_LIB_DIR/.pom.sha256"
  local want; want=$(sha256sum "$pom" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$JAR" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch s3proxy from Maven Central"
  local version; version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$pom")
  log "fetching s3proxy $version from Maven Central"
  rm -rf "$S3_LIB_DIR"; mkdir -p "$S3_LIB_DIR"
  mvn -q -B -f "$pom" dependency:copy \
    "-Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
    -DoutputDirectory="$S3_LIB_DIR" || die "mvn could not fetch s3proxy (see the lines above)"
  mv "$S3_LIB_DIR/s3proxy-$version-jar-with-dependencies.jar" "$JAR"
  echo "$want" > "$stamp"
}

start() {
  command -v java >/dev/null || die "java is needed to run s3proxy"
  fetch
  if alive; then log "s3proxy already running (pid $(pid), http://127.0.0.1:$S3_PORT)"; return 0; fi
  mkdir -p "$S3_DIR/data"
  sed -e "s|@PORT@|$S3_PORT|" -e "s|@IDENTITY@|$S3_ACCESS_KEY|" -e "s|@CREDENTIAL@|$S3_SECRET_KEY|" \
      -e "s|@BASEDIR@|$S3_DIR/data|" "$ROOT_DIR/infra/s3proxy/s3proxy.properties.tmpl" > "$S3_DIR/s3proxy.properties"
  (cd "$S3_DIR" && exec setsid java -Xms64m -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true \
     -jar "$JAR" --properties "$S3_DIR/s3proxy.properties" > "$S3_DIR/stdout.log" 2>&1 < /dev/null) &
  echo $! > "$S3_DIR/s3proxy.pid"
  local deadline=$((SECONDS + 60))
  until answers; do
    alive || die "s3proxy exited during start-up: $(tail -20 "$S3_DIR/stdout.log")"
    ((SECONDS < deadline)) || die "s3proxy not answering after 60s (see $S3_DIR/stdout.log)"
    sleep 0.3
  done
  log "s3proxy ready on http://127.0.0.1:$S3_PORT (pid $(pid)), objects under $S3_DIR/data"
}

stop() {
  alive || { rm -f "$S3_DIR/s3proxy.pid"; return 0; }
  local p; p=$(pid); kill -TERM "$p" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$p" 2>/dev/null; do
    if ((SECONDS >= deadline)); then kill -KILL "$p" 2>/dev/null || true; fi
    sleep 0.2
  done
  rm -f "$S3_DIR/s3proxy.pid"
  log "s3proxy stopped (port $S3_PORT)"
}

status() {
  if alive; then echo "s3proxy: running (pid $(pid), http://127.0.0.1:$S3_PORT)"; else echo "s3proxy: stopped"; return 1; fi
}

case "$cmd" in
  bucket) [ -n "${2:-}" ] || die "bucket needs a name"; mkdir -p "$S3_DIR/data/$2"; echo "$S3_DIR/data/$2" ;;
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
