"""llms.txt files: parse, choose the links to expand, join the pages (``src/core/docs/llms-txt.ts``)."""

from __future__ import annotations

import re
from typing import Any

_LINK = re.compile(r"^\s*[-*+]\s*\[([^\]]+)\]\(\s*<?([^)\s>]+)>?\s*\)\s*(?::\s*(.*))?$")


def is_llms_txt_source(source: str) -> bool:
    """Whether a doc source names an llms.txt."""
    return re.search(r"(^|/)llms\.txt$", re.sub(r"[?#].*$", "", source, flags=re.S), re.I) is not None


def parse_llms_txt(text: str) -> dict[str, Any] | None:
    """Title, summary, details and sections of links; None without a ``# Title`` line."""
    lines = re.sub(r"\r\n?", "\n", text).split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    h1 = re.match(r"^#\s+(.+?)\s*#*\s*$", lines[i] if i < len(lines) else "")
    if not h1:
        return None
    result: dict[str, Any] = {"title": h1.group(1), "summary": "", "details": "", "sections": []}
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    quote = []
    while i < len(lines) and lines[i].startswith(">"):
        quote.append(re.sub(r"^>\s?", "", lines[i]))
        i += 1
    result["summary"] = re.sub(r"\s+", " ", " ".join(quote)).strip()
    details: list[str] = []
    section = None
    fence = None
    for line in lines[i:]:
        f = re.match(r"^\s*(`{3,}|~{3,})", line)
        if f and (fence is None or f.group(1)[0] == fence[0]):
            fence = f.group(1) if fence is None else None
        elif fence is None:
            h2 = re.match(r"^##\s+(.+?)\s*#*\s*$", line)
            if h2:
                section = {"name": h2.group(1), "links": []}
                result["sections"].append(section)
                continue
            link = _LINK.match(line) if section else None
            if section and link:
                section["links"].append({"title": link.group(1).strip(), "href": link.group(2), "notes": (link.group(3) or "").strip()})
                continue
        if section is None:
            details.append(line)
    result["details"] = "\n".join(details).strip()
    return result


def links_to_expand(parsed: dict[str, Any], include_optional: bool) -> list[tuple[str, dict[str, Any]]]:
    """``(section, link)`` of every link to fetch, the ``Optional`` section only when asked."""
    return [
        (s["name"], link)
        for s in parsed["sections"]
        if include_optional or s["name"].strip().lower() != "optional"
        for link in s["links"]
    ]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def expand_llms_txt(parsed: dict[str, Any], pages: list[dict[str, Any]]) -> str:
    """The llms.txt and its fetched pages as one document (llms-ctx style)."""
    out = [f'<project title="{_attr(parsed["title"])}" summary="{_attr(parsed["summary"])}">']
    if parsed["details"]:
        out.append(parsed["details"])
    current = None
    for page in pages:
        if page["section"] != current:
            if current is not None:
                out.append("</section>")
            out.append(f'<section name="{_attr(page["section"])}">')
            current = page["section"]
        notes = f' notes="{_attr(page["link"]["notes"])}"' if page["link"]["notes"] else ""
        out.extend([f'<page title="{_attr(page["link"]["title"])}" source="{_attr(page["source"])}"{notes}>', re.sub(r"\n+$", "", page["text"]), "</page>"])
    if current is not None:
        out.append("</section>")
    out.append("</project>")
    return "\n".join(out)
