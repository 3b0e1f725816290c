"""SolveIt's ``$`name``` kernel variables in prompts (``src/core/context/variables.ts``)."""

from __future__ import annotations

import re
from typing import Any

from .render import truncate_middle

_REFERENCE = re.compile(r"\$`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`", re.ASCII)
_TRAILING = re.compile(r"\n+$")


def find_variables(prompt: str) -> list[str]:
    """The names a prompt refers to, each once, in order of first use."""
    names: list[str] = []
    for match in _REFERENCE.finditer(prompt):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def expand_variables(prompt: str, values: dict[str, str], max_chars: int) -> str:
    """The prompt as the model reads it: names in backticks, values in ``<variable>`` tags."""
    names = [n for n in find_variables(prompt) if isinstance(values.get(n), str)]
    if not names:
        return prompt
    text = _REFERENCE.sub(lambda m: f"`{m.group(1)}`" if m.group(1) in names else m.group(0), prompt)
    tags = [f'<variable name="{n}">\n{truncate_middle(_TRAILING.sub("", values[n]), max_chars)}\n</variable>' for n in names]
    return f"{text}\n\nCurrent values of the variables named above:\n" + "\n".join(tags)


def recorded_variables(metadata: dict[str, Any] | None) -> dict[str, str]:
    """The variables recorded on an answered AI cell (``metadata.aimagic.variables``)."""
    recorded = ((metadata or {}).get("aimagic") or {}).get("variables") if isinstance((metadata or {}).get("aimagic"), dict) else None
    if not isinstance(recorded, dict):
        return {}
    return {k: v for k, v in recorded.items() if isinstance(v, str)}
