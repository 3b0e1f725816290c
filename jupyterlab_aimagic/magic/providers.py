"""Send a request body with the official Python SDKs and stream the reply.

The body is the exact one the conformance table holds (built by ``bodies.py``); the SDKs do
the talking, retries and streaming. They are imported here, when a prompt is sent, so the
extension loads in a kernel without them and says how to install them when they are needed.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .errors import ProviderFailure, to_failure
from .shared import provider_data

#: Environment variables of the base URLs, besides the SDKs' own (ANTHROPIC_BASE_URL, OPENAI_BASE_URL).
LOCAL_URL_ENV = "AIMAGIC_LOCAL_URL"


@dataclass
class Endpoint:
    provider: str
    label: str
    key_env: str | None
    base_url: str | None
    max_retries: int = 2


@dataclass
class Finish:
    """How a stream ended normally: stop reason, usage (the core's names), model."""

    stop_reason: str
    model: str
    usage: dict[str, int] = field(default_factory=lambda: {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0})
    notice: str | None = None


def _import_sdk(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ProviderFailure(
            "no_sdk",
            f"The {name} package is not installed in this kernel's environment. Install it with "
            f"%pip install '{name}' (or pip install 'jupyterlab_aimagic[magic]'), then run the cell again.",
        ) from None


def endpoint_for(provider: str, base_urls: dict[str, str]) -> Endpoint:
    """Where a provider is reached from the kernel: settings, then environment, then default."""
    info = provider_data(provider)
    if info is None:
        raise ProviderFailure("unsupported", f'Unknown provider "{provider}". Known providers: anthropic, openai, local.')
    env_url = {"anthropic": "ANTHROPIC_BASE_URL", "openai": "OPENAI_BASE_URL", "local": LOCAL_URL_ENV}[provider]
    base = base_urls.get(provider) or os.environ.get(env_url) or None
    if provider == "local":
        base = (base or info["baseURL"]).rstrip("/") + "/v1"
    return Endpoint(provider, info["label"], info.get("keyEnv"), base, 0 if provider == "local" else 2)


def _key(endpoint: Endpoint) -> str:
    if endpoint.provider == "local":
        return os.environ.get("AIMAGIC_LOCAL_KEY") or "no-key"
    key = os.environ.get(endpoint.key_env or "")
    if not key:
        raise ProviderFailure(
            "no_key",
            f"No {endpoint.label} API key in the kernel's environment. Export {endpoint.key_env} before starting Jupyter "
            f"(or the kernel), e.g. export {endpoint.key_env}=…; do not write the key into a cell, where it would be saved "
            "with the notebook. Or choose another provider: %%ai -p openai|anthropic|local.",
        )
    return key


def stream_reply(endpoint: Endpoint, body: dict[str, Any], on_text: Callable[[str], None]) -> Finish:
    """Stream a body to its provider, calling ``on_text`` with each piece of text.

    Raises ProviderFailure (with ``text_received`` set on it when a reply was cut short);
    KeyboardInterrupt passes through after the connection is closed.
    """
    state = {"mid": False}
    try:
        if endpoint.provider == "anthropic":
            return _anthropic(endpoint, body, on_text, state)
        return _chat_completions(endpoint, body, on_text, state)
    except (ProviderFailure, KeyboardInterrupt):
        raise
    except Exception as err:  # the SDK's and its HTTP client's errors, mapped to a message
        raise to_failure(err, endpoint.label, endpoint.key_env, endpoint.base_url, state["mid"]) from None


def _anthropic(endpoint: Endpoint, body: dict[str, Any], on_text: Callable[[str], None], state: dict[str, bool]) -> Finish:
    sdk = _import_sdk("anthropic")
    key = _key(endpoint)
    client = sdk.Anthropic(api_key=key, base_url=endpoint.base_url, max_retries=endpoint.max_retries)
    finish = Finish("end_turn", body["model"])
    with client.messages.create(**body) as stream:
        for event in _events(stream):
            kind = getattr(event, "type", None)
            if kind == "message_start":
                finish.model = event.message.model or finish.model
                finish.usage = _anthropic_usage(event.message.usage, finish.usage)
            elif kind == "content_block_delta" and getattr(event.delta, "type", None) == "text_delta" and event.delta.text:
                state["mid"] = True
                on_text(event.delta.text)
            elif kind == "message_delta":
                finish.stop_reason = event.delta.stop_reason or finish.stop_reason
                finish.usage = _anthropic_usage(event.usage, finish.usage)
    return finish


def _anthropic_usage(usage: Any, before: dict[str, int]) -> dict[str, int]:
    # message_delta's usage is cumulative; fields it leaves out keep message_start's values.
    def get(name: str, old: int) -> int:
        value = getattr(usage, name, None)
        return value if isinstance(value, int) else old

    creation = getattr(usage, "cache_creation", None)
    return {
        "input": get("input_tokens", before["input"]),
        "output": get("output_tokens", before["output"]),
        "cacheRead": get("cache_read_input_tokens", before["cacheRead"]),
        "cacheWrite": get("cache_creation_input_tokens", before["cacheWrite"]),
        "cacheWrite1h": getattr(creation, "ephemeral_1h_input_tokens", None) or before.get("cacheWrite1h", 0),
    }


def _chat_completions(endpoint: Endpoint, body: dict[str, Any], on_text: Callable[[str], None], state: dict[str, bool]) -> Finish:
    sdk = _import_sdk("openai")
    key = _key(endpoint)
    client = sdk.OpenAI(api_key=key, base_url=endpoint.base_url, max_retries=endpoint.max_retries)
    finish = Finish("end_turn", body["model"])
    usage_seen = False
    with client.chat.completions.create(**body) as stream:
        for chunk in _events(stream):
            finish.model = getattr(chunk, "model", None) or finish.model
            for choice in chunk.choices or []:
                text = getattr(choice.delta, "content", None) if choice.delta else None
                if text:
                    state["mid"] = True
                    on_text(text)
                if choice.finish_reason:
                    finish.stop_reason = _STOP_REASONS.get(choice.finish_reason, choice.finish_reason)
            if getattr(chunk, "usage", None):
                usage_seen = True
                finish.usage = _chat_usage(chunk.usage, getattr(chunk, "model_extra", None) or {})
    if not usage_seen:
        finish.notice = "the server reported no usage"
    return finish


_STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "content_filter": "refusal"}


def _chat_usage(u: Any, extra: dict[str, Any]) -> dict[str, int]:
    # As toOpenAIUsage: cached tokens from the usage details, else llama.cpp's timings.
    details = getattr(u, "prompt_tokens_details", None)
    timings = extra.get("timings") if isinstance(extra.get("timings"), dict) else {}
    cached = getattr(details, "cached_tokens", None)
    read = cached if isinstance(cached, int) else (timings.get("cache_n") or 0)
    write = 0
    if details is not None:
        write = getattr(details, "cache_write_tokens", None) or (getattr(details, "model_extra", None) or {}).get("cache_write_tokens") or 0
    return {"input": max(0, (u.prompt_tokens or 0) - read - write), "output": u.completion_tokens or 0, "cacheRead": read, "cacheWrite": write}


def _events(stream: Any) -> Iterator[Any]:
    yield from stream
