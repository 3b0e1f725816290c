#!/usr/bin/env bash
# The main job: set up, then open JupyterLab with AI Magic on the example notebook.
# The key for Claude comes from ANTHROPIC_API_KEY (for OpenAI: OPENAI_API_KEY) in this shell's
# environment (it stays on the Jupyter server; the browser never sees it). With neither set,
# a small real model on this machine answers (scripts/local-default.sh; AIMAGIC_NO_LOCAL=1
# turns that off).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
extra=()
if [ -z "${ANTHROPIC_API_KEY:-}" ] && [ -z "${OPENAI_API_KEY:-}" ] && [ "${AIMAGIC_NO_LOCAL:-}" != 1 ]; then
  # shellcheck source=scripts/local-default.sh
  . scripts/local-default.sh
  extra+=("${lab_args[@]}")
fi
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
exec jupyter lab "${extra[@]}" --ServerApp.root_dir="$PWD/examples" "$@" "$PWD/examples/demo.ipynb"
