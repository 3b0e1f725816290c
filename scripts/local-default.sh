#!/usr/bin/env bash
# Sourced by scripts/start.sh when no provider key is set: make the local engine (a real small
# model on 127.0.0.1, fetched from PyPI once by scripts/setup.sh) the default provider of this
# JupyterLab launch, so a new user sees a real answer on a fresh machine. The Jupyter server
# starts the engine itself when the first AI cell asks (jupyterlab_aimagic/engine).
#
# Sets: AIMAGIC_LOCAL_URL (read by the server extension: the proxy's "local" upstream, where
# the engine listens) and lab_args (JupyterLab arguments: an application settings directory
# whose overrides.json makes "local" the default provider; the user's own settings still win).

lab_args=()
local_port="${AIMAGIC_LOCAL_PORT:-8080}"
cache="${AIMAGIC_CACHE:-$HOME/.cache/jupyterlab-aimagic}"
engine_model="$(python3 -c 'from jupyterlab_aimagic.engine.models import DEFAULT_MODEL; print(DEFAULT_MODEL)')"
echo "No ANTHROPIC_API_KEY or OPENAI_API_KEY is set: AI cells will use a small local model ($engine_model)," >&2
echo "started by the Jupyter server on 127.0.0.1:$local_port at the first AI cell (AIMAGIC_LOCAL_PORT picks another port)." >&2
export AIMAGIC_LOCAL_URL="http://127.0.0.1:$local_port"
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
