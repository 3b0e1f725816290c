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
page cannot make the server fetch for it. Whoever may call it can already run code on the
server, so fetching a URL for them gives nothing away.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web
from traitlets import Float, Int, Unicode, default
from traitlets.config import Configurable

# Media types that are text although not text/*; "+json" and "+xml" suffixes also are.
_TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/javascript",
        "application/x-javascript",
        "application/yaml",
        "application/x-yaml",
        "application/toml",
        "application/x-ipynb+json",
        "application/markdown",
        "application/x-sh",
        "application/x-python",
    }
)
# Servers that do not know a file's type say so; the bytes decide then.
_SNIFFED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
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

    @default("cache_dir")
    def _default_cache_dir(self) -> str:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return os.path.join(base, "jupyterlab-aimagic", "docs")


class FetchError(Exception):
    """A doc that cannot be had; ``kind`` for programs, the message for people."""

    def __init__(self, kind: str, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass
class Fetched:
    """A fetched (or cached) doc, as the route returns it."""

    url: str
    final_url: str
    text: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0
    validated_at: float = 0.0
    #: "network", "cache" (fresh copy), "revalidated" (304) or "stale".
    origin: str = "network"
    #: Why a stale copy was served.
    stale: str | None = None
    meta: dict = field(default_factory=dict, repr=False)

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("meta")
        return d


def check_url(url: str) -> str:
    """The URL if it may be fetched; FetchError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else url
        raise FetchError("bad_url", f"Only http and https URLs can be fetched, not {shown!r}.", 400)
    if not parts.hostname:
        raise FetchError("bad_url", f"Not a complete URL (no host): {url!r}.", 400)
    return url


def _media_type(content_type: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = content_type or ""
    return msg.get_content_type() if content_type else "", msg.get_param("charset")


def decode_text(body: bytes, content_type: str) -> str:
    """The text of a body, or FetchError("not_text") when it is not text."""
    media, charset = _media_type(content_type)
    is_text = (
        media.startswith("text/")
        or media in _TEXT_TYPES
        or media.endswith(("+json", "+xml"))
    )
    if not is_text and media not in _SNIFFED_TYPES:
        raise FetchError("not_text", f"Not a text document: the server says it is {media}.", 415)
    if b"\x00" in body[:8192]:
        raise FetchError("not_text", "Not a text document: it holds binary data.", 415)
    try:
        return body.decode(str(charset or "utf-8"), errors="strict" if not is_text else "replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")
    except UnicodeDecodeError as e:
        raise FetchError("not_text", "Not a text document: it is not UTF-8 text.", 415) from e


class DocCache:
    """Fetched docs on disk: ``<sha256 of url>.json`` (headers, times) beside ``.txt``."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.txt"

    def get(self, url: str) -> Fetched | None:
        meta_path, text_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            text = text_path.read_text("utf-8")
        except (OSError, ValueError):
            return None
        if meta.get("url") != url:
            return None
        return Fetched(text=text, origin="cache", meta=meta, **{k: meta.get(k) for k in _META})

    def put(self, doc: Fetched) -> None:
        meta_path, text_path = self._paths(doc.url)
        self.folder.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: a crash never leaves half a doc behind.
        for path, data in ((text_path, doc.text), (meta_path, json.dumps({k: getattr(doc, k) for k in _META}))):
            tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
            tmp.write_text(data, "utf-8")
            os.replace(tmp, path)


_META = ("url", "final_url", "content_type", "etag", "last_modified", "fetched_at", "validated_at", "stale")


class DocsFetcher:
    """Fetches docs with the limits of ``AIMagicDocs`` and keeps them in a ``DocCache``."""

    def __init__(self, config: AIMagicDocs, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self.cache = DocCache(config.cache_dir)
        self.client = client or httpx.AsyncClient(follow_redirects=False)

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
            error = FetchError(
                "timeout", f"No complete answer from {urlsplit(url).hostname} within {self.config.timeout:g} s.", 504
            )
        except FetchError as e:
            if e.kind not in ("network", "server") or not cached:
                raise
            error = e
        if not cached:
            raise error
        cached.origin = "stale"
        cached.stale = f"{error} (showing the copy fetched {time.strftime('%Y-%m-%d %H:%M', time.localtime(cached.fetched_at or 0))})"
        self.cache.put(cached)
        return cached

    async def _from_source(self, url: str, cached: Fetched | None) -> Fetched:
        headers = {"accept": "text/markdown, text/plain;q=0.9, text/*;q=0.8, */*;q=0.1"}
        if cached and cached.etag:
            headers["if-none-match"] = cached.etag
        if cached and cached.last_modified:
            headers["if-modified-since"] = cached.last_modified
        target = url
        for _hop in range(self.config.max_redirects + 1):
            try:
                async with self.client.stream("GET", target, headers=headers) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        target = check_url(urljoin(target, response.headers["location"]))
                        continue
                    return await self._answer(url, target, response, cached)
            except httpx.HTTPError as e:
                host = urlsplit(target).hostname
                raise FetchError("network", f"Could not fetch from {host}: {e or type(e).__name__}.") from e
        raise FetchError(
            "too_many_redirects", f"More than {self.config.max_redirects} redirects (the last to {target}).", 502
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
            raise FetchError(kind, f"The server answered {response.status_code} {reason} for {final}.".replace("  ", " "))
        limit = self.config.max_bytes
        too_large = FetchError(
            "too_large", f"The doc is larger than the limit of {limit:,} bytes (c.AIMagicDocs.max_bytes).", 413
        )
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_large
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
        content_type = response.headers.get("content-type", "")
        doc = Fetched(
            url=url,
            final_url=final,
            text=decode_text(b"".join(chunks), content_type),
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
