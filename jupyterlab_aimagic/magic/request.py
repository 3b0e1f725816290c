"""Notebook + cell + settings -> the neutral request, laid out for caching
(``src/core/request/prompt.ts``, ``assemble.ts``, ``cache-key.ts``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from .aicell import as_ai_cell, has_flag
from .dialogue import Dialogue, build_dialogue
from .jsutil import hash_text, js_trim
from .settings import read_cell_choice, read_notebook_overrides, resolve_model_choice
from .shared import shared_data

MAX_CACHE_MARKS = 4


def base_instructions() -> str:
    """What the model is told about the notebook, whatever the mode."""
    return " ".join(shared_data()["instructions"]["base"])


def build_chat_request(dialogue: Dialogue, settings: dict[str, Any], mode: str, notebook_system: str | None = None,
                       docs: list[dict[str, Any]] | None = None, thinking: bool = False, cache_key: str | None = None,
                       tools: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The neutral request (the core's ``ChatRequest``, same field names) for a dialogue."""
    pieces = [base_instructions(), shared_data()["instructions"]["modes"][mode], settings["systemPrompt"], notebook_system or ""]
    system = "\n\n".join(t for t in (js_trim(p) for p in pieces) if t)
    doc_parts = [dict(d) for d in docs or []]
    if doc_parts:
        doc_parts[-1]["cache"] = {"ttl": settings["docsCacheTTL"]}
    request: dict[str, Any] = {
        "model": settings["model"],
        "maxTokens": settings["maxTokens"],
        "system": system,
        "docs": doc_parts,
        "turns": mark_turns(dialogue.turns),
    }
    mark_pinned(request, dialogue.pinned_parts)
    if thinking and settings["thinkingBudget"] > 0:
        request["thinkingBudget"] = settings["thinkingBudget"]
    if cache_key:
        request["cacheKey"] = cache_key
    if tools:
        request["tools"] = [dict(t) for t in tools]
    return request


def mark_turns(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy the turns with a cache mark at the end of the previous assistant turn and on the
    last part of the request."""
    marked = [{"role": t["role"], "parts": [dict(p) for p in t["parts"]]} for t in turns]
    if marked[-1]["parts"]:
        marked[-1]["parts"][-1]["cache"] = {"ttl": "5m"}
    for turn in reversed(marked[:-1]):
        if turn["role"] == "assistant":
            if turn["parts"]:
                turn["parts"][-1]["cache"] = {"ttl": "5m"}
            break
    return marked


def mark_pinned(request: dict[str, Any], pinned_parts: int) -> None:
    """A cache mark after the pinned cells opening the first turn, when a mark is left."""
    parts = request["turns"][0]["parts"] if request["turns"] else []
    if pinned_parts <= 0 or pinned_parts > len(parts) or parts[pinned_parts - 1].get("cache"):
        return
    marks = (1 if request.get("systemCache") else 0) + sum(1 for d in request["docs"] if d.get("cache"))
    marks += sum(1 for t in request["turns"] for p in t["parts"] if p.get("cache"))
    if marks < MAX_CACHE_MARKS:
        parts[pinned_parts - 1]["cache"] = {"ttl": "5m"}


def notebook_cache_key(notebook: dict[str, Any]) -> str:
    """The notebook's stable cache key: ``aimagic.cacheKey``, else a hash of its first cell."""
    meta = (notebook.get("metadata") or {}).get("aimagic")
    if isinstance(meta, dict) and isinstance(meta.get("cacheKey"), str) and meta["cacheKey"].strip():
        return meta["cacheKey"].strip()
    cells = notebook.get("cells") or []
    first = cells[0] if cells else {}
    if isinstance(first.get("id"), str) and first["id"]:
        basis = f"id:{first['id']}"
    else:
        source = first.get("source", "")
        # String(list) in JavaScript joins with commas.
        basis = "source:" + (",".join(source) if isinstance(source, list) else ("" if source is None else str(source)))
    return f"aimagic-{hash_text(basis)}"


@dataclass
class Prepared:
    request: dict[str, Any]
    dialogue: Dialogue
    settings: dict[str, Any]
    overrides: dict[str, Any]
    problems: list[str]


def _default_model(provider: str) -> str | None:
    info = shared_data()["providers"].get(provider)
    return info["defaultModel"] if info else None


def prepare_prompt(notebook: dict[str, Any], index: int, settings: dict[str, Any], docs: list[dict[str, Any]] | None = None,
                   cache_key: str | None = None, variables: dict[str, str] | None = None,
                   images: bool | Callable[[dict[str, Any]], bool] = False,
                   choice: dict[str, str] | None = None, tools: list[dict[str, Any]] | None = None,
                   html_to_markdown: Callable[[str], str] | None = None) -> Prepared:
    """The request for the AI cell (or ``%%ai`` cell) at ``index``.

    ``choice`` is a provider/model chosen after the cell's metadata (the magic's options).
    """
    overrides, problems = read_notebook_overrides(notebook.get("metadata"))
    cell_choice, cell_problems = read_cell_choice(((notebook.get("cells") or [])[index].get("metadata")) or {})
    problems.extend(cell_problems)
    levels = [settings, {"provider": overrides.get("provider"), "model": overrides.get("model")}, cell_choice]
    if choice:
        levels.append(choice)
    effective = {**settings, **resolve_model_choice(levels, _default_model, list(shared_data()["providers"]))}
    options = {**effective, "images": images(effective) if callable(images) else bool(images), "variables": variables,
               "htmlToMarkdown": html_to_markdown}
    dialogue = build_dialogue(notebook, index, options)
    target = as_ai_cell(copy.deepcopy(notebook["cells"][index]))
    request = build_chat_request(dialogue, effective, overrides["mode"], overrides.get("system"), docs,
                                 has_flag(target, "use_thinking"), cache_key, tools)
    return Prepared(request, dialogue, effective, overrides, problems)
