#!/usr/bin/env bash
# The whole test suite, as the README's test command and CI run it:
#   npm test                  setup, build, lint (also of the shipped shell, Python and JavaScript),
#                             format check, then unit + integration + e2e suites
#   npm test -- unit          build, then one suite: unit | integration | e2e (no lint)
# Starts the Kafka broker it needs (port base 19492 unless LOGSTREAM_KAFKA_PORT_BASE is set) and
# the S3 server (s3proxy, port LOGSTREAM_S3_PORT, default port base + 600), and stops what it
# started; uses the database logstream_test and scratch databases.
# Leaves what the specs measured in .data/test-output/ (`npm run docs:tests` makes docs of it).
# Ends with node's test summary and a plain "N passed, N failed" line.
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

suite="${1:-all}"
case "$suite" in all|unit|integration|e2e) ;; *) die "unknown suite '$suite' (all, unit, integration, e2e)" ;; esac

# Tests get a broker of their own, so `npm test` never meets the one `npm run dev` runs (whose
# provisioner would rightly remove ACLs it does not know of).
export LOGSTREAM_KAFKA_PORT_BASE="${LOGSTREAM_KAFKA_PORT_BASE:-19492}"
export LOGSTREAM_DATABASE_URL="${LOGSTREAM_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logstream_test}"
# The archive tests' S3 server (s3proxy), beside the tests' broker.
export LOGSTREAM_S3_PORT="${LOGSTREAM_S3_PORT:-$((LOGSTREAM_KAFKA_PORT_BASE + 600))}"

# What is tested is what the build below compiles: the commit, and whether files differed from it.
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain 2>/dev/null)" ] || commit="$commit with uncommitted changes"

[ "${LOGSTREAM_SKIP_SETUP:-}" = 1 ] || bash scripts/setup.sh
# Always: what runs is what is checked out (tsc is incremental, so this takes seconds when little
# changed), and the build removes what a deleted source had compiled to.
npm run --silent build

if [ "$suite" = all ]; then
  log "lint and format"
  npm run --silent lint
  npm run --silent lint:shipped
  npm run --silent format:check
fi

files=()
collect() { while IFS= read -r f; do files+=("$f"); done < <(find "$@" -name '*.spec.js' 2>/dev/null | sort); }
case "$suite" in
  unit) collect dist/libs dist/apps dist/bench dist/test/support ;;
  integration) collect dist/test/integration ;;
  e2e) collect dist/test/e2e ;;
  all) collect dist/libs dist/apps dist/bench dist/test/support; collect dist/test/integration; collect dist/test/e2e ;;
esac
[ ${#files[@]} -gt 0 ] || die "no test files found for suite '$suite' (is the build up to date?)"

started_kafka=0
started_s3=0
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop || true; fi
  if [ "$started_s3" = 1 ]; then bash scripts/s3.sh stop || true; fi
}
trap cleanup EXIT
if [ "$suite" != unit ]; then
  if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    bash scripts/kafka.sh start
    started_kafka=1
  fi
  if ! bash scripts/s3.sh status >/dev/null 2>&1; then
    bash scripts/s3.sh start
    started_s3=1
  fi
fi

# What this run measures (figures, screenshots) for `npm run docs:tests`: one run at a time.
output="$DATA_DIR/test-output"
rm -rf "$output"
mkdir -p "$output"

tap="$(mktemp)"
set +e
node --enable-source-maps --test --test-concurrency=1 --test-timeout=300000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${files[@]}"
status=$?
set -e
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)
# A test cancelled because its hook failed did not pass either.
cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -1)
failed=$(( ${failed:-0} + ${cancelled:-0} ))
rm -f "$tap"
printf '{"suite":"%s","passed":%d,"failed":%d,"commit":"%s","finishedAt":"%s"}\n' \
  "$suite" "${passed:-0}" "${failed:-0}" "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$output/summary.json"
echo "${passed:-0} passed, ${failed:-0} failed"
exit $status
