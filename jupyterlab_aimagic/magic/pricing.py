"""Usage -> dollars and the footer line (``src/core/reply/pricing.ts``, ``provenance.ts``),
from the prices in the shared data file."""

from __future__ import annotations

import re
from typing import Any

from .shared import shared_data


def find_price(model: str) -> dict[str, Any] | None:
    """The model's price; a dated id (``…-20251001``) falls back to its alias."""
    prices = shared_data()["prices"]
    return prices.get(model) or prices.get(re.sub(r"-\d{8}$", "", model))


def cost_of(usage: dict[str, int], price: dict[str, Any]) -> float:
    """The cost of one reply in USD."""
    prompt = usage["input"] + usage["cacheRead"] + usage["cacheWrite"]
    p = price["above"]["prices"] if price.get("above") and prompt > price["above"]["threshold"] else price
    write1h = min(usage.get("cacheWrite1h") or 0, usage["cacheWrite"])
    dollars = (usage["input"] * p["input"] + usage["output"] * p["output"] + usage["cacheRead"] * p["cacheRead"]
               + (usage["cacheWrite"] - write1h) * p["cacheWrite5m"] + write1h * p["cacheWrite1h"])
    return dollars / 1_000_000


def format_cost(usd: float) -> str:
    """Cents for large amounts, two significant digits for small ones (as the frontend)."""
    if usd >= 1:
        return f"${usd:.2f}"
    if usd == 0:
        return "$0"
    if usd < 0.0001:
        return "<$0.0001"
    # Two significant digits, never in exponent form (0.0001 <= usd < 1 here).
    return f"${usd:.2g}"


def _n(value: float) -> str:
    return f"{round(value):,}"


def footer_text(p: dict[str, Any]) -> str:
    """Model, tokens (cache read, write, uncached when the cache was used), output, time, cost,
    and how the reply ended when not normally."""
    u = p["usage"]
    parts = [p["model"], f"{_n(u['input'] + u['cacheRead'] + u['cacheWrite'])} in"]
    if u["cacheRead"] or u["cacheWrite"]:
        parts += [f"{_n(u['cacheRead'])} cache read", f"{_n(u['cacheWrite'])} cache write", f"{_n(u['input'])} uncached"]
    parts += [f"{_n(u['output'])} out", f"{p['durationMs'] / 1000:.1f} s"]
    if isinstance(p.get("cost"), (int, float)):
        parts.append(format_cost(p["cost"]))
    ends = {"stopped": "stopped", "max_tokens": "cut at max tokens", "error": "interrupted"}
    if p["stopReason"] in ends:
        parts.append(ends[p["stopReason"]])
    if p.get("omitted"):
        n = len(p["omitted"])
        parts.append(f"{n} cell{'s' if n > 1 else ''} left out for the budget")
    if p.get("notice"):
        parts.append(p["notice"])
    return " · ".join(parts)
