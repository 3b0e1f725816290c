"""Neutral request -> each provider's exact body (``src/core/providers/anthropic-body.ts``,
``openai-body.ts``). Key order is fixed: the serialised prefix is what the cache matches."""

from __future__ import annotations

import json
from typing import Any

from .docs import doc_text


def _cache_control(mark: dict[str, Any] | None) -> dict[str, Any]:
    if not mark:
        return {}
    return {"cache_control": {"type": "ephemeral", "ttl": "1h"} if mark.get("ttl") == "1h" else {"type": "ephemeral"}}


def _block(part: dict[str, Any]) -> dict[str, Any]:
    if part["type"] == "image":
        return {"type": "image", "source": {"type": "base64", "media_type": part["mediaType"], "data": part["data"]}, **_cache_control(part.get("cache"))}
    if part["type"] == "tool_use":
        return {"type": "tool_use", "id": part["id"], "name": part["name"], "input": part["args"], **_cache_control(part.get("cache"))}
    if part["type"] == "tool_result":
        # An empty result is sent as no content: the API refuses empty text blocks.
        block: dict[str, Any] = {"type": "tool_result", "tool_use_id": part["id"]}
        if part.get("result"):
            block["content"] = part["result"]
        if part.get("isError"):
            block["is_error"] = True
        return {**block, **_cache_control(part.get("cache"))}
    return {"type": "text", "text": part["text"], **_cache_control(part.get("cache"))}


def anthropic_body(request: dict[str, Any]) -> dict[str, Any]:
    """The body of ``POST /v1/messages``, streamed."""
    system = [{"type": "text", "text": request["system"], **_cache_control(None if request["docs"] else request.get("systemCache"))}]
    for doc in request["docs"]:
        system.append({"type": "text", "text": doc_text(doc), **_cache_control(doc.get("cache"))})
    body: dict[str, Any] = {"model": request["model"], "max_tokens": request["maxTokens"]}
    if request.get("tools"):
        # First in the cached prefix (tools → system → messages).
        body["tools"] = [{"name": t["name"], **({"description": t["description"]} if t.get("description") else {}), "input_schema": t["parameters"]}
                         for t in request["tools"]]
    body["system"] = system
    body["messages"] = [{"role": t["role"], "content": [_block(p) for p in t["parts"]]} for t in request["turns"]]
    if request.get("thinkingBudget"):
        body["thinking"] = {"type": "enabled", "budget_tokens": request["thinkingBudget"]}
        body["max_tokens"] = max(request["maxTokens"], request["thinkingBudget"] + 1024)
    body["stream"] = True
    return body


def system_text(request: dict[str, Any]) -> str:
    """The one system message of Chat Completions: instructions, then each doc."""
    return "\n\n".join([request["system"], *(doc_text(d) for d in request["docs"])])


def _content_part(p: dict[str, Any]) -> dict[str, Any]:
    if p["type"] == "image":
        return {"type": "image_url", "image_url": {"url": f"data:{p['mediaType']};base64,{p['data']}"}}
    return {"type": "text", "text": p["text"]}


def _messages(turn: dict[str, Any]) -> list[dict[str, Any]]:
    """A turn's messages: a string for text; parts when a user turn has images; each tool
    result its own ``tool`` message first; tool calls on the assistant message."""
    out: list[dict[str, Any]] = []
    rest = []
    for part in turn["parts"]:
        if part["type"] == "tool_result":
            out.append({"role": "tool", "tool_call_id": part["id"], "content": part["result"]})
        else:
            rest.append(part)
    calls = [p for p in rest if p["type"] == "tool_use"]
    text = "\n\n".join(p["text"] for p in rest if p["type"] == "text")
    if calls:
        out.append({"role": "assistant", "content": text or None, "tool_calls": [
            {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": json.dumps(c["args"], ensure_ascii=False, separators=(",", ":"))}}
            for c in calls]})
    elif turn["role"] == "user" and any(p["type"] == "image" for p in rest):
        out.append({"role": "user", "content": [_content_part(p) for p in rest if p["type"] in ("text", "image")]})
    elif rest:
        out.append({"role": turn["role"], "content": text})
    return out


def chat_completions_body(request: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The body of ``POST /chat/completions``: ``openai`` or ``compatible`` dialect."""
    body: dict[str, Any] = {"model": request["model"]}
    if request.get("tools"):
        body["tools"] = [{"type": "function", "function": {"name": t["name"], **({"description": t["description"]} if t.get("description") else {}),
                                                          "parameters": t["parameters"]}} for t in request["tools"]]
    body["messages"] = [{"role": "system", "content": system_text(request)}, *(m for t in request["turns"] for m in _messages(t))]
    if dialect == "openai":
        body["max_completion_tokens"] = request["maxTokens"]
        if request.get("cacheKey"):
            body["prompt_cache_key"] = request["cacheKey"]
    else:
        body["max_tokens"] = request["maxTokens"]
    body["stream"] = True
    body["stream_options"] = {"include_usage": True}
    return body


def body_for(provider: str, request: dict[str, Any]) -> dict[str, Any]:
    """The exact body a provider is sent for a neutral request."""
    if provider == "anthropic":
        return anthropic_body(request)
    if provider == "openai":
        return chat_completions_body(request, "openai")
    return chat_completions_body(request, "compatible")
