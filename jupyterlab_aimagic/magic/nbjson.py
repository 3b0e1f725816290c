"""The parts of nbformat 4 the context reads, as plain JSON (``src/core/nbformat.ts``)."""

from __future__ import annotations

from typing import Any


def join_text(value: Any) -> str:
    """Join a multiline nbformat string (a string, or a list of lines)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)
