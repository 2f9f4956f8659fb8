#!/usr/bin/env bash
# Fetches, starts and stops a real Apache Kafka (KRaft) broker or cluster on loopback.
#   scripts/kafka.sh fetch                      jars from Maven Central (cached under .data/kafka/lib)
#                                               and the quota callback's jar (infra/kafka-quota)
#   scripts/kafka.sh start [--brokers N] [--port-base P]
#   scripts/kafka.sh stop  [--port-base P]      SIGTERM, then wait for a clean shutdown
#   scripts/kafka.sh kill NODE [--port-base P]  SIGKILL one broker (fault tests)
#   scripts/kafka.sh status [--port-base P]
# Broker i (1-based) listens on PLAINTEXT P+100*(i-1), CONTROLLER +1, SSL +2.
source "$(dirname "$0")/common.sh"

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }

BROKERS=1
PORT_BASE="${LOGSTREAM_KAFKA_PORT_BASE:-19092}"
cmd="${1:-}"; [ $# -gt 0 ] && shift
node_arg=""
while [ $# -gt 0 ]; do
  case "$1" in
    --brokers) BROKERS="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) if [ "$cmd" = kill ] && [ -z "$node_arg" ]; then node_arg="$1"; shift; else die "unknown argument: $1"; fi ;;
  esac
done
[[ "$BROKERS" =~ ^[1-9]$ ]] || die "--brokers takes 1 to 9"
CLUSTER_DIR="$DATA_DIR/kafka/cluster-$PORT_BASE"

plain_port() { echo $((PORT_BASE + 100 * ($1 - 1))); }
pid_of() { cat "$CLUSTER_DIR/node-$1/kafka.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
nodes() {
  local d
  for d in "$CLUSTER_DIR"/node-*; do if [ -d "$d" ]; then echo "${d##*node-}"; fi; done | sort -n
}

# The Prometheus JMX exporter agent (infra/kafka/jmx-exporter.pom.xml, cached like Kafka's jars):
# broker i serves its per-topic byte counters on http://127.0.0.1:<its PLAINTEXT port + 9>/metrics.
JMX_EXPORTER_DIR="$DATA_DIR/kafka/jmx-exporter"
jmx_port() { echo $(( $(plain_port "$1") + 9 )); }
jmx_agent() { # node: prints the -javaagent option, fetching the agent the first time
  local pom="$ROOT_DIR/infra/kafka/jmx-exporter.pom.xml" stamp="$JMX_EXPORTER_DIR/.pom.sha256" want jar
  want=$(sha256sum "$pom" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    rm -rf "$JMX_EXPORTER_DIR"; mkdir -p "$JMX_EXPORTER_DIR"
    mvn -q -B -f "$pom" dependency:copy-dependencies -DexcludeTransitive=true \
      -DoutputDirectory="$JMX_EXPORTER_DIR" >&2 || die "mvn could not fetch the JMX exporter agent"
    echo "$want" > "$stamp"
  fi
  jar=$(ls "$JMX_EXPORTER_DIR"/jmx_prometheus_javaagent-*.jar)
  echo "-javaagent:$jar=127.0.0.1:$(jmx_port "$1"):$ROOT_DIR/infra/kafka/jmx-exporter.yml"
}

fetch() {
  local pom="$ROOT_DIR/infra/kafka/pom.xml" stamp="$KAFKA_LIB_DIR/.pom.sha256"
  local want; want=$(sha256sum "$pom" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Kafka from Maven Central"
  log "fetching Kafka $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom") from Maven Central"
  rm -rf "$KAFKA_LIB_DIR"; mkdir -p "$KAFKA_LIB_DIR"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIB_DIR" || die "mvn could not fetch Kafka (see the lines above)"
  echo "$want" > "$stamp"
}

# The customer quota callback (infra/kafka-quota, docs/local-kafka.md): built by Maven, rebuilt
# only when its sources change (the stamp is a sha of them).
build_quota_callback() {
  local src="$ROOT_DIR/infra/kafka-quota" stamp="$QUOTA_DIR/.src.sha256" want
  want=$(cd "$src" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$QUOTA_DIR/logstream-kafka-quota.jar" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to build the quota callback"
  log "building the customer quota callback (infra/kafka-quota)"
  rm -rf "$QUOTA_DIR"; mkdir -p "$QUOTA_DIR"
  mvn -q -B -Dstyle.color=never -f "$src/pom.xml" package -Dquota.build.dir="$QUOTA_DIR/build" \
    || die "mvn could not build infra/kafka-quota (see the lines above)"
  cp "$QUOTA_DIR/build/logstream-kafka-quota.jar" "$QUOTA_DIR/"
  echo "$want" > "$stamp"
}

render_config() { # node voters replication min_isr
  local n=$1 dir="$CLUSTER_DIR/node-$1" p; p=$(plain_port "$1")
  sed -e "s|@NODE_ID@|$n|" -e "s|@VOTERS@|$2|" \
      -e "s|@PLAIN_PORT@|$p|g" -e "s|@CONTROLLER_PORT@|$((p + 1))|g" -e "s|@SSL_PORT@|$((p + 2))|g" \
      -e "s|@LOG_DIRS@|$dir/data|" -e "s|@PKI_DIR@|$PKI_DIR|g" -e "s|@ADMIN_PRINCIPAL@|$ADMIN_PRINCIPAL|" \
      -e "s|@REPLICATION@|$3|g" -e "s|@MIN_ISR@|$4|g" \
      "$ROOT_DIR/infra/kafka/server.properties.tmpl" > "$dir/server.properties"
}

java_argv() { # node: sets JAVA_ARGV, the JVM command line for that broker's folder
  local dir="$CLUSTER_DIR/node-$1"
  JAVA_ARGV=(java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$ROOT_DIR/infra/kafka/log4j.properties" "-Dkafka.logs.dir=$dir"
    -cp "$KAFKA_LIB_DIR/*:$QUOTA_DIR/logstream-kafka-quota.jar")
}

ready() { # node: the broker answers metadata on its PLAINTEXT listener and sees all brokers
  local out; out=$(kcat -b "127.0.0.1:$(plain_port "$1")" -L -m 5 2>/dev/null) || return 1
  [ "$(grep -c '^  broker ' <<<"$out")" -ge "$2" ]
}

start() {
  command -v java >/dev/null || die "java is needed to run Kafka"
  command -v kcat >/dev/null || die "kcat is needed (npm run setup installs it)"
  [ -f "$PKI_DIR/broker.pem" ] || die "no broker certificate in $PKI_DIR (npm run setup makes it)"
  fetch
  build_quota_callback
  local existing; existing=$(nodes | wc -l)
  if [ "$existing" -gt 0 ] && [ "$existing" -ne "$BROKERS" ]; then
    die "$CLUSTER_DIR holds $existing broker(s), not $BROKERS: stop it and remove the folder first"
  fi
  local replication=1 min_isr=1 voters="" n
  if [ "$BROKERS" -ge 3 ]; then replication=3; min_isr=2; fi
  for n in $(seq 1 "$BROKERS"); do voters+="${voters:+,}$n@127.0.0.1:$(( $(plain_port "$n") + 1 ))"; done
  local cluster_id_file="$CLUSTER_DIR/cluster.id"
  mkdir -p "$CLUSTER_DIR"
  java_argv 1
  [ -f "$cluster_id_file" ] || "${JAVA_ARGV[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1 > "$cluster_id_file"
  for n in $(seq 1 "$BROKERS"); do
    local dir="$CLUSTER_DIR/node-$n"
    if alive "$n"; then log "broker $n already running (pid $(pid_of "$n"))"; continue; fi
    mkdir -p "$dir"
    render_config "$n" "$voters" "$replication" "$min_isr"
    java_argv "$n"
    if [ ! -f "$dir/data/meta.properties" ]; then
      "${JAVA_ARGV[@]}" kafka.tools.StorageTool format -t "$(cat "$cluster_id_file")" \
        -c "$dir/server.properties" --ignore-formatted > "$dir/format.log" 2>&1 \
        || die "formatting KRaft storage failed: $(tail -5 "$dir/format.log")"
    fi
    # Thousands of customer topics mean thousands of open segment files.
    ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    JAVA_ARGV+=("$(jmx_agent "$n")")
    (cd "$dir" && exec setsid "${JAVA_ARGV[@]}" kafka.Kafka "$dir/server.properties" > "$dir/stdout.log" 2>&1 < /dev/null) &
    echo $! > "$dir/kafka.pid"
    log "broker $n starting (pid $!, PLAINTEXT 127.0.0.1:$(plain_port "$n"), SSL localhost:$(( $(plain_port "$n") + 2 )))"
  done
  for n in $(seq 1 "$BROKERS"); do
    local deadline=$((SECONDS + 90))
    until ready "$n" "$BROKERS"; do
      alive "$n" || die "broker $n exited during start-up: $(tail -20 "$CLUSTER_DIR/node-$n/stdout.log" "$CLUSTER_DIR/node-$n/server.log" 2>/dev/null)"
      ((SECONDS < deadline)) || die "broker $n not ready after 90s (see $CLUSTER_DIR/node-$n/server.log)"
      sleep 0.5
    done
  done
  log "Kafka ready: $BROKERS broker(s), bootstrap 127.0.0.1:$PORT_BASE (PLAINTEXT), localhost:$((PORT_BASE + 2)) (SSL)"
}

stop() {
  local n pid
  for n in $(nodes); do
    alive "$n" || continue
    pid=$(pid_of "$n"); kill -TERM "$pid" 2>/dev/null || true
  done
  for n in $(nodes); do
    local deadline=$((SECONDS + 60))
    while alive "$n"; do
      if ((SECONDS >= deadline)); then log "broker $n did not stop in 60s; killing it"; kill -KILL "$(pid_of "$n")" 2>/dev/null || true; fi
      sleep 0.3
    done
    rm -f "$CLUSTER_DIR/node-$n/kafka.pid"
  done
  log "Kafka stopped ($CLUSTER_DIR)"
}

status() {
  local n any=1
  for n in $(nodes); do
    if alive "$n"; then echo "broker $n: running (pid $(pid_of "$n"), PLAINTEXT 127.0.0.1:$(plain_port "$n"))"; any=0
    else echo "broker $n: stopped"; fi
  done
  return $any
}

case "$cmd" in
  fetch) fetch; build_quota_callback ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) [ -n "$node_arg" ] || die "kill needs a broker number"; alive "$node_arg" || die "broker $node_arg is not running"
        kill -KILL "$(pid_of "$node_arg")"; log "broker $node_arg killed" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
