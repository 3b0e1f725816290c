"""The fenced code blocks of a reply, line by line as CommonMark finds them
(``src/core/context/codeblocks.ts``): backtick and tilde fences, longer fences around shorter
ones, indented fences, a missing closing fence (the last block is then open)."""

from __future__ import annotations

import re
from typing import NamedTuple

_OPENING = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_PYTHON = {"python", "py", "python3", "ipython", "ipython3"}


class CodeBlock(NamedTuple):
    language: str
    info: str
    code: str
    closed: bool
    start_line: int
    end_line: int


def language_of(info: str) -> str:
    """The language an info string names (``{python}``, ``.py`` unwrapped), lower-cased."""
    words = re.split(r"[\s,]+", info.strip())
    word = words[0] if words else ""
    word = re.sub(r"^\{\.?|\}$", "", word)
    return re.sub(r"[{}]", "", re.sub(r"^\.", "", word)).lower()


def _closes(line: str, fence: str) -> bool:
    trimmed = line.strip()
    return len(trimmed) >= len(fence) and trimmed[0] == fence[0] and all(ch == fence[0] for ch in trimmed)


def _dedent(line: str, indent: int) -> str:
    i = 0
    while i < indent and i < len(line) and line[i] == " ":
        i += 1
    return line[i:]


def parse_code_blocks(markdown: str) -> list[CodeBlock]:
    """The fenced code blocks of a markdown text, in order."""
    lines = re.split(r"\r?\n", markdown)
    blocks: list[CodeBlock] = []
    current = None  # (fence, indent, info, start, body)
    for i, line in enumerate(lines):
        if current is not None:
            fence, indent, info, start, body = current
            if _closes(line, fence):
                blocks.append(CodeBlock(language_of(info), info, "\n".join(body), True, start, i))
                current = None
            else:
                body.append(_dedent(line, indent))
            continue
        match = _OPENING.match(line)
        if not match:
            continue
        indent, fence, rest = match.groups()
        # A backtick fence's info string may not hold a backtick: "```x```" is inline code.
        if fence[0] == "`" and "`" in rest:
            continue
        current = (fence, len(indent.replace("\t", "    ")), rest.strip(), i, [])
    if current is not None:
        fence, indent, info, start, body = current
        if body and body[-1] == "":
            body.pop()
        blocks.append(CodeBlock(language_of(info), info, "\n".join(body), False, start, len(lines) - 1))
    return blocks


def python_blocks(markdown: str) -> list[str]:
    """The closed code blocks tagged as Python, for ``--insert``."""
    return [b.code for b in parse_code_blocks(markdown) if b.closed and b.language in _PYTHON]
