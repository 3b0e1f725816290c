"""The Python code blocks of a reply, for ``--insert`` (fence-aware, as ``codeblocks.ts``)."""

from __future__ import annotations

import re

_OPENING = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_PYTHON = {"python", "py", "python3", "ipython", "ipython3", "{python}", ".py"}


def python_blocks(markdown: str) -> list[str]:
    """The closed code blocks tagged as Python, in order."""
    blocks: list[str] = []
    fence = None
    language = ""
    body: list[str] = []
    for line in re.split(r"\r?\n", markdown):
        if fence is not None:
            if re.match(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", line):
                if language in _PYTHON:
                    blocks.append("\n".join(body))
                fence = None
            else:
                body.append(line)
            continue
        match = _OPENING.match(line)
        if match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            fence, body = match.group(2), []
            words = match.group(3).strip().split()
            language = words[0].lower() if words else ""
    return blocks
