#!/usr/bin/env bash
# The main job: set up, then open JupyterLab with AI Magic on the example notebook.
# The key for Claude comes from ANTHROPIC_API_KEY in this shell's environment (it stays on
# the Jupyter server; the browser never sees it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
if [ -z "${ANTHROPIC_API_KEY:-}" ]; then
  echo "Note: ANTHROPIC_API_KEY is not set, so AI cells will say how to set it." >&2
fi
extra=()
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
exec jupyter lab "${extra[@]}" --ServerApp.root_dir="$PWD/examples" "$@" demo.ipynb
