"""AI cells in SolveIt's format, and ``%%ai`` code cells (``src/core/context/aicell.ts``)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .nbjson import join_text
from .shared import reply_marker, shared_data

AI_FLAG: str = shared_data()["aiFlag"]
REPLY_MARKER = reply_marker()
REPLY_SEPARATOR = f"\n\n{REPLY_MARKER}\n\n"
#: Output metadata key of the reply the kernel-side magic displays (its provenance).
REPLY_OUTPUT_KEY = "aimagic"

_MAGIC = re.compile(r"^[ \t]*%%ai(?:[ \t]+([^\r\n]*?))?[ \t]*(?:\r?\n|$)")


class PromptAndReply(NamedTuple):
    prompt: str
    reply: str | None


def is_ai_cell(cell: dict[str, Any]) -> bool:
    """Whether a cell is an AI cell (a markdown cell flagged ``solveit_ai``)."""
    return cell.get("cell_type") == "markdown" and (cell.get("metadata") or {}).get(AI_FLAG) is True


def has_flag(cell: dict[str, Any], flag: str) -> bool:
    """A SolveIt boolean flag of a cell; absent means false."""
    return (cell.get("metadata") or {}).get(flag) is True


def split_ai_cell(source: Any) -> PromptAndReply:
    """Prompt and reply of an AI cell's source; the first separator wins."""
    text = join_text(source)
    at = text.find(REPLY_MARKER)
    if at < 0:
        return PromptAndReply(text, None)
    prompt = re.sub(r"\n+$", "", text[:at])
    reply = re.sub(r"^\n+", "", text[at + len(REPLY_MARKER) :])
    return PromptAndReply(prompt, reply)


def join_ai_cell(prompt: str, reply: str | None) -> str:
    """Prompt and reply back into one AI cell source."""
    if reply is None:
        return prompt
    return re.sub(r"\n+$", "", prompt) + REPLY_SEPARATOR + reply


class MagicCell(NamedTuple):
    """A ``%%ai`` code cell: the options on its first line, its prompt, its reply if shown."""

    args: str
    prompt: str
    reply: str | None
    #: The reply output's provenance (``metadata.aimagic``), when there is a reply.
    provenance: dict[str, Any] | None


def parse_magic(source: str) -> tuple[str, str] | None:
    """``(options, prompt)`` of a source whose first line is ``%%ai``, else None."""
    match = _MAGIC.match(source)
    if not match:
        return None
    return (match.group(1) or "", source[match.end() :])


def magic_reply(outputs: list[dict[str, Any]] | None) -> tuple[str, dict[str, Any]] | None:
    """The reply the magic displayed in a cell's outputs (the last one that carries its mark),
    with its provenance."""
    found = None
    for output in outputs or []:
        meta = output.get("metadata") or {}
        data = output.get("data") or {}
        mark = meta.get(REPLY_OUTPUT_KEY)
        if output.get("output_type") in ("display_data", "execute_result") and isinstance(mark, dict) and "text/markdown" in data:
            found = (join_text(data["text/markdown"]), mark)
    return found


def magic_cell(cell: dict[str, Any]) -> MagicCell | None:
    """The ``%%ai`` reading of a code cell, or None when it is not one."""
    if cell.get("cell_type") != "code":
        return None
    parsed = parse_magic(join_text(cell.get("source")))
    if parsed is None:
        return None
    reply = magic_reply(cell.get("outputs"))
    return MagicCell(parsed[0], parsed[1], reply[0] if reply else None, reply[1] if reply else None)


def as_ai_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """A ``%%ai`` code cell as the AI cell the frontend turns it into; other cells unchanged."""
    magic = magic_cell(cell)
    if magic is None:
        return cell
    metadata = {k: v for k, v in (cell.get("metadata") or {}).items() if k not in ("execution", "collapsed", "scrolled")}
    metadata[AI_FLAG] = True
    variables = (magic.provenance or {}).get("variables")
    if isinstance(variables, dict):
        # The values an answered prompt was sent with, so it is sent again unchanged.
        metadata["aimagic"] = {**(metadata.get("aimagic") or {}), "variables": variables}
    out = {"cell_type": "markdown", "source": join_ai_cell(magic.prompt, magic.reply), "metadata": metadata}
    if cell.get("id"):
        out["id"] = cell["id"]
    return out
