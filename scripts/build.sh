#!/usr/bin/env bash
# `npm run build`: compiles apps, libs, tests and benchmarks into dist/ (tsc, incremental, so a
# build after a small edit takes seconds), then
#   - removes compiled files whose source is gone (a deleted spec must not keep running), and
#   - copies the assets code reads at run time (libs/bundle/assets, libs/panel/assets) next to
#     the compiled code;
#   - rebuilds the edge's native addon when its C source changed (a no-op otherwise).
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

npx tsc -p tsconfig.build.json
npx tsc-alias -p tsconfig.build.json
bash scripts/build-native.sh

# dist/<dir>/**/x.js (with its .js.map and .d.ts) is stale when <dir>/**/x.ts is gone.
# dist/edge-producer/ is esbuild's output (npm run build:edge), not tsc's: left alone.
stale=0
for top in apps libs test bench; do
  [ -d "dist/$top" ] || continue
  while IFS= read -r -d '' js; do
    src="${js#dist/}"
    if [ ! -f "${src%.js}.ts" ]; then
      rm -f "$js" "$js.map" "${js%.js}.d.ts"
      stale=$((stale + 1))
    fi
  done < <(find "dist/$top" -name '*.js' -not -path '*/assets/*' -print0)
done
[ "$stale" = 0 ] || log "removed $stale compiled file(s) whose source is gone"

rm -rf dist/libs/bundle/assets
cp -r libs/bundle/assets dist/libs/bundle/assets
# The panel's stylesheet and script, served by the control API.
rm -rf dist/libs/panel/assets
cp -r libs/panel/assets dist/libs/panel/assets
