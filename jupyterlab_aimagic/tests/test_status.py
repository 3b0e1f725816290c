"""The status endpoint tells the frontend which providers exist and whether keys are set."""

from __future__ import annotations

import json

import pytest

from .conftest import SECRETS


# "local" has no key_env entry; "down" shares OPENAI_API_KEY.
@pytest.mark.parametrize(
    "unset, expected_keys",
    [
        ((), {"anthropic": True, "openai": True, "local": False, "down": True}),
        (["ANTHROPIC_API_KEY"], {"anthropic": False, "openai": True, "local": False, "down": True}),
        (["OPENAI_API_KEY"], {"anthropic": True, "openai": False, "local": False, "down": False}),
    ],
    ids=["all-keys", "no-anthropic-key", "no-openai-key"],
)
async def test_status_reports_key_presence_never_keys(
    fetch, upstream, monkeypatch, unset, expected_keys
):
    for name in unset:
        monkeypatch.delenv(name)  # read at request time: no restart needed for the status
    response = await fetch("aimagic", "status")
    assert response.code == 200
    assert response.headers["Content-Type"] == "application/json"
    text = response.body.decode()
    assert not any(secret in text for secret in SECRETS)
    status = json.loads(text)
    assert isinstance(status["version"], str) and status["version"]
    assert {name: p["key"] for name, p in status["providers"].items()} == expected_keys
    assert status["providers"]["anthropic"] == {
        "upstream": upstream.url,
        "key": expected_keys["anthropic"],
        "keyEnv": "ANTHROPIC_API_KEY",
    }
    assert status["providers"]["openai"]["upstream"] == f"{upstream.url}/v1"
    assert status["providers"]["local"]["keyEnv"] is None
