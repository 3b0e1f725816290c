"""The data both sides of AI Magic read: ``src/core/aimagic-data.json``.

The TypeScript core imports that file; the wheel carries a copy of it inside this package
(``pyproject.toml``, ``force-include``), and a source checkout reads it where it lies. There
is no second copy to keep in step.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

_NAME = "aimagic-data.json"
_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def shared_data() -> dict[str, Any]:
    """The parsed data file (installed copy first, then the source tree's)."""
    for path in (_HERE / _NAME, _HERE.parent.parent / "src" / "core" / _NAME):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise RuntimeError(f"jupyterlab_aimagic is installed without its data file {_NAME}; reinstall the package.")


def reply_marker() -> str:
    """SolveIt's reply separator, without the newlines around it."""
    return shared_data()["replyMarker"]


def default_settings() -> dict[str, Any]:
    """The default settings (a copy)."""
    return dict(shared_data()["defaultSettings"])


def provider_data(provider: str) -> dict[str, Any] | None:
    """What the data file says of a provider, or None for an unknown id."""
    return shared_data()["providers"].get(provider)
