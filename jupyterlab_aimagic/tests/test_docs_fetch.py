"""Doc fetching: limits, the on-disk cache and its revalidation, against a real local HTTP server."""

from __future__ import annotations

import asyncio
import gzip
import json
from dataclasses import dataclass, field

import pytest
import tornado.httpserver
import tornado.testing
import tornado.web
from traitlets.config import Config

from jupyterlab_aimagic.docs_fetch import AIMagicDocs, DocsFetcher, Fetched, FetchError

DOC = "# Widgets\n\nUse `draw()`.\n"


@dataclass
class Site:
    """A documentation site whose answers the tests steer; it counts requests per path."""

    port: int
    hits: dict[str, int] = field(default_factory=dict)
    conditional: list[str] = field(default_factory=list)
    etag: str = '"v1"'
    body: str = DOC
    down: bool = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class SiteHandler(tornado.web.RequestHandler):
    def initialize(self, site: Site) -> None:
        self.site = site

    async def get(self, path: str) -> None:
        site = self.site
        site.hits[path] = site.hits.get(path, 0) + 1
        if self.request.headers.get("If-None-Match") or self.request.headers.get("If-Modified-Since"):
            site.conditional.append(path)
        if site.down:
            self.set_status(503)
            return
        if path == "etag.md":
            if self.request.headers.get("If-None-Match") == site.etag:
                self.set_status(304)
                return
            self.set_header("ETag", site.etag)
            self.set_header("Content-Type", "text/markdown; charset=utf-8")
            self.write(site.body)
        elif path == "modified.txt":
            stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
            if self.request.headers.get("If-Modified-Since") == stamp:
                self.set_status(304)
                return
            self.set_header("Last-Modified", stamp)
            self.set_header("Content-Type", "text/plain")
            self.write(site.body)
        elif path == "big.txt":
            self.set_header("Content-Type", "text/plain")
            self.write("x" * 5000)
        elif path == "big-chunked.txt":
            self.set_header("Content-Type", "text/plain")
            for _ in range(10):
                self.write("y" * 1000)
                await self.flush()
        elif path == "gzip-bomb.txt":
            self.set_header("Content-Type", "text/plain")
            self.set_header("Content-Encoding", "gzip")
            self.write(gzip.compress(b"z" * 50_000))
        elif path == "slow.md":
            await asyncio.sleep(3)
            self.write(DOC)
        elif path == "image.png":
            self.set_header("Content-Type", "image/png")
            self.write(b"\x89PNG\r\n\x1a\n\x00\x00")
        elif path == "octet.md":
            self.set_header("Content-Type", "application/octet-stream")
            self.write(DOC.encode())
        elif path == "octet.bin":
            self.set_header("Content-Type", "application/octet-stream")
            self.write(b"\x00\x01\x02binary")
        elif path.startswith("hop/"):
            n = int(path.split("/")[1])
            self.redirect(f"/hop/{n - 1}" if n > 0 else "/etag.md")
        elif path == "to-ftp":
            self.redirect("ftp://example.org/doc.md")
        elif path == "missing.md":
            self.set_status(404)
            self.write("no such page")
        else:
            self.set_status(500)


@pytest.fixture
def site(jp_asyncio_loop):
    """A local HTTP server on 127.0.0.1 with a random port."""
    sock, port = tornado.testing.bind_unused_port()
    s = Site(port)
    app = tornado.web.Application([(r"/(.*)", SiteHandler, {"site": s})])

    async def start():
        server = tornado.httpserver.HTTPServer(app, decompress_request=False)
        server.add_sockets([sock])
        return server

    server = jp_asyncio_loop.run_until_complete(start())
    yield s
    server.stop()


@pytest.fixture
def docs_config(tmp_path, site):
    return AIMagicDocs(
        cache_dir=str(tmp_path / "docs-cache"),
        max_bytes=4096,
        timeout=1.0,
        max_redirects=3,
        max_age=600,
        allowed_hosts=[f"127.0.0.1:{site.port}"],  # loopback is refused unless allowed
    )


@pytest.fixture
def fetcher(docs_config, jp_asyncio_loop):
    f = DocsFetcher(docs_config)
    yield f
    jp_asyncio_loop.run_until_complete(f.client.aclose())


@pytest.mark.parametrize(
    "path, kind, words",
    [
        ("missing.md", "http_status", ["404", "missing.md"]),
        ("big.txt", "too_large", ["4,096 bytes", "c.AIMagicDocs.max_bytes"]),
        ("big-chunked.txt", "too_large", ["4,096 bytes"]),
        ("gzip-bomb.txt", "too_large", ["4,096 bytes"]),
        ("slow.md", "timeout", ["within 1 s"]),
        ("image.png", "not_text", ["image/png"]),
        ("octet.bin", "not_text", ["binary data"]),
        ("hop/5", "too_many_redirects", ["More than 3 redirects"]),
        ("to-ftp", "bad_url", ["Only http and https", "ftp:"]),
    ],
)
async def test_limits_fail_with_a_reason(fetcher, site, path, kind, words):
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(site.url(f"/{path}"))
    assert info.value.kind == kind
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "url, words",
    [("file:///etc/passwd", ["file:"]), ("ftp://x.org/a", ["ftp:"]), ("http:///nohost", ["no host"]), ("", ["Only http"])],
)
async def test_only_http_urls(fetcher, url, words):
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(url)
    assert info.value.kind == "bad_url" and info.value.status == 400
    assert all(w in str(info.value) for w in words)


@pytest.mark.parametrize("path", ["etag.md", "octet.md", "hop/2"])
async def test_text_is_fetched(fetcher, site, path):
    doc = await fetcher.fetch(site.url(f"/{path}"))
    assert doc.text == DOC and doc.origin == "network"
    assert doc.final_url.endswith("/etag.md" if path.startswith("hop") else path)


async def test_fresh_copy_is_served_from_disk_without_asking(docs_config, site, jp_asyncio_loop):
    first = DocsFetcher(docs_config)
    await first.fetch(site.url("/etag.md"))
    await first.client.aclose()
    # A new fetcher (a restarted server, a reopened notebook) reads the disk cache.
    again = DocsFetcher(docs_config)
    doc = await again.fetch(site.url("/etag.md"))
    await again.client.aclose()
    assert (doc.origin, doc.text, site.hits["etag.md"]) == ("cache", DOC, 1)


@pytest.mark.parametrize("path, header", [("etag.md", "etag"), ("modified.txt", "last_modified")])
async def test_old_copy_is_revalidated_not_downloaded(fetcher, site, path, header):
    url = site.url(f"/{path}")
    first = await fetcher.fetch(url)
    assert getattr(first, header)
    fetcher.config.max_age = 0
    doc = await fetcher.fetch(url)
    assert (doc.origin, doc.text, site.hits[path], site.conditional) == ("revalidated", DOC, 2, [path])


async def test_refresh_revalidates_and_picks_up_a_change(fetcher, site):
    url = site.url("/etag.md")
    await fetcher.fetch(url)
    site.etag, site.body = '"v2"', "# Widgets 2\n"
    assert (await fetcher.fetch(url)).text == DOC  # fresh: not asked
    doc = await fetcher.fetch(url, refresh=True)
    assert (doc.origin, doc.text) == ("network", "# Widgets 2\n")
    assert fetcher.cache.get(url).text == "# Widgets 2\n"


async def test_unreachable_source_serves_the_cached_copy_marked_stale(fetcher, site):
    url = site.url("/etag.md")
    await fetcher.fetch(url)
    site.down = True
    doc = await fetcher.fetch(url, refresh=True)
    assert doc.origin == "stale" and doc.text == DOC
    assert "503" in doc.stale and "showing the copy fetched" in doc.stale
    # It stays stale until a check succeeds, though the copy is young enough not to be checked.
    again = await fetcher.fetch(url)
    assert (again.origin, again.stale, again.text) == ("stale", doc.stale, DOC)
    site.down = False
    fixed = await fetcher.fetch(url, refresh=True)
    assert (fixed.origin, fixed.stale) == ("revalidated", None)
    assert (await fetcher.fetch(url)).origin == "cache"


async def test_a_404_is_not_hidden_behind_a_cached_copy(fetcher, site):
    fetcher.cache.put(Fetched(url=site.url("/missing.md"), final_url="", text="old", content_type="text/plain"))
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(site.url("/missing.md"), refresh=True)
    assert info.value.kind == "http_status"


def post_doc(jp_fetch, args: dict):
    """POST to the fetch route, never raising on HTTP errors."""
    return jp_fetch("aimagic", "docs", "fetch", method="POST", body=json.dumps(args), raise_error=False)


@pytest.fixture
def jp_server_config(tmp_path, site):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_aimagic": True}},
            "AIMagicDocs": {
                "cache_dir": str(tmp_path / "route-cache"),
                "max_bytes": 4096,
                "allowed_hosts": [f"127.0.0.1:{site.port}"],
            },
        }
    )


async def test_route_returns_the_doc_then_serves_it_from_cache(jp_fetch, site, jp_serverapp):
    url = site.url("/etag.md")
    first = json.loads((await post_doc(jp_fetch, {"url": url})).body)
    second = json.loads((await post_doc(jp_fetch, {"url": url})).body)
    assert (first["text"], first["origin"], first["etag"]) == (DOC, "network", '"v1"')
    assert (second["text"], second["origin"]) == (DOC, "cache")
    assert site.hits["etag.md"] == 1
    await jp_serverapp.web_app.settings["aimagic_docs_fetcher"].client.aclose()


@pytest.mark.parametrize(
    "path, status, kind",
    [("/missing.md", 502, "http_status"), ("/big.txt", 413, "too_large"), ("/image.png", 415, "not_text")],
)
async def test_route_errors_are_json_with_a_message(jp_fetch, site, path, status, kind):
    response = await post_doc(jp_fetch, {"url": site.url(path)})
    assert response.code == status
    error = json.loads(response.body)["error"]
    assert error["kind"] == kind and error["message"]


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"url": 3}'])
async def test_route_refuses_a_malformed_body(jp_fetch, body):
    response = await jp_fetch("aimagic", "docs", "fetch", method="POST", body=body, raise_error=False)
    assert response.code == 400
    assert json.loads(response.body)["error"]["kind"] == "bad_request"


async def test_route_needs_authentication(http_server_client, jp_base_url, site):
    response = await http_server_client.fetch(
        f"{jp_base_url}aimagic/docs/fetch", method="POST", body=json.dumps({"url": site.url("/etag.md")}), raise_error=False
    )
    assert response.code == 403
    assert site.hits == {}
