"""The proxy forwards what the SDKs send, adds the server's key, and streams back unbuffered."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from tornado.httpclient import HTTPClientError

from .conftest import ANTHROPIC_KEY, ERROR_BODY, OPENAI_KEY, SECRETS

BROWSER_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Anthropic-Version": "2026-10-21",
    "Anthropic-Beta": "some-beta-2026",
    "Anthropic-Dangerous-Direct-Browser-Access": "true",
    "OpenAI-Organization": "org-1",
    "OpenAI-Project": "proj-1",
    "X-Stainless-Lang": "js",
    "X-Api-Key": "browser-key",
    "X-XSRFToken": "xsrf-value",
    "Cookie": "session=browser-cookie",
    "User-Agent": "browser",
}
NEVER_FORWARDED = (
    "cookie",
    "x-api-key",
    "x-xsrftoken",
    "origin",
    "referer",
    "anthropic-dangerous-direct-browser-access",
    "openai-organization",  # the key's account is the administrator's choice, not the browser's
    "openai-project",
)


def upstream_cookies(response) -> list[str]:
    """Set-Cookie headers that came from the upstream (Jupyter sets its own login cookie)."""
    return [c for c in response.headers.get_list("Set-Cookie") if c.startswith("upstream=")]


def post(fetch, provider: str, *path: str, **kwargs):
    """POST an empty JSON body through the proxy to ``provider``'s ``path``."""
    return fetch("aimagic", "proxy", provider, *path, method="POST", body="{}", **kwargs)


@pytest.mark.parametrize(
    "provider, path, upstream_uri, authorization",
    [
        ("anthropic", "v1/messages", "/v1/messages", f"Bearer {ANTHROPIC_KEY}"),
        ("openai", "chat/completions", "/v1/chat/completions", f"Bearer {OPENAI_KEY}"),
        ("local", "chat/completions", "/local/v1/chat/completions", None),
    ],
    ids=["anthropic", "openai", "local-without-key"],
)
async def test_post_reaches_upstream_with_server_key_only(
    fetch, upstream, jp_http_port, provider, path, upstream_uri, authorization
):
    origin = f"http://127.0.0.1:{jp_http_port}"
    headers = {**BROWSER_HEADERS, "Origin": origin, "Referer": f"{origin}/lab"}
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    response = await fetch(
        "aimagic", "proxy", provider, path, method="POST", body=body, headers=headers
    )

    assert response.code == 200
    [seen] = upstream.requests
    assert (seen.method, seen.uri, seen.body) == ("POST", upstream_uri, body.encode())
    assert seen.headers.get("authorization") == authorization  # the Jupyter token is gone
    assert seen.headers["anthropic-version"] == "2026-10-21"
    assert seen.headers["anthropic-beta"] == "some-beta-2026"
    assert seen.headers["x-stainless-lang"] == "js"
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["accept-encoding"] == "identity"  # no compressor buffering tokens
    assert not [name for name in NEVER_FORWARDED if name in seen.headers]
    assert seen.headers.get("user-agent") != "browser"


async def test_response_headers_that_matter_and_no_key_anywhere(fetch, upstream):
    response = await post(fetch, "anthropic", "v1/messages")

    assert response.code == 200
    assert json.loads(response.body) == {"method": "POST", "uri": "/v1/messages"}
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Request-Id"] == "req_123"
    assert response.headers["Anthropic-Ratelimit-Requests-Remaining"] == "41"
    assert response.headers["X-Ratelimit-Remaining-Tokens"] == "9000"
    assert not upstream_cookies(response)  # the upstream's cookie is not Jupyter's
    assert response.headers.get("Server") != "fake-upstream"
    everything = response.body.decode() + str(list(response.headers.get_all()))
    assert not any(secret in everything for secret in SECRETS)


async def test_query_forwarded_without_jupyter_token(fetch, upstream, jp_serverapp):
    token = jp_serverapp.identity_provider.token
    params = {"limit": "2", "token": token, "_xsrf": "x"}
    response = await fetch("aimagic", "proxy", "openai", "models", params=params)
    assert response.code == 200
    assert [r.uri for r in upstream.requests] == ["/v1/models?limit=2"]


async def test_key_never_logged_and_one_debug_line(fetch, upstream, caplog):
    caplog.set_level(logging.DEBUG)
    await post(fetch, "anthropic", "v1/messages")
    await post(fetch, "openai", "x", "error429")

    assert not any(secret in caplog.text for secret in SECRETS)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("aimagic proxy")]
    assert len(lines) == 2
    assert lines[0].startswith("aimagic proxy POST anthropic v1/messages -> 200")
    assert lines[1].startswith("aimagic proxy POST openai x/error429 -> 429")


async def test_streaming_is_unbuffered(fetch, upstream):
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    reply = asyncio.ensure_future(
        post(fetch, "anthropic", "v1", "stream", streaming_callback=chunks.put_nowait)
    )
    # The upstream holds its second event until we release it: the first must arrive alone.
    first = await asyncio.wait_for(chunks.get(), timeout=5)
    assert first == b"event: one\ndata: {}\n\n"
    assert not reply.done()
    upstream.release.set()
    response = await reply
    rest = b""
    while not chunks.empty():
        rest += chunks.get_nowait()
    assert response.code == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert "Content-Length" not in response.headers
    assert rest == b"event: two\ndata: {}\n\n"


@pytest.mark.parametrize("status", [429, 529])
async def test_upstream_errors_forwarded_verbatim(fetch, upstream, status):
    response = await post(fetch, "anthropic", "v1", f"error{status}")
    assert response.code == status
    assert response.body == ERROR_BODY
    assert response.headers["Retry-After"] == "7"
    assert response.headers["Content-Type"] == "application/json"
    assert not upstream_cookies(response)


async def test_upstream_drop_mid_stream_breaks_the_reply(
    fetch, upstream, jp_http_port, jp_base_url, jp_auth_header
):
    # What an HTTP client sees: the first event, then an error rather than a clean end.
    chunks: list[bytes] = []
    with pytest.raises(HTTPClientError, match="Connection closed"):
        await post(fetch, "anthropic", "v1", "drop", streaming_callback=chunks.append)
    assert chunks == [b"event: one\ndata: {}\n\n"]

    # On the wire: a chunked body cut off without its terminating zero-length chunk.
    reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    writer.write(
        f"POST {jp_base_url}aimagic/proxy/anthropic/v1/drop HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{jp_http_port}\r\n"
        f"Authorization: {jp_auth_header['Authorization']}\r\n"
        "Content-Length: 2\r\n\r\n{}".encode()
    )
    raw = await asyncio.wait_for(reader.read(-1), timeout=5)  # until the server closes
    writer.close()
    assert raw.startswith(b"HTTP/1.1 200")
    assert b"Transfer-Encoding: chunked" in raw
    assert b"event: one" in raw
    assert not raw.endswith(b"0\r\n\r\n")


@pytest.mark.parametrize("action", ["hang", "stream"])
async def test_client_abort_cancels_upstream(fetch, upstream, action):
    # The client gives up (a browser abort closes the connection the same way).
    with pytest.raises(HTTPClientError):
        await post(fetch, "anthropic", "v1", action, request_timeout=0.5)
    await asyncio.wait_for(upstream.closed.wait(), timeout=2)
    assert len(upstream.requests) == 1
