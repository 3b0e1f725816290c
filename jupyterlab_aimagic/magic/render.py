"""Cells as tagged text the model can read and cite (``src/core/context/render.ts``)."""

from __future__ import annotations

import math
import re
from typing import Any

from .aicell import AI_FLAG
from .images import image_of
from .jsutil import js_len, js_slice
from .nbjson import join_text
from .output_text import output_text

def truncate_middle(text: str, limit: int) -> str:
    """Cut a text longer than ``limit`` (UTF-16 units) in the middle, with a visible marker."""
    length = js_len(text)
    if limit <= 0 or length <= limit:
        return text
    head = math.ceil(limit / 2)
    tail = limit - head
    cut = length - limit
    return f"{js_slice(text, 0, head)}\n… [{cut} characters cut] …\n{js_slice(text, length - tail)}"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _strip_end_newlines(text: str) -> str:
    return re.sub(r"\n+$", "", text)


def render_output(output: dict[str, Any], max_output_chars: int, images: bool = False, text_options: dict[str, Any] | None = None) -> str:
    """One output of a code cell, as a tagged block (``text_options``: ``html``, ``widgets``)."""
    kind = output.get("output_type")
    opts = text_options or {}
    body = output_text(output, opts.get("html"), opts.get("widgets"))
    if kind == "stream":
        tag = f'<output type="stream" name="{_attr(output.get("name") or "stdout")}">'
    elif kind in ("execute_result", "display_data"):
        tag = f'<output type="{kind}">'
        image = image_of(output) if images else None
        if image:
            body += f"\n[{image[0]} image: attached after this cell]"
    elif kind == "error":
        tag = f'<output type="error" ename="{_attr(output.get("ename") or "")}">'
    else:
        tag = f'<output type="{_attr(str(kind))}">'
        body = ""
    return f"{tag}\n{truncate_middle(_strip_end_newlines(body), max_output_chars)}\n</output>"


def _kind_of(cell: dict[str, Any]) -> str:
    if cell.get("cell_type") == "markdown" and (cell.get("metadata") or {}).get(AI_FLAG) is True:
        return "prompt"
    return str(cell.get("cell_type"))


def render_cell(cell: dict[str, Any], max_output_chars: int, images: bool = False, source_override: str | None = None,
                text_options: dict[str, Any] | None = None) -> str:
    """A cell (or, for AI cells, the prompt given instead of its source) as tagged text."""
    source = _strip_end_newlines(source_override if source_override is not None else join_text(cell.get("source")))
    cid = f' id="{_attr(cell["id"])}"' if cell.get("id") else ""
    if cell.get("cell_type") != "code":
        return f'<cell{cid} type="{_kind_of(cell)}">\n{source}\n</cell>'
    count = cell.get("execution_count")
    count_attr = f' execution_count="{count}"' if isinstance(count, int) and not isinstance(count, bool) else ""
    parts = [f'<cell{cid} type="code"{count_attr}>', "<source>", source, "</source>"]
    for output in cell.get("outputs") or []:
        parts.append(render_output(output, max_output_chars, images, text_options))
    parts.append("</cell>")
    return "\n".join(parts)
