#!/usr/bin/env bash
# `npm run build:edge`: the edge producer as one folder ops copy to an edge node as it is:
#   dist/edge-producer/logstream-edge.js            the app and libs/, bundled (esbuild)
#   dist/edge-producer/logstream_edge_native.node   the hot path (libs/edge/native)
#   dist/edge-producer/node_modules/                node-rdkafka's runtime files and librdkafka
# Native parts are built for this machine's OS and Node ABI; build on the edge nodes' kind.
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

out=dist/edge-producer
rm -rf "$out"
mkdir -p "$out"
npx esbuild apps/edge-producer/src/main.ts --bundle --platform=node --target=node20 \
  --external:node-rdkafka --outfile="$out/logstream-edge.js" --log-level=warning
bash scripts/build-native.sh
cp libs/edge/native/build/Release/logstream_edge_native.node "$out/"

# node-rdkafka at run time: its JS, its addon and librdkafka (not its 500 MB of sources).
rk=node_modules/node-rdkafka
mkdir -p "$out/$rk/build/Release" "$out/$rk/build/deps"
cp -r "$rk/package.json" "$rk/librdkafka.js" "$rk/lib" "$rk/errors.d.ts" "$rk/config.d.ts" "$out/$rk/"
cp "$rk/build/Release/node-librdkafka.node" "$out/$rk/build/Release/"
cp -P "$rk"/build/deps/librdkafka.so* "$rk"/build/deps/librdkafka++.so* "$out/$rk/build/deps/"
for dep in bindings file-uri-to-path; do cp -r "node_modules/$dep" "$out/node_modules/"; done
log "built $out ($(du -sh "$out" | cut -f1)): copy the folder to the edge node"
