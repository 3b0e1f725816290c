"""The Jupyter server runs the real local engine (xllamacpp, SmolLM2) on demand.

These start real engine processes on free ports, with the model from the engine's cache
(``scripts/setup.sh`` fetches it), each test with its own cache folder for slots and logs.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import pytest
import tornado.testing
from traitlets.config import Config

from jupyterlab_aimagic.engine.config import default_cache
from jupyterlab_aimagic.engine.models import DEFAULT_MODEL, ensure_model
from jupyterlab_aimagic.engine.process import is_engine, read_state

pytest.importorskip("xllamacpp", reason="the engine extra is not installed")


@pytest.fixture
def model_file():
    """The default model, from the engine's usual cache (fetched once)."""
    return str(ensure_model(DEFAULT_MODEL, default_cache()))


@pytest.fixture
def engine_port():
    sock, port = tornado.testing.bind_unused_port()
    sock.close()
    return port


@pytest.fixture
def engine_settings(model_file):
    """Overrides of c.AIMagicEngine for one test (edited by the test before the server starts)."""
    return {"enabled": True, "model": model_file, "threads": 1, "ctx_size": 1024}


@pytest.fixture
def jp_server_config(engine_port, engine_settings, tmp_path):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_aimagic": True}},
            "AIMagic": {"upstreams": {"local": f"http://127.0.0.1:{engine_port}"}},
            "AIMagicEngine": {**engine_settings, "cache_dir": str(tmp_path / "cache")},
        }
    )


@pytest.fixture
def manager(jp_serverapp):
    return jp_serverapp.web_app.settings["aimagic_engine"]


async def health(fetch):
    response = await fetch("aimagic", "proxy", "local", "health")
    return response.code, json.loads(response.body or b"{}"), response.headers


async def until_ready(fetch, manager, timeout=120):
    """Ask like the AI cell does (again while it hears 503) until the engine serves."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, body, _ = await health(fetch)
        if code == 200:
            await manager.started()  # the manager has seen it too
            return
        assert code == 503, body
        await asyncio.sleep(0.5)
    raise AssertionError("the engine did not become ready")


async def chat(fetch):
    body = {"model": "any", "max_tokens": 4, "messages": [{"role": "user", "content": "Say hi."}]}
    response = await fetch("aimagic", "proxy", "local", "v1", "chat", "completions", method="POST", body=json.dumps(body))
    return response.code, json.loads(response.body)


async def test_first_local_request_starts_the_engine_and_the_next_reuses_it(fetch, manager, tmp_path):
    assert manager.pid is None  # nothing runs before a request asks for it
    code, body, headers = await health(fetch)
    assert (code, body["error"]["type"]) == (503, "unavailable_error")
    assert body["error"]["message"].startswith("Starting the local model")
    assert headers["Retry-After"] == "1"
    await until_ready(fetch, manager)
    pid = manager.pid
    assert is_engine(pid)
    code, reply = await chat(fetch)
    assert code == 200 and reply["choices"][0]["message"]["content"]
    assert reply["model"] == "SmolLM2-135M-Instruct.Q4_1"  # a .gguf path is served by its stem
    assert (await chat(fetch))[0] == 200
    assert manager.pid == pid  # reused, not restarted
    state = read_state(tmp_path / "cache")
    assert state and state["pid"] == pid and state["started_by"] == "jupyter"


async def test_a_killed_engine_is_restarted_once_then_reported(fetch, manager):
    await health(fetch)
    await until_ready(fetch, manager)
    first = manager.pid
    os.kill(first, signal.SIGKILL)
    await asyncio.sleep(0.5)
    code, body, _ = await health(fetch)
    assert code == 503
    assert body["error"]["message"] == "The local model stopped unexpectedly (signal 9); restarting it…"
    await until_ready(fetch, manager)
    second = manager.pid
    assert second != first and is_engine(second)
    os.kill(second, signal.SIGKILL)
    await asyncio.sleep(0.5)
    code, body, _ = await health(fetch)
    assert (code, body["error"]["type"]) == (502, "engine_failed")
    assert "stopped unexpectedly again (signal 9), so it is not restarted" in body["error"]["message"]
    code, reply = await chat(fetch)  # the chat request says the same: the cell shows it
    assert code == 502 and "not restarted a second time" in reply["error"]["message"]


async def test_jupyter_shutdown_stops_the_engine(fetch, manager, jp_serverapp, tmp_path):
    await health(fetch)
    await until_ready(fetch, manager)
    pid = manager.pid
    await jp_serverapp.extension_manager.stop_all_extensions()
    assert not is_engine(pid)
    assert read_state(tmp_path / "cache") is None


@pytest.mark.parametrize("engine_settings", [{"enabled": True, "model": "/nowhere/model.gguf"}])
async def test_a_missing_model_file_is_named(fetch, manager):
    code, body, _ = await health(fetch)
    for _ in range(20):
        if code != 503:
            break
        await asyncio.sleep(0.2)
        code, body, _ = await health(fetch)
    assert (code, body["error"]["type"]) == (502, "engine_failed")
    assert "The local model file /nowhere/model.gguf does not exist (c.AIMagicEngine.model)" in body["error"]["message"]
    assert manager.pid is None


@pytest.mark.parametrize("engine_settings", [{"enabled": False}])
async def test_an_engine_turned_off_leaves_the_upstream_unreachable(fetch, manager, engine_port):
    code, body, _ = await health(fetch)
    assert (code, body["error"]["type"]) == (502, "upstream_unreachable")
    assert manager.pid is None
