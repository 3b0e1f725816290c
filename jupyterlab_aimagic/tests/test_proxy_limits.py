"""The proxy's own limits: request size, no cookie jar, no credentials in upstream URLs."""

from __future__ import annotations

import json

import pytest
from traitlets import TraitError

from jupyterlab_aimagic.config import AIMagic


async def test_a_body_over_the_limit_is_413_and_reaches_nothing(fetch, upstream, aimagic_config):
    assert AIMagic().max_request_bytes == 32 * 1024 * 1024
    aimagic_config.max_request_bytes = 1024
    big = json.dumps({"messages": [{"role": "user", "content": "x" * 2000}]})
    response = await fetch("aimagic", "proxy", "anthropic", "v1", "messages", method="POST", body=big)
    assert response.code == 413
    body = json.loads(response.body)
    assert body["error"]["type"] == "request_too_large"
    assert "1,024 bytes" in body["error"]["message"] and "c.AIMagic.max_request_bytes" in body["error"]["message"]
    assert upstream.requests == []
    small = await fetch("aimagic", "proxy", "anthropic", "v1", "messages", method="POST", body="{}")
    assert small.code == 200 and len(upstream.requests) == 1


async def test_the_default_limit_refuses_a_33_mb_body(fetch, upstream):
    body = b'{"x": "' + b"y" * (33 * 1024 * 1024) + b'"}'
    response = await fetch(
        "aimagic", "proxy", "openai", "chat/completions", method="POST", body=body, request_timeout=60
    )
    assert response.code == 413 and upstream.requests == []


async def test_an_upstream_cookie_is_never_sent_again(fetch, upstream):
    first = await fetch("aimagic", "proxy", "local", "models")  # the fake upstream sets a cookie
    assert first.code == 200
    await fetch("aimagic", "proxy", "openai", "models")
    await fetch("aimagic", "proxy", "anthropic", "v1", "models")
    assert [seen.headers.get("cookie") for seen in upstream.requests] == [None, None, None]


@pytest.mark.parametrize(
    "url", ["http://user:pass@127.0.0.1:8080", "https://sk-secret@api.example.com/v1", "http://:pw@host"]
)
def test_credentials_in_an_upstream_url_are_refused(url):
    with pytest.raises(TraitError) as info:
        AIMagic(upstreams={"local": url})
    message = str(info.value)
    assert "no credentials" in message and "key_env" in message
    assert "pass" not in message and "secret" not in message and "pw" not in message

