"""The URL builder is the one place that keeps the key on its way to the right host."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from jupyterlab_aimagic.config import AIMagic
from jupyterlab_aimagic.target_url import UnsafePath, target_url

BASE = "https://api.openai.com/v1"


@pytest.mark.parametrize(
    "raw_path, raw_query, expected",
    [
        ("chat/completions", "", f"{BASE}/chat/completions"),
        ("models", "limit=2", f"{BASE}/models?limit=2"),
        ("models", "limit=2&token=secret&_xsrf=x", f"{BASE}/models?limit=2"),
        ("files/file-abc%3Fx", "", f"{BASE}/files/file-abc%3Fx"),  # stays encoded
        ("models/org%2Fmodel", "", f"{BASE}/models/org%2Fmodel"),
        ("", "", f"{BASE}/"),
    ],
)
def test_target_url_stays_under_base(raw_path, raw_query, expected):
    assert target_url(BASE, raw_path, raw_query) == expected


@pytest.mark.parametrize(
    "raw_path",
    ["..", "a/..", "a/../..", "%2e%2e", "%2E%2e/x", ".%2e/x", "%252e%252e", "/x", "a//b",
     "%2F%2Fevil", "http://evil", "a\\b", "a%5Cb", "a%0d%0aHost:%20evil", "%25252525252e"],
)
def test_target_url_refuses_escapes(raw_path):
    with pytest.raises(UnsafePath):
        target_url(BASE, raw_path)


def test_config_defaults():
    config = AIMagic()
    assert config.upstreams == {
        "anthropic": "https://api.anthropic.com",
        "openai": BASE,
        "local": "http://127.0.0.1:8080",
    }
    assert config.key_env == {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
    assert (config.request_timeout, config.connect_timeout) == (600, 20)
    assert config.key_env_for("local") is None


@pytest.mark.parametrize(
    "upstreams",
    [{"x": "ftp://host"}, {"x": "localhost:8080"}, {"x": "http://h/v1?k=1"}, {"a/b": "http://h"}],
)
def test_config_refuses_bad_upstreams(upstreams):
    with pytest.raises(TraitError):
        AIMagic(upstreams=upstreams)


def test_config_strips_trailing_slash():
    assert AIMagic(upstreams={"local": "http://127.0.0.1:8080/v1/"}).upstreams == {
        "local": "http://127.0.0.1:8080/v1"
    }


def test_local_upstream_follows_the_engine(monkeypatch):
    """scripts/start.sh points the "local" upstream at the engine it started."""
    import importlib

    from jupyterlab_aimagic import config as config_module

    monkeypatch.setenv("AIMAGIC_LOCAL_URL", "http://127.0.0.1:8123")
    try:
        assert importlib.reload(config_module).AIMagic().upstreams["local"] == "http://127.0.0.1:8123"
    finally:
        monkeypatch.delenv("AIMAGIC_LOCAL_URL")
        importlib.reload(config_module)
    assert config_module.AIMagic().upstreams["local"] == "http://127.0.0.1:8080"
