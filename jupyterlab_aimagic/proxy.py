"""``aimagic/proxy/<provider>/<path>``: the browser's SDK talks to the provider through here.

Why a proxy at all: the key stays in the Jupyter server's environment and never reaches the
browser, and only configured upstreams are reachable (so the server is no open relay).
Why unbuffered: the notebook shows the answer as it streams; every upstream chunk is
written and flushed as soon as it arrives. Why abort on failure: if the upstream breaks
mid-answer, the client must see a broken stream, not a clean end of a truncated answer.
"""

from __future__ import annotations

import asyncio
import json
import re
import time

import httpx
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import httputil, web
from tornado.iostream import StreamClosedError

from .config import AIMagic
from .engine.extension import engine_answer
from .errors import display_name, error_body, no_key_message
from .target_url import UnsafePath, target_url

# Request headers the SDKs send that the upstream needs. Everything else (cookie, host,
# authorization, x-api-key, x-xsrftoken, origin, referer, ...) is dropped.
_REQUEST_HEADERS = frozenset({"accept", "content-type", "idempotency-key"})
_REQUEST_PREFIXES = ("anthropic-", "openai-", "x-stainless-")
# The organization and project headers choose whose account the server's key bills: the
# administrator sets that with the key, not the browser.
_REQUEST_DROPPED = frozenset(
    {"anthropic-dangerous-direct-browser-access", "openai-organization", "openai-project"}
)

# Response headers the SDKs read (ids, rate limits, retry hints). Hop-by-hop headers,
# content-length (we re-chunk) and set-cookie (the upstream's, not Jupyter's) never pass.
_RESPONSE_HEADERS = frozenset(
    {
        "cache-control",
        "content-encoding",
        "content-type",
        "request-id",
        "retry-after",
        "retry-after-ms",
        "x-request-id",
        "x-should-retry",
    }
)
_RESPONSE_PREFIXES = ("anthropic-", "openai-", "x-ratelimit-")


def forwarded_request_headers(headers: httputil.HTTPHeaders) -> dict[str, str]:
    """The subset of the browser's request headers that goes upstream."""
    out = {}
    for name, value in headers.get_all():
        lower = name.lower()
        if lower in _REQUEST_DROPPED:
            continue
        if lower in _REQUEST_HEADERS or lower.startswith(_REQUEST_PREFIXES):
            out[lower] = value
    return out


def forwarded_response_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    """The subset of the upstream's response headers that goes back to the browser."""
    return [
        (name, value)
        for name, value in headers.multi_items()
        if name in _RESPONSE_HEADERS or name.startswith(_RESPONSE_PREFIXES)
    ]


class ProxyHandler(APIHandler):
    """Forward GET and POST to the provider's upstream, adding its key, streaming back."""

    auth_resource = "aimagic"

    def initialize(self, config: AIMagic, client: httpx.AsyncClient, route: str) -> None:
        self._config = config
        self._client = client
        self._route = re.compile(route)
        self._provider: str | None = None
        self._path = ""
        self._started = time.monotonic()
        self._upstream: asyncio.Future | None = None
        self._client_gone = False
        self._aborted = False
        self._content_type = "application/json"  # until the upstream says otherwise

    @web.authenticated
    @authorized
    async def get(self, provider: str, path: str) -> None:
        await self._proxy(provider)

    @web.authenticated
    @authorized
    async def post(self, provider: str, path: str) -> None:
        await self._proxy(provider)

    def on_connection_close(self) -> None:
        # The browser aborted: stop paying for tokens nobody will read.
        super().on_connection_close()
        if self._aborted:
            return  # we closed it ourselves after the upstream broke
        self._client_gone = True
        if self._upstream is not None and not self._upstream.done():
            self._upstream.cancel()

    def on_finish(self) -> None:
        if self._provider is not None:
            self.log.debug(
                "aimagic proxy %s %s %s -> %s%s in %.3fs",
                self.request.method,
                self._provider,
                self._path,
                self.get_status(),
                " (aborted)" if self._aborted else " (client gone)" if self._client_gone else "",
                time.monotonic() - self._started,
            )

    async def _proxy(self, provider: str) -> None:
        # Use the raw (still encoded) path: it is what gets checked and forwarded.
        match = self._route.fullmatch(self.request.path)
        self._provider = provider
        self._path = raw_path = match.group(2) if match else ""
        base = self._config.upstreams.get(provider)
        if base is None:
            self._fail(404, None, "unknown_provider", f"No AI Magic provider {provider!r}.")
            return
        try:
            url = target_url(base, raw_path, self.request.query)
        except UnsafePath as exc:
            self._fail(400, provider, "invalid_path", f"Refused proxy path: {exc}.")
            return
        limit = self._config.max_request_bytes
        if len(self.request.body or b"") > limit:
            message = (
                f"The request is larger than the proxy's limit of {limit:,} bytes "
                "(c.AIMagic.max_request_bytes): leave out large outputs or images, or skip cells."
            )
            self._fail(413, provider, "request_too_large", message)
            return
        headers = forwarded_request_headers(self.request.headers)
        env = self._config.key_env_for(provider)
        if env:
            key = self._config.key_for(provider)
            if not key:
                self._fail(401, provider, "no_api_key", no_key_message(provider, env))
                return
            headers["authorization"] = f"Bearer {key}"
        headers["accept-encoding"] = "identity"  # compressors buffer; we want every token now
        self._upstream = asyncio.ensure_future(self._forward(provider, base, url, headers))
        try:
            await self._upstream
        except asyncio.CancelledError:
            if not self._client_gone:  # we are being cancelled (shutdown): so is the upstream
                self._upstream.cancel()
                raise

    async def _forward(self, provider: str, base: str, url: str, headers: dict) -> None:
        request = self._client.build_request(
            self.request.method,
            url,
            headers=headers,
            content=self.request.body or None,
            timeout=httpx.Timeout(
                self._config.request_timeout,
                connect=self._config.connect_timeout,
                pool=self._config.connect_timeout,
            ),
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            answer = await engine_answer(self.settings, provider, exc)
            if answer is not None:  # the local engine is starting, or says why it cannot
                if answer.retry_after:
                    self.set_header("Retry-After", str(answer.retry_after))
                self._fail(answer.status, provider, answer.kind, answer.message)
                return
            problem = (
                "did not answer in time"
                if isinstance(exc, httpx.TimeoutException)
                else "could not be reached"
            )
            message = (
                f"The {display_name(provider)} upstream {base} {problem} "
                f"({type(exc).__name__}: {exc})."
            )
            self._fail(502, provider, "upstream_unreachable", message)
            return
        try:
            self._start_reply(response)
            await self.flush()  # status and headers now, before the first token
            async for chunk in response.aiter_raw():
                self.write(chunk)
                await self.flush()
        except httpx.HTTPError as exc:
            # Headers are out; a clean end would pass a truncated answer off as complete.
            self.log.warning(
                "aimagic proxy %s %s: upstream failed mid-answer (%s); aborting the reply",
                provider,
                self._path,
                type(exc).__name__,
            )
            self._aborted = True
            self.request.connection.close()
        except StreamClosedError:
            self._client_gone = True
        finally:
            await response.aclose()

    def _start_reply(self, response: httpx.Response) -> None:
        try:
            self.set_status(response.status_code, response.reason_phrase or None)
        except ValueError:  # a reason phrase tornado will not send
            self.set_status(response.status_code)
        self.clear_header("Content-Type")
        for name, value in forwarded_response_headers(response.headers):
            self.add_header(name, value)
        self.set_header("X-Accel-Buffering", "no")  # ask nginx & co. not to buffer either
        self._content_type = response.headers.get("content-type", "application/json")

    def finish(self, *args, **kwargs):
        # APIHandler.finish forces application/json; keep the upstream's type.
        kwargs.setdefault("set_content_type", self._content_type)
        return super().finish(*args, **kwargs)

    def _fail(self, status: int, provider: str | None, kind: str, message: str) -> None:
        self.set_status(status)
        self.finish(json.dumps(error_body(provider, kind, message)))
