"""What the doc fetcher refuses or keeps to itself, against real HTTP servers on 127.0.0.1:
internal addresses (also behind a redirect), cookies between hosts, a gzip bomb, a host that
hangs, and secrets in the disk cache."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import socket
import stat
import time
import tracemalloc
from dataclasses import dataclass, field

import pytest
import tornado.httpserver
import tornado.web
from traitlets.config import Config

from jupyterlab_aimagic.docs_fetch import AIMagicDocs, DocsFetcher, FetchError

from .conftest import serve

DOC = "# Guarded\n"
#: 64 MB of zeros, about 64 KB once compressed: far past any size limit once inflated.
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


@dataclass
class Host:
    """One web server; remembers the Cookie header of every request."""

    port: int
    cookies: list[str | None] = field(default_factory=list)
    other: int = 0  # the port of the other host, for redirects

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


class HostHandler(tornado.web.RequestHandler):
    def initialize(self, host: Host) -> None:
        self.host = host

    async def get(self, path: str) -> None:
        self.host.cookies.append(self.request.headers.get("Cookie"))
        self.set_header("Content-Type", "text/plain")
        if path == "set-cookie":
            self.set_header("Set-Cookie", "session=from-the-first-host; Path=/")
            self.write(DOC)
        elif path == "to-other":
            self.redirect(f"http://127.0.0.1:{self.host.other}/doc.md")
        elif path == "to-metadata":
            self.redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "bomb":
            # Chunked, without a Content-Length that would give the size away before reading.
            self.set_header("Content-Encoding", "gzip")
            for start in range(0, len(BOMB), 16384):
                self.write(BOMB[start : start + 16384])
                await self.flush()
        elif path == "deflate":
            import zlib

            self.set_header("Content-Encoding", "deflate")
            self.write(zlib.compress(DOC.encode()))
        elif path == "hang":
            await asyncio.Event().wait()
        else:
            self.write(DOC)


def start_host(loop) -> tuple[Host, tornado.httpserver.HTTPServer]:
    made = []

    def make_app(port):
        made.append(Host(port))
        return tornado.web.Application([(r"/(.*)", HostHandler, {"host": made[0]})])

    _, server = serve(loop, make_app)
    return made[0], server


@pytest.fixture
def hosts(jp_asyncio_loop):
    """Two servers on 127.0.0.1 (two ports): for cookies, a different host is all it takes."""
    first, s1 = start_host(jp_asyncio_loop)
    second, s2 = start_host(jp_asyncio_loop)
    first.other, second.other = second.port, first.port
    yield first, second
    for server in (s1, s2):
        server.stop()
        jp_asyncio_loop.run_until_complete(server.close_all_connections())


def make_fetcher(tmp_path, allowed, **limits) -> DocsFetcher:
    config = AIMagicDocs(cache_dir=str(tmp_path / "cache"), allowed_hosts=allowed, **{"max_bytes": 4096, **limits})
    return DocsFetcher(config)


@pytest.fixture
def fetcher_for(tmp_path, jp_asyncio_loop):
    made = []

    def _make(allowed, **limits):
        made.append(make_fetcher(tmp_path, allowed, **limits))
        return made[-1]

    yield _make
    for fetcher in made:
        jp_asyncio_loop.run_until_complete(fetcher.client.aclose())


async def test_loopback_is_refused_before_any_request(hosts, fetcher_for):
    first, _ = hosts
    with pytest.raises(FetchError) as info:
        await fetcher_for([]).fetch(first.url("doc.md"))
    assert (info.value.kind, info.value.status) == ("refused", 403)
    assert "loopback" in str(info.value) and f"'127.0.0.1:{first.port}'" in str(info.value)
    assert first.cookies == []  # not a single request reached it


async def test_an_allowed_host_on_another_port_is_still_refused(hosts, fetcher_for):
    first, second = hosts
    with pytest.raises(FetchError) as info:
        await fetcher_for([f"127.0.0.1:{second.port}"]).fetch(first.url("doc.md"))
    assert info.value.kind == "refused" and first.cookies == []


@pytest.mark.parametrize("path, words", [("to-other", "loopback"), ("to-metadata", "link-local")])
async def test_every_redirect_is_checked_again(hosts, fetcher_for, path, words):
    first, second = hosts
    with pytest.raises(FetchError) as info:
        await fetcher_for([f"127.0.0.1:{first.port}"]).fetch(first.url(path))
    assert info.value.kind == "refused" and words in str(info.value)
    assert len(first.cookies) == 1 and second.cookies == []


async def test_the_connection_goes_to_the_address_that_was_checked(hosts, tmp_path, jp_asyncio_loop):
    # A name only this resolver knows: if anything resolved it a second time (the system's
    # resolver, as DNS rebinding would exploit), the connection could not be made.
    first, _ = hosts
    calls = []

    async def resolve(host, port, type):  # noqa: A002 - getaddrinfo's own keyword
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    from jupyterlab_aimagic.addresses import parse_allowed
    from jupyterlab_aimagic.http_client import CheckedTransport, cookieless_client

    config = AIMagicDocs(cache_dir=str(tmp_path / "c"), allowed_hosts=["docs.rebind.test"])
    client = cookieless_client(transport=CheckedTransport((parse_allowed("docs.rebind.test"),), resolve))
    fetcher = DocsFetcher(config, client)
    doc = await fetcher.fetch(f"http://docs.rebind.test:{first.port}/doc.md")
    await client.aclose()
    assert doc.text == DOC and calls == ["docs.rebind.test"]
    # Without the allow entry the same name is refused: it resolved to loopback.
    refused = DocsFetcher(AIMagicDocs(cache_dir=str(tmp_path / "d")), cookieless_client(transport=CheckedTransport((), resolve)))
    with pytest.raises(FetchError) as info:
        await refused.fetch(f"http://docs.rebind.test:{first.port}/doc.md")
    await refused.client.aclose()
    assert "docs.rebind.test (127.0.0.1)" in str(info.value)


async def test_no_cookie_is_kept_or_carried_to_another_host(hosts, fetcher_for):
    first, second = hosts
    fetcher = fetcher_for([f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"])
    await fetcher.fetch(first.url("set-cookie"))
    await fetcher.fetch(second.url("doc.md"))
    await fetcher.fetch(first.url("again.md"))
    assert first.cookies == [None, None] and second.cookies == [None]


async def test_a_gzip_bomb_is_stopped_at_the_limit_without_inflating_it(hosts, fetcher_for):
    first, _ = hosts
    limit = AIMagicDocs().max_bytes  # the default, 5 MB
    fetcher = fetcher_for([f"127.0.0.1:{first.port}"], max_bytes=limit)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            await fetcher.fetch(first.url("bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.kind == "too_large"
    assert peak < limit + 2 * 1024 * 1024, f"{peak:,} bytes held while reading a doc capped at {limit:,}"


async def test_deflate_is_decoded(hosts, fetcher_for):
    first, _ = hosts
    assert (await fetcher_for([f"127.0.0.1:{first.port}"]).fetch(first.url("deflate"))).text == DOC


async def test_a_hanging_host_fails_at_the_configured_timeout_with_a_reason(hosts, fetcher_for):
    # Longer than httpx's own default of 5 s, which used to end the fetch first, wordlessly.
    first, _ = hosts
    fetcher = fetcher_for([f"127.0.0.1:{first.port}"], timeout=6.0)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(first.url("hang"))
    elapsed = time.monotonic() - started
    assert info.value.kind == "timeout" and info.value.status == 504
    assert "within 6 s:" in str(info.value) and str(info.value).rstrip(".").split(": ")[-1]
    assert 5.8 < elapsed < 8


async def test_the_disk_cache_is_private_and_keeps_no_query(hosts, fetcher_for, tmp_path):
    first, _ = hosts
    fetcher = fetcher_for([f"127.0.0.1:{first.port}"])
    url = first.url("doc.md?token=SECRET-doc-token#part")
    assert (await fetcher.fetch(url)).text == DOC
    files = sorted(p for p in (tmp_path / "cache").iterdir())
    assert [p.suffix for p in files] == [".json", ".txt"]
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
        assert "SECRET" not in path.read_text()
    assert stat.S_IMODE(os.stat(tmp_path / "cache").st_mode) == 0o700
    assert json.loads(files[0].read_text())["url"] == first.url("doc.md")
    again = await fetcher.fetch(url)  # still found by the full URL
    assert (again.origin, again.url) == ("cache", url)
    assert (await fetcher.fetch(first.url("doc.md?token=OTHER"))).origin == "network"


@pytest.fixture
def jp_server_config(tmp_path):
    # Nothing allowed: the route must refuse loopback by itself.
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_aimagic": True}},
            "AIMagicDocs": {"cache_dir": str(tmp_path / "route-cache")},
        }
    )


@pytest.mark.parametrize(
    "url, status, kind, words",
    [
        ("http://[::1", 400, "bad_url", "Not a valid URL"),
        ("http://127.0.0.1:99999/x", 400, "bad_url", "Not a valid URL"),
        ("http://127.1:{port}/doc.md", 403, "refused", "loopback"),
        ("http://2130706433:{port}/doc.md", 403, "refused", "loopback"),
        ("http://[::ffff:127.0.0.1]:{port}/doc.md", 403, "refused", "loopback"),
        ("http://0.0.0.0:{port}/doc.md", 403, "refused", "unspecified"),
    ],
)
async def test_route_answers_refusals_and_malformed_urls_with_a_message(jp_fetch, hosts, url, status, kind, words):
    first, _ = hosts
    body = json.dumps({"url": url.format(port=first.port)})
    response = await jp_fetch("aimagic", "docs", "fetch", method="POST", body=body, raise_error=False)
    error = json.loads(response.body)["error"]
    assert (response.code, error["kind"]) == (status, kind) and words in error["message"]
    assert first.cookies == []
