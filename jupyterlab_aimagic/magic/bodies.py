"""Neutral request -> each provider's exact body (``src/core/providers/anthropic-body.ts``,
``openai-body.ts``). Key order is fixed: the serialised prefix is what the cache matches."""

from __future__ import annotations

from typing import Any

from .docs import doc_text


def _cache_control(mark: dict[str, Any] | None) -> dict[str, Any]:
    if not mark:
        return {}
    return {"cache_control": {"type": "ephemeral", "ttl": "1h"} if mark.get("ttl") == "1h" else {"type": "ephemeral"}}


def _block(part: dict[str, Any]) -> dict[str, Any]:
    if part["type"] == "image":
        return {"type": "image", "source": {"type": "base64", "media_type": part["mediaType"], "data": part["data"]}, **_cache_control(part.get("cache"))}
    return {"type": "text", "text": part["text"], **_cache_control(part.get("cache"))}


def anthropic_body(request: dict[str, Any]) -> dict[str, Any]:
    """The body of ``POST /v1/messages``, streamed."""
    system = [{"type": "text", "text": request["system"], **_cache_control(None if request["docs"] else request.get("systemCache"))}]
    for doc in request["docs"]:
        system.append({"type": "text", "text": doc_text(doc), **_cache_control(doc.get("cache"))})
    body: dict[str, Any] = {
        "model": request["model"],
        "max_tokens": request["maxTokens"],
        "system": system,
        "messages": [{"role": t["role"], "content": [_block(p) for p in t["parts"]]} for t in request["turns"]],
    }
    if request.get("thinkingBudget"):
        body["thinking"] = {"type": "enabled", "budget_tokens": request["thinkingBudget"]}
        body["max_tokens"] = max(request["maxTokens"], request["thinkingBudget"] + 1024)
    body["stream"] = True
    return body


def system_text(request: dict[str, Any]) -> str:
    """The one system message of Chat Completions: instructions, then each doc."""
    return "\n\n".join([request["system"], *(doc_text(d) for d in request["docs"])])


def _message(turn: dict[str, Any]) -> dict[str, Any]:
    if turn["role"] == "user" and any(p["type"] == "image" for p in turn["parts"]):
        content = [
            {"type": "image_url", "image_url": {"url": f"data:{p['mediaType']};base64,{p['data']}"}} if p["type"] == "image" else {"type": "text", "text": p["text"]}
            for p in turn["parts"]
        ]
        return {"role": "user", "content": content}
    return {"role": turn["role"], "content": "\n\n".join(p["text"] for p in turn["parts"] if p["type"] == "text")}


def chat_completions_body(request: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The body of ``POST /chat/completions``: ``openai`` or ``compatible`` dialect."""
    body: dict[str, Any] = {"model": request["model"], "messages": [{"role": "system", "content": system_text(request)}, *map(_message, request["turns"])]}
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
