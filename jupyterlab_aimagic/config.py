"""Server-side settings of the provider proxy.

A traitlets ``Configurable`` because that is how Jupyter administrators already configure
the server: ``c.AIMagic.upstreams`` in ``jupyter_server_config.py``, or an ``"AIMagic"``
section in a JSON config file. Keys are deliberately *not* settings: they stay in the
server's environment, are read at request time (so rotating a key needs no config change)
and never travel to the browser.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from traitlets import Dict, Float, Int, TraitError, Unicode, validate
from traitlets.config import Configurable

#: Base URLs as the official SDKs use them: OpenAI's includes ``/v1``, Anthropic's does not.
#: ``local`` is a model server on this machine (llama.cpp's llama-server, Ollama, vLLM) by its
#: root: the frontend adds ``/v1`` for Chat Completions and uses llama.cpp's ``/slots`` to keep
#: the docs prefix on disk. It needs no key. ``AIMAGIC_LOCAL_URL`` moves it (scripts/start.sh
#: sets it to the local engine it started).
DEFAULT_UPSTREAMS = {
    "anthropic": "https://api.anthropic.com",
    "openai": "https://api.openai.com/v1",
    "local": os.environ.get("AIMAGIC_LOCAL_URL") or "http://127.0.0.1:8080",
}

#: Environment variables holding each provider's key, the names the SDKs themselves use.
DEFAULT_KEY_ENV = {
    "anthropic": "ANTHROPIC_API_KEY",
    "openai": "OPENAI_API_KEY",
}


class AIMagic(Configurable):
    """Which upstreams the proxy may reach, where their keys live, and how long to wait."""

    upstreams = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        default_value=DEFAULT_UPSTREAMS,
        config=True,
        help="""Provider name -> upstream base URL (http or https). Only these are reachable
        through aimagic/proxy/<name>/. Assigning replaces the defaults; to change one, e.g.
        the port of the local model server (its root, without /v1), use
        c.AIMagic.upstreams.update({"local": "http://127.0.0.1:11434"}).""",
    )

    key_env = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(allow_none=True),
        default_value=DEFAULT_KEY_ENV,
        config=True,
        help="""Provider name -> name of the environment variable of the Jupyter server that
        holds its API key, sent upstream as 'Authorization: Bearer <key>'. A provider without
        an entry (or with None) is proxied without any key, as local OpenAI-compatible
        servers need.""",
    )

    request_timeout = Float(
        600.0,
        config=True,
        help="""Seconds to wait for the upstream's response headers, and at most this long
        between two chunks of its body. A streamed answer may take longer in total.""",
    )

    connect_timeout = Float(
        20.0,
        config=True,
        help="Seconds to wait for a connection to the upstream.",
    )

    max_request_bytes = Int(
        32 * 1024 * 1024,
        config=True,
        help="""Largest request body the proxy forwards, in bytes; larger ones are answered 413
        without reaching the upstream.""",
    )

    @validate("upstreams")
    def _check_upstreams(self, proposal):
        # Reject what could make the "final URL starts with the upstream" check meaningless.
        cleaned = {}
        for name, url in proposal["value"].items():
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise TraitError(f"AIMagic.upstreams[{name!r}]: not an http(s) URL: {url!r}")
            if parts.username is not None or parts.password is not None:
                # The URL is shown to the browser (aimagic/status) and in error messages.
                raise TraitError(
                    f"AIMagic.upstreams[{name!r}]: no credentials in the URL; put the key in the "
                    "server's environment and name it in c.AIMagic.key_env"
                )
            if parts.query or parts.fragment:
                raise TraitError(f"AIMagic.upstreams[{name!r}]: no query or fragment: {url!r}")
            if "/" in name or not name:
                raise TraitError(f"AIMagic.upstreams: invalid provider name {name!r}")
            cleaned[name] = url.rstrip("/")
        return cleaned

    def key_env_for(self, provider: str) -> str | None:
        """The environment variable holding ``provider``'s key, or None if it needs none."""
        return self.key_env.get(provider) or None

    def key_for(self, provider: str) -> str | None:
        """``provider``'s key, read now from the environment; None if unset or empty."""
        env = self.key_env_for(provider)
        return (os.environ.get(env) or None) if env else None
