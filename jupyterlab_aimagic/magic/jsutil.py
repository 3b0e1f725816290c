"""JavaScript string semantics where the two sides must agree to the byte.

The TypeScript core measures and cuts text in UTF-16 code units (``String.length``,
``slice``) and serialises with ``JSON.stringify``; the Python side does the same here, so
an emoji or a CJK character counts alike on both sides.
"""

from __future__ import annotations

import json
from typing import Any


def js_len(text: str) -> int:
    """``text.length`` in JavaScript: UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def js_slice(text: str, start: int, end: int | None = None) -> str:
    """``text.slice(start, end)`` in JavaScript, by UTF-16 code units."""
    if js_len(text) == len(text):
        return text[start:end]
    units = text.encode("utf-16-le", "surrogatepass")
    n = len(units) // 2
    s = max(0, n + start) if start < 0 else min(start, n)
    e = n if end is None else (max(0, n + end) if end < 0 else min(end, n))
    return units[2 * s : 2 * max(s, e)].decode("utf-16-le", "surrogatepass")


def js_stringify(value: Any) -> str:
    """``JSON.stringify(value)``: no spaces, non-ASCII kept, insertion order."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def js_trim(text: str) -> str:
    """``text.trim()``: JavaScript also trims the byte-order mark."""
    return text.strip().strip("\ufeff").strip()


def _imul(a: int, b: int) -> int:
    return (a * b) & 0xFFFFFFFF


def hash_text(text: str) -> str:
    """The core's ``hashText`` (cyrb53 over UTF-16 code units), as 14 hex digits."""
    h1, h2 = 0xDEADBEEF, 0x41C6CE57
    units = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(units), 2):
        ch = units[i] | (units[i + 1] << 8)
        h1 = _imul(h1 ^ ch, 2654435761)
        h2 = _imul(h2 ^ ch, 1597334677)
    h1 = _imul(h1 ^ (h1 >> 16), 2246822507) ^ _imul(h2 ^ (h2 >> 13), 3266489909)
    h2 = _imul(h2 ^ (h2 >> 16), 2246822507) ^ _imul(h1 ^ (h1 >> 13), 3266489909)
    return format(h2, "x").rjust(6, "0") + format(h1, "x").rjust(8, "0")
