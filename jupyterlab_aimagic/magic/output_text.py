"""The text of one cell output as the model reads it (``src/core/context/output-text.ts``):
escape sequences removed and carriage returns applied, rich results as readable text (HTML
as Markdown, JSON, LaTeX, SVG source), widgets as a marker, errors with ``ename: evalue``."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Optional

from .nbjson import join_text

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
HtmlConverter = Optional[Callable[[str], str]]

# CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks), two-character escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    """Remove ANSI escape sequences."""
    return text if "\x1b" not in text else _ANSI.sub("", text)


def clean_text(text: str) -> str:
    """Text as the notebook shows it: no escapes, a carriage return overwrites its line."""
    plain = strip_ansi(text).replace("\r\n", "\n")
    if "\r" not in plain:
        return plain
    lines = []
    for line in plain.split("\n"):
        parts = line.split("\r")
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        lines.append(parts[-1])
    return "\n".join(lines)


def is_bare_repr(text: str) -> bool:
    """Whether a ``text/plain`` says nothing but the object's type (``<… object>``)."""
    return re.match(r"^<[^<>\n]+>$", text.strip()) is not None


def widget_names(metadata: dict[str, Any] | None) -> dict[str, str]:
    """Widget names by model id, from the notebook's saved widget state."""
    widgets = (metadata or {}).get("widgets")
    state = widgets.get(WIDGET_STATE_MIME, {}).get("state") if isinstance(widgets, dict) and isinstance(widgets.get(WIDGET_STATE_MIME), dict) else None
    names: dict[str, str] = {}
    if isinstance(state, dict):
        for mid, model in state.items():
            if isinstance(model, dict) and isinstance(model.get("model_name"), str):
                names[mid] = re.sub(r"Model$", "", model["model_name"])
    return names


def _field(data: dict[str, Any], mime: str) -> str:
    value = data.get(mime)
    return join_text(value) if isinstance(value, (str, list)) else ""


def _js_json(value: Any) -> str:
    # JSON.stringify(value, null, 2)
    return json.dumps(value, ensure_ascii=False, indent=2)


def _rich_text(data: dict[str, Any], html_to_markdown: HtmlConverter, names: dict[str, str]) -> str:
    plain = _field(data, "text/plain")
    if WIDGET_VIEW_MIME in data:
        view = data[WIDGET_VIEW_MIME]
        mid = view.get("model_id") if isinstance(view, dict) else None
        name = (names.get(mid) if isinstance(mid, str) else None) or plain.strip()
        return f"[widget: {name or 'not saved with the notebook'}]"
    if plain and not is_bare_repr(plain):
        return plain
    markdown = _field(data, "text/markdown")
    if markdown.strip():
        return markdown
    html = _field(data, "text/html")
    if html.strip() and html_to_markdown:
        converted = html_to_markdown(html).strip()
        if converted:
            return converted
    latex = _field(data, "text/latex")
    if latex.strip():
        return latex
    if "application/json" in data:
        return _js_json(data["application/json"])
    svg = _field(data, "image/svg+xml")
    if svg.strip():
        return svg
    return plain or f"[{', '.join(sorted(data.keys()))} output]"


def _error_text(output: dict[str, Any]) -> str:
    ename = output.get("ename") or "Error"
    evalue = output.get("evalue") or ""
    line = f"{ename}: {evalue}" if evalue else ename
    trace = re.sub(r"\s+$", "", strip_ansi("\n".join(output.get("traceback") or [])))
    if not trace:
        return line
    last = trace[trace.rfind("\n") + 1 :].strip()
    repeated = line in trace or last == ename or last.startswith(f"{ename}: ")
    return trace if repeated else f"{trace}\n{line}"


def output_text(output: dict[str, Any], html_to_markdown: HtmlConverter = None, names: dict[str, str] | None = None) -> str:
    """The cleaned text of a stream, result, display or error output; '' for others."""
    kind = output.get("output_type")
    if kind == "stream":
        return clean_text(join_text(output.get("text")))
    if kind in ("execute_result", "display_data"):
        return clean_text(_rich_text(output.get("data") or {}, html_to_markdown, names or {}))
    if kind == "error":
        return clean_text(_error_text(output))
    return ""


def html2text_converter() -> HtmlConverter:
    """HTML to Markdown with html2text when the kernel has it (a different library than the
    frontend's node-html-markdown: the same tables and text, not the same bytes)."""
    try:
        import html2text
    except ImportError:
        return None

    def convert(html: str) -> str:
        h = html2text.HTML2Text(bodywidth=0)
        h.ignore_images = True
        h.ul_item_mark = "-"
        return h.handle(html).strip()

    return convert
