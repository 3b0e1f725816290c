"""What the proxy refuses: strangers, cross-site posts, unknown places, and missing keys."""

from __future__ import annotations

import json

import pytest

from .conftest import ANTHROPIC_KEY, SECRETS


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "aimagic/status"),
        ("GET", "aimagic/proxy/openai/models"),
        ("POST", "aimagic/proxy/anthropic/v1/messages"),
    ],
)
async def test_requests_without_jupyter_auth_are_refused(raw_fetch, upstream, method, path):
    body = "{}" if method == "POST" else None
    response = await raw_fetch(path, method=method, body=body)
    assert response.code == 403
    assert upstream.requests == []


async def test_cookie_auth_needs_xsrf_for_post(fetch, raw_fetch, upstream):
    # A token-authenticated request makes Jupyter set its login cookie, as in a browser.
    login = await fetch("aimagic", "status")
    cookies = [c.split(";", 1)[0] for c in login.headers.get_list("Set-Cookie")]
    assert cookies
    path, body = "aimagic/proxy/anthropic/v1/messages", "{}"

    only_cookie = {"Cookie": "; ".join(cookies)}
    forged = await raw_fetch(path, method="POST", body=body, headers=only_cookie)
    assert forged.code == 403
    assert upstream.requests == []

    # Positive control: the same cookie with a matching XSRF cookie and header goes through,
    # even beside the placeholder key a browser SDK sends; only the server's key goes on.
    with_xsrf = {
        "Cookie": "; ".join([*cookies, "_xsrf=abc123"]),
        "X-XSRFToken": "abc123",
        "Authorization": "Bearer placeholder-from-the-browser-sdk",
    }
    allowed = await raw_fetch(path, method="POST", body=body, headers=with_xsrf)
    assert allowed.code == 200
    [seen] = upstream.requests
    assert seen.headers["authorization"] == f"Bearer {ANTHROPIC_KEY}"


UNKNOWN_PROVIDERS = ["nope", "evil.example", "%2e%2e", "..", "ANTHROPIC"]

ESCAPES = [
    "../../api/status",
    "v1/../../x",
    "..%2f..%2fapi/status",
    "..%2F",
    "%2e%2e/x",
    "%252e%252e/x",
    "%25252e%25252e/x",
    "/evil.example/x",
    "%2fevil.example/x",
    "http://evil.example/x",
    "http:%2f%2fevil.example/x",
    "https:%252f%252fevil.example/x",
    "v1%5c..%5cx",
    "v1\\..\\x",
    "v1%00x",
    "./v1/messages",
]


# The two tables run in one server each: a server start costs more than all the cases.
async def test_unknown_providers_are_404(raw_fetch, jp_auth_header, upstream):
    codes = {}
    for provider in UNKNOWN_PROVIDERS:
        response = await raw_fetch(f"aimagic/proxy/{provider}/v1/messages", headers=jp_auth_header)
        codes[provider] = response.code
    assert codes == dict.fromkeys(UNKNOWN_PROVIDERS, 404)
    assert upstream.requests == []


async def test_path_escapes_are_400_and_reach_nothing(raw_fetch, jp_auth_header, upstream):
    answers = {}
    for raw_path in ESCAPES:
        response = await raw_fetch(f"aimagic/proxy/anthropic/{raw_path}", headers=jp_auth_header)
        body = json.loads(response.body)
        answers[raw_path] = (response.code, body["type"], body["error"]["type"])  # Anthropic shape
    assert answers == dict.fromkeys(ESCAPES, (400, "error", "invalid_path"))
    assert upstream.requests == []


@pytest.mark.parametrize(
    "provider, env, body",
    [
        (
            "anthropic",
            "ANTHROPIC_API_KEY",
            {
                "type": "error",
                "error": {
                    "type": "no_api_key",
                    "message": "No Anthropic API key: set ANTHROPIC_API_KEY in the environment "
                    "of the Jupyter server and restart it.",
                },
                "request_id": None,
            },
        ),
        (
            "openai",
            "OPENAI_API_KEY",
            {
                "error": {
                    "message": "No OpenAI API key: set OPENAI_API_KEY in the environment "
                    "of the Jupyter server and restart it.",
                    "type": "no_api_key",
                    "code": "no_api_key",
                    "param": None,
                }
            },
        ),
    ],
)
async def test_missing_key_is_401_in_provider_shape(
    fetch, upstream, monkeypatch, provider, env, body
):
    monkeypatch.delenv(env)
    response = await fetch("aimagic", "proxy", provider, "x", method="POST", body="{}")
    assert response.code == 401
    assert json.loads(response.body) == body
    assert upstream.requests == []


async def test_unreachable_upstream_is_502(fetch, down_url):
    response = await fetch("aimagic", "proxy", "down", "chat/completions", method="POST", body="")
    assert response.code == 502
    error = json.loads(response.body)["error"]
    assert error["type"] == "upstream_unreachable"
    assert f"{down_url}/v1" in error["message"]
    assert not any(secret in response.body.decode() for secret in SECRETS)


async def test_upstream_silent_past_timeout_is_502(fetch, upstream, aimagic_config):
    aimagic_config.request_timeout = 0.3
    response = await fetch("aimagic", "proxy", "anthropic", "v1", "hang", method="POST", body="{}")
    assert response.code == 502
    body = json.loads(response.body)
    assert body["type"] == "error"
    assert body["error"]["type"] == "upstream_unreachable"
