#!/usr/bin/env bash
# scripts/dev.sh's supervision (scripts/supervise.sh) over stand-in apps, for
# test/integration/dev-supervision.spec.ts: two apps that record their SIGTERM in $1, and a
# pipeline like the edge's. Writes $1/script.pid, then $1/ready (the pids below it) once all run.
source "$(dirname "$0")/../../../scripts/common.sh"
out="$1"
source "$ROOT_DIR/scripts/supervise.sh"
# shellcheck disable=SC2317 # run by stop_all
on_stop() { echo stopped >"$out/on-stop"; }
supervise_signals

for name in api provisioner; do
  bash -c 'trap "echo $1 >>\"$2/terms\"; exit 0" TERM; while true; do sleep 0.2; done' app "$name" "$out" &
  SUPERVISED_PIDS+=($!)
done
# shellcheck disable=SC2016 # expanded by the inner bash
bash -c 'while true; do echo line; sleep 0.1; done' | cat >/dev/null &
SUPERVISED_PIDS+=($!)
sleep 0.5
echo $$ >"$out/script.pid"
descendants $$ >"$out/pids.tmp"
mv "$out/pids.tmp" "$out/ready"
supervise
