#!/usr/bin/env bash
# `npm run lint:shipped`: the linters of what is not TypeScript: the programs the credentials
# bundle ships (libs/bundle/assets: shell, Python, JavaScript) and the project's own scripts.
# The linters shellcheck and pyflakes3 are Debian packages (scripts/setup.sh installs them).
source "$(dirname "$0")/common.sh"
cd "$ROOT_DIR"

for tool in shellcheck pyflakes3 python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (run: npm run setup)"
done
mapfile -t sh < <(find scripts libs/bundle/assets -name '*.sh' | sort)
mapfile -t py < <(find libs/bundle/assets -name '*.py' | sort)

shellcheck "${sh[@]}"
# Compiled into a scratch folder: no __pycache__ in the assets the bundle copies.
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
PYTHONPYCACHEPREFIX="$cache" python3 -m py_compile "${py[@]}"
pyflakes3 "${py[@]}"
npx eslint --max-warnings 0 libs/bundle/assets
log "shipped files clean: ${#sh[@]} shell, ${#py[@]} Python, and the bundle's JavaScript"
