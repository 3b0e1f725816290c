#!/usr/bin/env bash
# Sourced by scripts/start.sh when no provider key is set: start the local engine (a real
# small model on 127.0.0.1, built and fetched once, then cached) and make it the default
# provider of this JupyterLab launch, so a new user sees a real answer on a fresh machine.
#
# Sets: AIMAGIC_LOCAL_URL (read by the server extension: the proxy's "local" upstream) and
# lab_args (JupyterLab arguments: an application settings directory whose overrides.json
# makes "local" the default provider; the user's own settings still win).
# A failed build or start is reported with what to do, and JupyterLab starts anyway.

lab_args=()
local_port="${AIMAGIC_LOCAL_PORT:-8080}"
cache="${AIMAGIC_CACHE:-$HOME/.cache/jupyterlab-aimagic}"
echo "No ANTHROPIC_API_KEY or OPENAI_API_KEY is set: AI cells will use a small local model (SmolLM2-135M-Instruct)." >&2
echo "The first run builds llama.cpp's server (about 5-25 minutes, cached in $cache); later runs start in seconds." >&2
if ! engine_out="$(python3 scripts/local-engine/engine.py start --port "$local_port")"; then
  echo "The local model engine could not be started on port $local_port (see the messages above; build log in $cache/llama-server/)." >&2
  echo "If the port is taken, set AIMAGIC_LOCAL_PORT to a free one. To use Claude or OpenAI instead: export ANTHROPIC_API_KEY=… or OPENAI_API_KEY=…" >&2
  echo "and run this again. JupyterLab starts anyway; AI cells say how to set a key." >&2
  return 0
fi
engine_url="$(sed -n 's/^LOCAL_ENGINE_URL=//p' <<<"$engine_out")"
engine_model="$(sed -n 's/^LOCAL_ENGINE_MODEL=//p' <<<"$engine_out")"
export AIMAGIC_LOCAL_URL="${engine_url%/v1}"
settings_dir="$cache/lab-app-settings"
python3 - "$settings_dir" "$engine_model" <<'PY'
"""Copy the environment's JupyterLab app settings, then make the local engine the default."""
import json, os, shutil, sys
from jupyterlab.commands import get_app_dir
target, model = sys.argv[1], sys.argv[2]
source = os.path.join(get_app_dir(), "settings")
os.makedirs(target, exist_ok=True)
for name in ("page_config.json", "page_config.json5"):
    if os.path.exists(os.path.join(source, name)):
        shutil.copy(os.path.join(source, name), target)
overrides = {}
if os.path.exists(os.path.join(source, "overrides.json")):
    with open(os.path.join(source, "overrides.json")) as f:
        overrides = json.load(f)
overrides.setdefault("jupyterlab-aimagic:settings", {}).update({"provider": "local", "model": model})
with open(os.path.join(target, "overrides.json"), "w") as f:
    json.dump(overrides, f, indent=2)
PY
lab_args+=("--LabApp.app_settings_dir=$settings_dir")
echo "Local model server: $engine_url (model $engine_model). Stop it with: python3 scripts/local-engine/engine.py stop" >&2
