# shellcheck shell=bash disable=SC2034 # its variables are read by the scripts that source it
# Shared settings for the project's shell scripts. Sourced, never run.
# Every default can be overridden from the environment; the Node apps read the same names
# through libs/config.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${LOGSTREAM_DATA_DIR:-$ROOT_DIR/.data}"
PKI_DIR="${LOGSTREAM_PKI_DIR:-$DATA_DIR/pki}"
KAFKA_LIB_DIR="$DATA_DIR/kafka/lib"
QUOTA_DIR="$DATA_DIR/kafka/quota"
ADMIN_PRINCIPAL="${LOGSTREAM_ADMIN_PRINCIPAL:-logstream-provisioner}"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Waits until "$@" succeeds, at most $1 seconds.
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
    sleep 0.5
  done
}
