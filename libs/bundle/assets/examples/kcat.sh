#!/usr/bin/env bash
# Logstream: prints the access-log lines of this bundle's customer with kcat.
# The topic, servers and group prefix come from ../client.properties; see ../README.md.
set -euo pipefail

# The unzipped bundle folder, wherever it is and wherever this script is run from.
BUNDLE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
SETTINGS="$BUNDLE_DIR/client.properties"

fail() { echo "kcat.sh: $*" >&2; exit 2; }

# The value of $1 in client.properties: one of its keys, or of the "#@ name=value" lines
# Logstream writes there for the examples (Java reads those as comments).
setting() {
  local line value=''
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "$1="*) value="${line#"$1="}" ;;
      "#@ $1="*) value="${line#"#@ $1="}" ;;
    esac
  done <"$SETTINGS"
  [ -n "$value" ] || { echo "kcat.sh: $1 is missing from $SETTINGS" >&2; exit 1; }
  printf '%s\n' "$value"
}
[ -r "$SETTINGS" ] || { echo "kcat.sh: cannot read the bundle settings $SETTINGS" >&2; exit 1; }
BOOTSTRAP="$(setting bootstrap.servers)"
TOPIC="$(setting topic)"
GROUP_PREFIX="$(setting group.prefix)"
GROUP="${GROUP_PREFIX}kcat"

usage() {
  cat <<USAGE
Usage: examples/kcat.sh [options]
Prints every access-log line of $TOPIC on stdout, one per line, as it arrives.

  --from-beginning   read again everything the topic still holds
  --from-time TIME   start at the first line logged at or after TIME: ISO 8601
                     (2025-01-31T12:00:00Z; without a zone, local time) or Unix epoch
                     milliseconds. Reads without a consumer group: kcat cannot move a
                     group to a time, so the group's position is left as it is.
  --group ID         consumer group (default $GROUP); must start with "$GROUP_PREFIX"
  --exit-at-end      exit once every partition is read to its end, instead of waiting
  --max-messages N   exit after N lines
  --topic NAME       topic to read (default $TOPIC, the only one this credential reads)
  -h, --help         show this help
Without --from-beginning or --from-time the group carries on where it stopped; a new
group starts at the oldest line the topic holds.
USAGE
}

offset=''
from_time=''
kcat_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --from-beginning) offset=beginning; shift ;;
    --from-time) [ $# -ge 2 ] || fail "--from-time needs a time"; from_time="$2"; shift 2 ;;
    --group) [ $# -ge 2 ] || fail "--group needs a group id"; GROUP="$2"; shift 2 ;;
    --exit-at-end) kcat_flags+=(-e); shift ;;
    --max-messages)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]{0,17}$ ]] || fail "--max-messages needs a positive whole number"
      kcat_flags+=(-c "$2"); shift 2 ;;
    --topic) [ $# -ge 2 ] || fail "--topic needs a topic name"; TOPIC="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done
if [ -n "$offset" ] && [ -n "$from_time" ]; then fail "--from-beginning and --from-time exclude each other"; fi
case "$GROUP" in
  "$GROUP_PREFIX"?*) ;;
  *) fail "the group id must start with '$GROUP_PREFIX' (got '$GROUP')" ;;
esac
command -v kcat >/dev/null || { echo "kcat.sh: kcat is not installed (Debian/Ubuntu: apt install kcat; macOS: brew install kcat)" >&2; exit 1; }

tls=(-X security.protocol=ssl
  -X "ssl.ca.location=$BUNDLE_DIR/ca.pem"
  -X "ssl.certificate.location=$BUNDLE_DIR/client.pem"
  -X "ssl.key.location=$BUNDLE_DIR/client.key")

if [ -n "$from_time" ]; then
  if [[ "$from_time" =~ ^[0-9]+$ ]]; then
    start_ms="$from_time"
  else
    # GNU date reads ISO 8601; elsewhere give epoch milliseconds.
    start_ms="$(date -d "$from_time" +%s%3N 2>/dev/null || true)"
    [[ "$start_ms" =~ ^[0-9]+$ ]] || fail "cannot read the time '$from_time': give ISO 8601 (2025-01-31T12:00:00Z) or epoch milliseconds"
  fi
  exec kcat -b "$BOOTSTRAP" "${tls[@]}" -C -t "$TOPIC" -o "s@$start_ms" -q -u -f '%s\n' "${kcat_flags[@]}"
fi
if [ -n "$offset" ]; then kcat_flags+=(-o "$offset"); fi
exec kcat -b "$BOOTSTRAP" "${tls[@]}" -G "$GROUP" -X auto.offset.reset=earliest -q -u -f '%s\n' "${kcat_flags[@]}" "$TOPIC"
