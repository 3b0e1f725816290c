"""Fixtures: a Jupyter server with the extension, and a small real upstream to proxy to.

The upstream is a real tornado server on 127.0.0.1 so the tests exercise real sockets:
chunked streaming, dropped connections and client aborts behave as they do in production.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest
import tornado.httpserver
import tornado.testing
import tornado.web
from traitlets.config import Config

pytest_plugins = ("pytest_jupyter.jupyter_server",)

ERROR_BODY = b'{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}'
ANTHROPIC_KEY = "sk-ant-api03-TESTSECRET-anthropic-5d1e"
OPENAI_KEY = "sk-proj-TESTSECRET-openai-c07a"
SECRETS = (ANTHROPIC_KEY, OPENAI_KEY)


@dataclass
class Seen:
    """One request as the upstream received it."""

    method: str
    uri: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Upstream:
    """The fake provider: records requests; the tests steer its timing with events."""

    port: int
    requests: list[Seen] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)  # lets "stream" finish
    closed: asyncio.Event = field(default_factory=asyncio.Event)  # the proxy hung up on us

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class UpstreamHandler(tornado.web.RequestHandler):
    """Behaves according to the last path segment; anything else echoes the request."""

    def initialize(self, upstream: Upstream) -> None:
        self.upstream = upstream

    async def get(self, path: str) -> None:
        await self._serve(path.rsplit("/", 1)[-1])

    async def post(self, path: str) -> None:
        await self._serve(path.rsplit("/", 1)[-1])

    def on_connection_close(self) -> None:
        self.upstream.closed.set()

    async def _serve(self, action: str) -> None:
        headers = {k.lower(): v for k, v in self.request.headers.get_all()}
        seen = Seen(self.request.method, self.request.uri, headers, self.request.body)
        self.upstream.requests.append(seen)
        if action == "stream":
            self.set_header("Content-Type", "text/event-stream")
            self.write(b"event: one\ndata: {}\n\n")
            await self.flush()
            await self.upstream.release.wait()
            self.write(b"event: two\ndata: {}\n\n")
        elif action == "drop":
            self.set_header("Content-Type", "text/event-stream")
            self.write(b"event: one\ndata: {}\n\n")
            await self.flush()
            await asyncio.sleep(0.05)
            self.request.connection.close()
        elif action == "hang":
            await asyncio.Event().wait()  # until the proxy gives up and cancels us
        elif action in ("error429", "error529"):
            status = int(action[-3:])
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            self.set_header("Retry-After", "7")
            self.set_header("Set-Cookie", "upstream=1")
            self.write(ERROR_BODY)
        else:
            self.set_header("Content-Type", "application/json")
            self.set_header("Request-Id", "req_123")
            self.set_header("Anthropic-Ratelimit-Requests-Remaining", "41")
            self.set_header("X-Ratelimit-Remaining-Tokens", "9000")
            self.set_header("Set-Cookie", "upstream=1")
            self.set_header("Server", "fake-upstream")
            self.write(json.dumps({"method": seen.method, "uri": seen.uri}))


def serve(loop, make_app) -> tuple[int, tornado.httpserver.HTTPServer]:
    """Start ``make_app(port)`` on a random port of 127.0.0.1; the port and the server."""
    sock, port = tornado.testing.bind_unused_port()
    app = make_app(port)

    async def start():
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets([sock])
        return server

    return port, loop.run_until_complete(start())


@pytest.fixture
def upstream(jp_asyncio_loop):
    """A running fake provider on a random port."""
    fakes = []

    def make_app(port):
        fakes.append(Upstream(port))
        return tornado.web.Application([(r"/(.*)", UpstreamHandler, {"upstream": fakes[0]})])

    _, server = serve(jp_asyncio_loop, make_app)
    fake = fakes[0]
    yield fake
    server.stop()
    jp_asyncio_loop.run_until_complete(server.close_all_connections())


@pytest.fixture
def down_url():
    """A URL where nothing listens: the port was bound once, then released."""
    sock, port = tornado.testing.bind_unused_port()
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def provider_env(monkeypatch):
    """Known keys in the environment, and no HTTP proxy between us and the fake upstream."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def jp_server_config(upstream, down_url):
    """Load the extension; point each provider at the fake upstream (or nowhere)."""
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_aimagic": True}},
            "AIMagic": {
                "upstreams": {
                    "anthropic": upstream.url,
                    "openai": f"{upstream.url}/v1",
                    "local": f"{upstream.url}/local/v1",
                    "down": f"{down_url}/v1",
                },
                "key_env": {
                    "anthropic": "ANTHROPIC_API_KEY",
                    "openai": "OPENAI_API_KEY",
                    "down": "OPENAI_API_KEY",
                },
            },
        }
    )


@pytest.fixture
def aimagic_config(jp_serverapp):
    """The live AIMagic config object of the running server (tests may adjust timeouts)."""
    return jp_serverapp.web_app.settings["aimagic_config"]


@pytest.fixture
def fetch(jp_fetch, jp_serverapp, jp_asyncio_loop):
    """jp_fetch that never raises on HTTP errors; closes the proxy's HTTP client after."""

    def _fetch(*parts, **kwargs):
        kwargs.setdefault("raise_error", False)
        return jp_fetch(*parts, **kwargs)

    yield _fetch
    client = jp_serverapp.web_app.settings["aimagic_client"]
    jp_asyncio_loop.run_until_complete(client.aclose())


@pytest.fixture
def raw_fetch(http_server_client, jp_base_url, fetch):
    """Fetch a raw, already-encoded path under base_url; no Jupyter token unless given."""

    def _fetch(raw_path: str, **kwargs):
        kwargs.setdefault("raise_error", False)
        kwargs.setdefault("request_timeout", 10)
        return http_server_client.fetch(jp_base_url + raw_path, **kwargs)

    return _fetch
