"""Fetch context docs by URL for the notebook: ``POST aimagic/docs/fetch`` with
``{"url": …, "refresh": false}``.

Why on the server: the browser cannot read most documentation sites (no CORS headers), and
a copy kept on disk means reopening a notebook does not download its docs again. The
fetcher is deliberately narrow: http and https only, a size cap, a time limit for the whole
fetch, a cap on redirects (each hop checked again), text only. A cached copy younger than
``max_age`` is served as is; an older one is revalidated with ``If-None-Match`` /
``If-Modified-Since``; when the source cannot be reached (network error, timeout, 5xx) a
cached copy is served marked stale, with the reason. Failures answer a JSON body
``{"error": {"kind", "message"}}`` with a message written for the notebook user.

The route is behind Jupyter's authentication and, being a POST, its XSRF check: another web
page cannot make the server fetch for it. But the URLs come from notebooks, and notebooks come
from other people: so only public addresses are fetched from (``addresses.py``; loopback,
link-local, private ranges refused after resolution, at every redirect, unless allowed with
``c.AIMagicDocs.allowed_hosts``), no cookie is kept between fetches, and the size limit holds
for the decompressed body too.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from urllib.parse import urljoin, urlsplit

import httpx
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web
from traitlets import Float, Int, List, TraitError, Unicode, default, validate
from traitlets.config import Configurable

from .addresses import RefusedAddress, parse_allowed
from .docs_body import ACCEPT_ENCODING, FetchError, decode_text, read_body, too_large
from .docs_cache import DocCache, Fetched, without_secrets
from .http_client import CheckedTransport, cookieless_client

__all__ = ["AIMagicDocs", "DocsFetchHandler", "DocsFetcher", "FetchError", "Fetched", "check_url"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class AIMagicDocs(Configurable):
    """Limits and cache of doc fetching (``c.AIMagicDocs.…``)."""

    max_bytes = Int(
        5 * 1024 * 1024, config=True, help="Largest doc fetched, in bytes (after decompression)."
    )
    timeout = Float(20.0, config=True, help="Seconds allowed for a whole fetch, redirects included.")
    max_redirects = Int(5, config=True, help="Most redirects followed for one fetch.")
    max_age = Float(
        600.0,
        config=True,
        help="""Seconds a fetched doc is used without asking the source again. After that it
        is revalidated (ETag / Last-Modified), which costs no download when unchanged.""",
    )
    cache_dir = Unicode(config=True, help="Folder of the on-disk doc cache.")
    allowed_hosts = List(
        Unicode(),
        config=True,
        help="""Hosts and address ranges docs may be fetched from although they are internal
        (loopback, link-local, private networks), for docs served locally. Each entry is a
        host name as written in the URL ("docs.internal"), an address or range ("10.1.0.0/16",
        "127.0.0.1"), optionally with a port ("127.0.0.1:8000", "[::1]:8000",
        "docs.internal:8080"). Public addresses need no entry.""",
    )

    @default("cache_dir")
    def _default_cache_dir(self) -> str:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return os.path.join(base, "jupyterlab-aimagic", "docs")

    @validate("allowed_hosts")
    def _check_allowed_hosts(self, proposal):
        for entry in proposal["value"]:
            try:
                parse_allowed(entry)
            except ValueError as e:
                raise TraitError(f"AIMagicDocs.allowed_hosts: {e}") from None
        return proposal["value"]


def check_url(url: str) -> str:
    """The URL if it may be fetched; FetchError otherwise."""
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # both raise ValueError when malformed
    except ValueError as e:
        raise FetchError("bad_url", f"Not a valid URL ({e}): {url!r}.", 400) from None
    if parts.scheme not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else url
        raise FetchError("bad_url", f"Only http and https URLs can be fetched, not {shown!r}.", 400)
    if not host:
        raise FetchError("bad_url", f"Not a complete URL (no host): {url!r}.", 400)
    return url


class DocsFetcher:
    """Fetches docs with the limits of ``AIMagicDocs`` and keeps them in a ``DocCache``."""

    def __init__(self, config: AIMagicDocs, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self.cache = DocCache(config.cache_dir)
        allowed = tuple(parse_allowed(entry) for entry in config.allowed_hosts)
        self.client = client or cookieless_client(
            transport=CheckedTransport(allowed), follow_redirects=False, trust_env=False
        )

    async def fetch(self, url: str, refresh: bool = False) -> Fetched:
        """The doc at ``url``: from the cache while fresh, else from the source."""
        check_url(url)
        cached = self.cache.get(url)
        now = time.time()
        if cached and not refresh and now - (cached.validated_at or 0) < self.config.max_age:
            # A copy whose last check failed stays marked stale until a check succeeds.
            cached.origin = "stale" if cached.stale else "cache"
            return cached
        try:
            return await asyncio.wait_for(self._from_source(url, cached), self.config.timeout)
        except asyncio.TimeoutError:
            error = self._timeout(url, "the answer did not complete")
        except FetchError as e:
            if e.kind not in ("network", "server", "timeout") or not cached:
                raise
            error = e
        if not cached:
            raise error
        cached.origin = "stale"
        cached.stale = f"{error} (showing the copy fetched {time.strftime('%Y-%m-%d %H:%M', time.localtime(cached.fetched_at or 0))})"
        self.cache.put(cached)
        return cached

    def _timeout(self, url: str, why: str) -> FetchError:
        host = urlsplit(url).hostname
        return FetchError("timeout", f"No complete answer from {host} within {self.config.timeout:g} s: {why}.", 504)

    async def _from_source(self, url: str, cached: Fetched | None) -> Fetched:
        headers = {
            "accept": "text/markdown, text/plain;q=0.9, text/*;q=0.8, */*;q=0.1",
            "accept-encoding": ACCEPT_ENCODING,
        }
        if cached and cached.etag:
            headers["if-none-match"] = cached.etag
        if cached and cached.last_modified:
            headers["if-modified-since"] = cached.last_modified
        # httpx's own default (5 s per phase) would cut a slow host short with an empty message.
        timeout = httpx.Timeout(self.config.timeout)
        target = url
        for _hop in range(self.config.max_redirects + 1):
            try:
                async with self.client.stream("GET", target, headers=headers, timeout=timeout) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        target = check_url(urljoin(target, response.headers["location"]))
                        continue
                    return await self._answer(url, target, response, cached)
            except RefusedAddress as e:
                raise FetchError("refused", str(e), 403) from None
            except httpx.TimeoutException as e:
                why = "could not connect" if isinstance(e, httpx.ConnectTimeout) else "the server stopped sending"
                raise self._timeout(target, why) from e
            except httpx.InvalidURL as e:
                raise FetchError("bad_url", f"Not a valid URL ({e}): {without_secrets(target)!r}.", 400) from None
            except httpx.HTTPError as e:
                host = urlsplit(target).hostname
                raise FetchError("network", f"Could not fetch from {host}: {str(e) or type(e).__name__}.") from e
        raise FetchError(
            "too_many_redirects",
            f"More than {self.config.max_redirects} redirects (the last to {without_secrets(target)}).",
            502,
        )

    async def _answer(self, url: str, final: str, response: httpx.Response, cached: Fetched | None) -> Fetched:
        now = time.time()
        if response.status_code == 304 and cached:
            cached.validated_at = now
            cached.origin = "revalidated"
            cached.stale = None
            self.cache.put(cached)
            return cached
        if response.status_code != 200:
            reason = response.reason_phrase or ""
            kind = "server" if response.status_code >= 500 or response.status_code == 429 else "http_status"
            shown = without_secrets(final)
            raise FetchError(kind, f"The server answered {response.status_code} {reason} for {shown}.".replace("  ", " "))
        limit = self.config.max_bytes
        length = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "")
        if length.isdigit() and int(length) > limit:
            raise too_large(limit)
        body = await read_body(response.aiter_raw(), encoding, limit)
        content_type = response.headers.get("content-type", "")
        doc = Fetched(
            url=url,
            final_url=final,
            text=decode_text(body, content_type),
            content_type=content_type,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            fetched_at=now,
            validated_at=now,
        )
        self.cache.put(doc)
        return doc


class DocsFetchHandler(APIHandler):
    """POST ``{"url", "refresh"}``; JSON with the doc's text, or an error body saying why not."""

    auth_resource = "aimagic"

    def initialize(self, fetcher: DocsFetcher) -> None:
        self._fetcher = fetcher

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.set_header("Content-Type", "application/json")
        try:
            args = json.loads(self.request.body or b"{}")
        except ValueError:
            args = None
        if not isinstance(args, dict) or not isinstance(args.get("url"), str):
            self.set_status(400)
            self.finish(json.dumps({"error": {"kind": "bad_request", "message": 'The body must be {"url": "…"}.'}}))
            return
        url, refresh = args["url"], args.get("refresh") is True
        try:
            doc = await self._fetcher.fetch(url, refresh=refresh)
        except FetchError as e:
            self.set_status(e.status)
            self.finish(json.dumps({"error": {"kind": e.kind, "message": str(e)}}))
            return
        self.finish(json.dumps(doc.to_json()))
