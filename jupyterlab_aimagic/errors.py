"""Error bodies the SDKs in the browser can read.

The proxy's own errors (no key, unreachable upstream, bad path) are shaped like the
provider's, so the Anthropic and OpenAI SDKs raise their usual typed errors with our
message, and the notebook shows one actionable sentence instead of a parse failure.
"""

from __future__ import annotations

from typing import Any

_DISPLAY_NAMES = {"anthropic": "Anthropic", "openai": "OpenAI", "local": "local model server"}


def display_name(provider: str) -> str:
    """A provider's name as people write it."""
    return _DISPLAY_NAMES.get(provider, provider)


def error_body(provider: str | None, kind: str, message: str) -> dict[str, Any]:
    """An error body in ``provider``'s shape; a generic OpenAI-like one for others."""
    if provider == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}, "request_id": None}
    if provider == "openai":
        return {"error": {"message": message, "type": kind, "code": kind, "param": None}}
    return {"error": {"type": kind, "message": message}}


def no_key_message(provider: str, env: str) -> str:
    """Tell exactly how to fix a missing key."""
    return (
        f"No {display_name(provider)} API key: set {env} in the environment of the "
        "Jupyter server and restart it."
    )
