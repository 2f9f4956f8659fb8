#!/usr/bin/env bash
# Installs and prepares everything the platform and its tests need, idempotently:
# Debian packages, npm dependencies, the build, the development PKI, the Kafka and s3proxy jars
# and the database. Safe to run again; each step skips what is already done.
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

# Headers and libraries first: node-rdkafka compiles librdkafka against them during npm ci.
# unzip, openssl and keytool (with the JRE) check the credentials bundle as a customer would.
packages=(kcat python3-confluent-kafka python3-yaml unzip openssl libssl-dev libzstd-dev liblz4-dev)
# prometheus brings promtool, which checks the health collector's metrics in a test.
packages+=(prometheus)
# npm test lints the shell and Python the bundle ships, and scripts/*.sh (npm run lint:shipped).
packages+=(shellcheck pyflakes3)
# The edge producer's Varnish test runs a real varnishd and varnishncsa, and sends requests with curl.
packages+=(varnish curl)
# The panel's browser tests drive Debian's Chromium through playwright-core (never a download).
packages+=(chromium)
# zstd: the archive tests read zstd objects with Debian's zstd -d.
packages+=(zstd)
command -v java >/dev/null || packages+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || packages+=(maven)
command -v g++ >/dev/null || packages+=(g++)
command -v make >/dev/null || packages+=(make)
# The control API's database-outage test runs a private PostgreSQL server it can stop.
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || packages+=(postgresql)
bash scripts/apt.sh "${packages[@]}"

# node-gyp must not download Node headers (only package registries are reachable); use the
# system's when they are there.
if [ -f /usr/include/node/node.h ] && [ -z "${npm_config_nodedir:-}" ]; then export npm_config_nodedir=/usr; fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (node-rdkafka builds librdkafka: a few minutes the first time)"
  npm ci --no-fund --no-audit --loglevel=error
fi
node -e "require('node-rdkafka')" 2>/dev/null || die "node-rdkafka did not build; rerun 'npm ci' and read its output"
# The edge producer's hot path is a small C addon on node-rdkafka's librdkafka.
bash scripts/build-native.sh

log "building"
npm run --silent build

node dist/libs/pki/src/dev-pki.cli.js
bash scripts/kafka.sh fetch
bash scripts/s3.sh fetch
bash scripts/postgres.sh ensure
log "setup done"
