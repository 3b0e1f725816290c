#!/usr/bin/env bash
# Set up and run every test: jest (core, CLI, fake providers), pytest (server extension),
# and Galata (the whole product in JupyterLab and Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

log "Type checks and lint (src/core must not import JupyterLab)"
npx tsc --noEmit -p tsconfig.test.json
npm run --silent lint

log "Command-line dry run on the example notebook"
node lib/node/cli/aimagic.js prompt examples/demo.ipynb --cell 2 --summary > /dev/null

log "bench/context"
npm run --silent bench:context

log "bench/tools: a 5-step tool loop in a 500-cell notebook (cache reads, own time per step)"
npm run --silent bench:tools

log "jest: core, command line, fake servers"
npx jest --ci

log "pytest: server extension"
python -m pytest -q jupyterlab_aimagic/tests

log "pytest: the kernel side (conformance table, %%ai in a real kernel against the fakes, headless nbconvert)"
python -m pytest -q jupyterlab_aimagic/magic/tests

log "bench/local-cache: time to first token behind an 8,000-token docs prefix (cold, warm, restored)"
npm run --silent bench:local-cache

log "Galata: end-to-end in JupyterLab and Chromium"
if ! dpkg -s chromium fonts-noto-color-emoji >/dev/null 2>&1; then
  log "Installing Debian's Chromium (and an emoji font for the reply heading)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  fi
fi
cd ui-tests
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
rm -rf .jupyter-test-home
npx playwright test "$@"
