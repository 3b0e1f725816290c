"""The cells above an AI cell as dialogue turns (``src/core/context/dialogue.ts``).

At each earlier AI cell (or ``%%ai`` cell with a reply) the dialogue turns; skipped cells are
left out; past the budget the oldest unpinned cells go first; pinned cells that are not turns
open the first user turn, right after the docs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .aicell import as_ai_cell, has_flag, is_ai_cell, split_ai_cell
from .images import IMAGE_TOKENS, image_parts
from .jsutil import js_len, js_trim
from .nbjson import join_text
from .output_text import widget_names
from .render import render_cell
from .shared import shared_data
from .tool_blocks import push_turn, reply_turns, strip_thinking
from .variables import expand_variables, find_variables, recorded_variables


class PromptError(Exception):
    """A problem that stops a prompt before anything is sent; the message is for the user."""


def estimate_tokens(text: str) -> int:
    """About four characters (UTF-16 units, as the core counts) a token."""
    return math.ceil(js_len(text) / 4)


@dataclass
class Dialogue:
    turns: list[dict[str, Any]]
    prompt: str
    omitted: list[str]
    cell_count: int
    pinned_parts: int


@dataclass
class _Unit:
    label: str
    pinned: bool
    tokens: int
    text: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    prompt: str | None = None
    reply: str | None = None


def build_dialogue(notebook: dict[str, Any], index: int, options: dict[str, Any]) -> Dialogue:
    """The dialogue for the AI cell at ``index``.

    ``options``: ``maxOutputChars``, ``budgetTokens``, ``images``, ``variables``,
    ``maxVariableChars``, ``htmlToMarkdown``, ``widgetNames`` (the core's names).
    """
    cells = notebook.get("cells") or []
    target = as_ai_cell(cells[index]) if 0 <= index < len(cells) else None
    if not target or not is_ai_cell(target):
        raise PromptError(f"Cell {index} is not an AI cell.")
    prompt = js_trim(split_ai_cell(target.get("source")).prompt)
    if not prompt:
        raise PromptError("The prompt is empty: write a question above the reply line and run the cell again.")
    values = options.get("variables")
    missing = [n for n in find_variables(prompt) if not isinstance((values or {}).get(n), str)] if values is not None else []
    if missing:
        names = ", ".join(f"$`{n}`" for n in missing)
        raise PromptError(f"No value for {names}: the kernel did not give one.")
    max_var = options.get("maxVariableChars") or 0
    sent = expand_variables(prompt, values or {}, max_var)
    rendering = {**options, "widgetNames": options.get("widgetNames") or widget_names(notebook.get("metadata"))}
    units = [_unit_of(as_ai_cell(cells[i]), i, rendering) for i in range(index) if not has_flag(cells[i], "skipped")]
    omitted = _trim_to_budget(units, estimate_tokens(sent), options.get("budgetTokens") or 0)
    pinned = _pinned_parts(units)
    turns = _to_turns([u for u in units if not (u.pinned and u.reply is None)], sent)
    turns[0]["parts"][0:0] = pinned
    return Dialogue(turns, prompt, omitted, len(units), len(pinned))


def _unit_of(cell: dict[str, Any], index: int, options: dict[str, Any]) -> _Unit:
    label = cell.get("id") or f"#{index}"
    pinned = has_flag(cell, "pinned")
    max_chars = options.get("maxOutputChars", 0)
    images = bool(options.get("images"))
    text_options = {"html": options.get("htmlToMarkdown"), "widgets": options.get("widgetNames") or {}}
    if is_ai_cell(cell):
        prompt, reply = split_ai_cell(cell.get("source"))
        if reply is not None and js_trim(strip_thinking(reply)):
            p = expand_variables(js_trim(prompt), recorded_variables(cell.get("metadata")), options.get("maxVariableChars") or 0)
            r = js_trim(reply)
            return _Unit(label, pinned, estimate_tokens(p) + estimate_tokens(r), prompt=p, reply=r)
        # An unanswered prompt is context for the next one, not a turn of its own.
        text = render_cell(cell, max_chars, images, prompt, text_options)
        return _Unit(label, pinned, estimate_tokens(text), text=text)
    if cell.get("cell_type") != "code" and not js_trim(join_text(cell.get("source"))):
        return _Unit(label, pinned, 0, text="")
    text = render_cell(cell, max_chars, images, None, text_options)
    parts = image_parts(cell.get("outputs"), cell.get("id")) if images and cell.get("cell_type") == "code" else []
    return _Unit(label, pinned, estimate_tokens(text) + IMAGE_TOKENS * len(parts), text=text, images=parts)


def _append_text(parts: list[dict[str, Any]], text: str) -> None:
    if parts and parts[-1]["type"] == "text":
        parts[-1]["text"] = f"{parts[-1]['text']}\n\n{text}"
    else:
        parts.append({"type": "text", "text": text})


def _append_unit(parts: list[dict[str, Any]], unit: _Unit) -> None:
    if unit.text:
        _append_text(parts, unit.text)
    parts.extend(dict(image) for image in unit.images)


def _pinned_parts(units: list[_Unit]) -> list[dict[str, Any]]:
    pinned = [u for u in units if u.pinned and u.reply is None and (u.text or u.images)]
    if not pinned:
        return []
    parts: list[dict[str, Any]] = []
    _append_text(parts, shared_data()["instructions"]["pinned"])
    for unit in pinned:
        _append_unit(parts, unit)
    return parts


def _trim_to_budget(units: list[_Unit], prompt_tokens: int, budget: int) -> list[str]:
    if budget <= 0:
        return []
    total = prompt_tokens + sum(u.tokens for u in units)
    omitted: list[str] = []
    i = 0
    while i < len(units) and total > budget:
        unit = units[i]
        if not unit.pinned and unit.tokens > 0:
            total -= unit.tokens
            omitted.append(unit.label)
            del units[i]
        else:
            i += 1
    return omitted


def _to_turns(units: list[_Unit], prompt: str) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []

    def user_turn(text: str) -> dict[str, Any]:
        nonlocal pending
        parts, pending = pending, []
        if text:
            _append_text(parts, text)
        if not parts:
            parts.append({"type": "text", "text": "(empty prompt)"})
        return {"role": "user", "parts": parts}

    for unit in units:
        if unit.reply is not None:
            push_turn(turns, user_turn(unit.prompt or ""))
            # Tool calls in the reply become tool turns; a reply of only thinking is none.
            turns.extend(reply_turns(unit.reply))
        else:
            _append_unit(pending, unit)
    push_turn(turns, user_turn(prompt))
    return turns
