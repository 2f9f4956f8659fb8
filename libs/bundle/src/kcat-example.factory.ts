import { exampleGroupId } from './bundle.rules';
import type { BundleValues } from './bundle.types';
import { code } from './code-template.factory';

/** examples/kcat.sh: a bash wrapper around kcat with the bundle's certificates filled in. */
export function kcatExample(v: BundleValues): string {
  const group = exampleGroupId(v, 'kcat');
  return code`#!/usr/bin/env bash
# Logstream: prints the access-log lines of ${v.customerId} (topic ${v.topic}) with kcat.
# Made for credential ${v.credentialId} (principal ${v.principal}); see ../README.md.
set -euo pipefail

BOOTSTRAP='${v.bootstrap}'
TOPIC='${v.topic}'
GROUP_PREFIX='${v.groupPrefix}'
GROUP='${group}'
# The unzipped bundle folder, wherever it is and wherever this script is run from.
BUNDLE_DIR="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: examples/kcat.sh [options]
Prints every access-log line of ${v.topic} on stdout, one per line, as it arrives.

  --from-beginning   read again everything the topic still holds
  --from-time TIME   start at the first line logged at or after TIME: ISO 8601
                     (2025-01-31T12:00:00Z; without a zone, local time) or Unix epoch
                     milliseconds. Reads without a consumer group: kcat cannot move a
                     group to a time, so the group's position is left as it is.
  --group ID         consumer group (default ${group}); must start with "${v.groupPrefix}"
  --exit-at-end      exit once every partition is read to its end, instead of waiting
  --max-messages N   exit after N lines
  --topic NAME       topic to read (default ${v.topic}, the only one this credential reads)
  -h, --help         show this help
Without --from-beginning or --from-time the group carries on where it stopped; a new
group starts at the oldest line the topic holds.
USAGE
}

fail() { echo "kcat.sh: $*" >&2; exit 2; }

offset=''
from_time=''
# Only validated, space-free words go in here; it is expanded unquoted on purpose.
kcat_flags=''
while [ $# -gt 0 ]; do
  case "$1" in
    --from-beginning) offset=beginning; shift ;;
    --from-time) [ $# -ge 2 ] || fail "--from-time needs a time"; from_time="$2"; shift 2 ;;
    --group) [ $# -ge 2 ] || fail "--group needs a group id"; GROUP="$2"; shift 2 ;;
    --exit-at-end) kcat_flags="$kcat_flags -e"; shift ;;
    --max-messages)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]{0,17}$ ]] || fail "--max-messages needs a positive whole number"
      kcat_flags="$kcat_flags -c $2"; shift 2 ;;
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
  # shellcheck disable=SC2086
  exec kcat -b "$BOOTSTRAP" "\${tls[@]}" -C -t "$TOPIC" -o "s@$start_ms" -q -u -f '%s\n' $kcat_flags
fi
if [ -n "$offset" ]; then kcat_flags="$kcat_flags -o $offset"; fi
# shellcheck disable=SC2086
exec kcat -b "$BOOTSTRAP" "\${tls[@]}" -G "$GROUP" -X auto.offset.reset=earliest -q -u -f '%s\n' $kcat_flags "$TOPIC"
`;
}
