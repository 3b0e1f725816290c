"""``aimagic/status``: what the frontend needs to choose a route to each provider.

It says which providers the proxy serves and whether a key is configured for each, so AI
cells can explain how to set a key before a request fails. It never returns a key.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web

from .config import AIMagic


def package_version() -> str:
    """The built package's version, or "dev" in a source tree that was never built."""
    try:
        from ._version import __version__
    except ImportError:
        return "dev"
    return __version__


def status(config: AIMagic) -> dict:
    """The status document for ``config``, with key presence read from the environment now."""
    return {
        "version": package_version(),
        "providers": {
            name: {
                "upstream": upstream,
                "key": config.key_for(name) is not None,
                "keyEnv": config.key_env_for(name),
            }
            for name, upstream in config.upstreams.items()
        },
    }


class StatusHandler(APIHandler):
    """GET the proxy's providers and key presence."""

    auth_resource = "aimagic"

    def initialize(self, config: AIMagic) -> None:
        self._config = config

    @web.authenticated
    @authorized
    def get(self) -> None:
        self.finish(json.dumps(status(self._config)))
