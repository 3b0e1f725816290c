"""Tool calls in a reply, in SolveIt's ``json {.tool}`` blocks, and the dialogue turns they
become (``src/core/context/tool-blocks.ts``, ``reply-turns.ts``)."""

from __future__ import annotations

import json
import re
from typing import Any

from .codeblocks import parse_code_blocks

THINK_START = "<!--think_start-->"
_TOOL_INFO = re.compile(r"^json\s+\{\.tool\}$")
_THINKING = re.compile(r"<!--think_start-->[\s\S]*?(?:<!--think_end-->\s*|$)")


def strip_thinking(reply: str) -> str:
    """A reply without its thinking sections."""
    return _THINKING.sub("", reply) if THINK_START in reply else reply


def _js_stringify(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_tool_block(body: str) -> dict[str, Any] | None:
    """A tool block's call and result, or None when it is not one."""
    try:
        d = json.loads(body)
    except ValueError:
        return None
    if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not d["id"] or not isinstance(d.get("name"), str) or not d["name"] or d.get("server"):
        return None
    args = d["args"] if isinstance(d.get("args"), dict) else {}
    block: dict[str, Any] = {"id": d["id"], "name": d["name"], "args": args}
    result = d.get("result")
    block["result"] = "" if result is None else (result if isinstance(result, str) else _js_stringify(result))
    if d.get("error"):
        block["isError"] = True
    return block


def parse_reply(reply: str) -> list[tuple[str, Any]]:
    """The reply as ``("text", str)`` and ``("tool", block)`` segments, in order."""
    text = strip_thinking(reply)
    lines = re.split(r"\r?\n", text)
    segments: list[tuple[str, Any]] = []
    start = 0
    for code in parse_code_blocks(text):
        if not code.closed or not _TOOL_INFO.match(code.info):
            continue
        block = read_tool_block(code.code)
        if not block:
            continue
        before = "\n".join(lines[start : code.start_line])
        if before.strip():
            segments.append(("text", before))
        segments.append(("tool", block))
        start = code.end_line + 1
    rest = "\n".join(lines[start:])
    if rest.strip():
        segments.append(("text", rest))
    return segments


def reply_turns(reply: str) -> list[dict[str, Any]]:
    """An edited reply as turns: text and tool calls in assistant turns, each call's result
    in the user turn after it."""
    turns: list[dict[str, Any]] = []
    said: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal said, results
        turns.append({"role": "assistant", "parts": said})
        if results:
            turns.append({"role": "user", "parts": results})
        said, results = [], []

    for kind, value in parse_reply(reply):
        if kind == "text":
            text = value.strip()
            if not text:
                continue
            if results:
                flush()
            said.append({"type": "text", "text": text})
        else:
            said.append({"type": "tool_use", "id": value["id"], "name": value["name"], "args": value["args"]})
            result = {"type": "tool_result", "id": value["id"], "result": value.get("result") or ""}
            if value.get("isError"):
                result["isError"] = True
            results.append(result)
    if said:
        flush()
    return turns


def push_turn(turns: list[dict[str, Any]], turn: dict[str, Any]) -> None:
    """Add a turn, joining two user turns in a row (tool results, then the next cells)."""
    if turns and turns[-1]["role"] == turn["role"] == "user":
        turns[-1]["parts"].extend(turn["parts"])
    else:
        turns.append(turn)
