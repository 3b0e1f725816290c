"""A notebook's own settings: ``metadata.aimagic`` and SolveIt's dialog mode
(``src/core/settings.ts``), and the cell's model choice (``src/core/request/model-choice.ts``)."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable

MODES = ("standard", "learning", "concise")
CELL_PROVIDER_KEY = "aimagic_provider"
CELL_MODEL_KEY = "aimagic_model"


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_notebook_overrides(metadata: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """``(overrides, problems)``: malformed entries are reported and ignored, never rewritten."""
    problems: list[str] = []
    overrides: dict[str, Any] = {"mode": "standard"}
    metadata = metadata or {}
    if "solveit_dialog_mode" in metadata:
        mode = metadata["solveit_dialog_mode"]
        if mode in MODES:
            overrides["mode"] = mode
        else:
            problems.append(f'solveit_dialog_mode must be "standard", "learning" or "concise", not {_js(mode)}.')
    if "aimagic" not in metadata:
        return overrides, problems
    meta = metadata["aimagic"]
    if not isinstance(meta, dict):
        problems.append('Notebook metadata "aimagic" must be an object; it is ignored.')
        return overrides, problems
    for key in ("provider", "model", "system"):
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, str) and (key == "system" or value.strip()):
            overrides[key] = value
        else:
            problems.append(f"aimagic.{key} must be a non-empty string; it is ignored.")
    if "docs" in meta:
        overrides["docs"] = _read_docs(meta["docs"], problems)
    return overrides, problems


def _read_docs(value: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        problems.append("aimagic.docs must be a list; it is ignored.")
        return []
    docs = []
    for i, doc in enumerate(value):
        if not isinstance(doc, dict) or not isinstance(doc.get("source"), str) or not doc["source"].strip():
            problems.append(f'aimagic.docs[{i}] needs a "source" (a path or URL); it is ignored.')
            continue
        if "title" in doc and not isinstance(doc["title"], str):
            problems.append(f"aimagic.docs[{i}].title must be a string; it is ignored.")
        if "enabled" in doc and not isinstance(doc["enabled"], bool):
            problems.append(f"aimagic.docs[{i}].enabled must be true or false; the doc is kept enabled.")
        for flag in ("expand", "optional"):
            if flag in doc and not isinstance(doc[flag], bool):
                problems.append(f"aimagic.docs[{i}].{flag} must be true or false; it is ignored.")
        entry: dict[str, Any] = {
            "source": doc["source"],
            "title": doc["title"] if isinstance(doc.get("title"), str) else None,
            "enabled": doc.get("enabled") is not False,
        }
        for flag in ("expand", "optional"):
            if doc.get(flag) is True:
                entry[flag] = True
        docs.append(entry)
    return docs


def read_cell_choice(metadata: dict[str, Any] | None) -> tuple[dict[str, str], list[str]]:
    """The provider and model an AI cell's metadata chooses, with what was malformed."""
    choice: dict[str, str] = {}
    problems: list[str] = []
    for key, name in ((CELL_PROVIDER_KEY, "provider"), (CELL_MODEL_KEY, "model")):
        if key not in (metadata or {}):
            continue
        value = (metadata or {})[key]
        if isinstance(value, str) and value.strip():
            choice[name] = value.strip()
        else:
            problems.append(f"Cell metadata {key} must be a non-empty string; it is ignored.")
    return choice, problems


def resolve_model_choice(
    levels: Iterable[dict[str, Any]], default_model: Callable[[str], str | None], providers: Iterable[str] = ()
) -> dict[str, str]:
    """Resolve settings, notebook and cell choices, first to last; switching provider without
    naming a model takes that provider's default model."""
    first, *rest = list(levels)
    provider, model = first["provider"], first["model"]
    if any(other != provider and default_model(other) == model for other in providers):
        model = default_model(provider) or model
    for level in rest:
        if level.get("provider") and level["provider"] != provider:
            provider = level["provider"]
            model = level.get("model") or default_model(provider) or model
        elif level.get("model"):
            model = level["model"]
    return {"provider": provider, "model": model}
