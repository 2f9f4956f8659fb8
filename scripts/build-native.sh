#!/usr/bin/env bash
# Builds the native addons with the node-gyp that ships inside npm: the edge producer's hot path
# (libs/edge/native, against node-rdkafka's librdkafka) and the archiver's zstd codec
# (libs/archive/native, against Debian's libzstd-dev). Skips an addon newer than its sources.
source "$(dirname "$0")/common.sh"
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || die "node-gyp not found inside npm at $gyp"
nodedir=()
if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi

(
cd "$ROOT_DIR/libs/archive/native"
addon=build/Release/logstream_zstd.node
if [ -f "$addon" ] && [ "$addon" -nt zstd-codec.c ] && [ "$addon" -nt binding.gyp ]; then exit 0; fi
[ -f /usr/include/zstd.h ] || die "zstd.h not found: install libzstd-dev (npm run setup does)"
log "building the archiver's zstd addon"
node "$gyp" rebuild "${nodedir[@]}" --loglevel=error >/dev/null
[ -f "$addon" ] || die "the zstd addon did not build"
)

cd "$ROOT_DIR/libs/edge/native"
addon=build/Release/logstream_edge_native.node
fresh=0
if [ -f "$addon" ] && [ "$addon" -nt binding.gyp ] &&
   [ "$addon" -nt "$ROOT_DIR/node_modules/node-rdkafka/build/deps/librdkafka.so.1" ]; then
  fresh=1
  for source in *.c *.h; do [ "$addon" -nt "$source" ] || fresh=0; done
fi
[ "$fresh" = 0 ] || exit 0
[ -f "$ROOT_DIR/node_modules/node-rdkafka/build/deps/include/librdkafka/rdkafka.h" ] ||
  die "node-rdkafka's librdkafka is not built (run npm ci first)"
log "building the edge producer's native addon"
node "$gyp" rebuild "${nodedir[@]}" --loglevel=error >/dev/null
[ -f "$addon" ] || die "the native addon did not build"
