"""Fixtures for the kernel side: the project's strict fake providers as real processes on
127.0.0.1, and a real IPython kernel (jupyter_client) whose environment points at them.

The kernel imports this source tree (PYTHONPATH), runs in temporary HOME/IPYTHONDIR, and gets
its keys from its environment, as a user's kernel would.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
ANTHROPIC_KEY = "sk-ant-test-magic-7e21"
OPENAI_KEY = "sk-test-magic-openai-3c9f"


@dataclass
class Fake:
    """A fake provider process and its control API."""

    url: str
    proc: subprocess.Popen

    @property
    def root(self) -> str:
        return re.sub(r"/v1$", "", self.url)

    def control(self, route: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(f"{self.root}/_fake/{route}", data=data, method="GET" if payload is None else "POST",
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def log(self) -> list[dict[str, Any]]:
        return self.control("log")

    def generating(self) -> list[dict[str, Any]]:
        """The logged requests that asked for a reply."""
        return [e for e in self.log() if e["method"] == "POST" and e["path"].endswith(("/messages", "/chat/completions"))]

    def reset(self) -> None:
        self.control("reset", {})


def _start_fake(kind: str, key: str) -> Fake:
    proc = subprocess.Popen(["node", str(REPO / "fakes" / kind / "run.js"), "--port", "0", "--key", key],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    match = re.search(r"=(http://127\.0\.0\.1:\d+(?:/v1)?)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"fake {kind} did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return Fake(match.group(1), proc)


@pytest.fixture(scope="session")
def fakes():
    """Both fakes, started once for the session and stopped at its end."""
    started = {"anthropic": _start_fake("anthropic", ANTHROPIC_KEY), "openai": _start_fake("openai", OPENAI_KEY)}
    yield started
    for fake in started.values():
        fake.proc.terminate()
        fake.proc.wait(10)


@pytest.fixture
def fake_anthropic(fakes):
    return fakes["anthropic"]


@pytest.fixture
def fake_openai(fakes):
    return fakes["openai"]


def kernel_env(tmp: Path, fake_anthropic: Fake, fake_openai: Fake, **extra: str) -> dict[str, str]:
    """An environment for a kernel or nbconvert: keys and base URLs of the fakes, a home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_", "AIMAGIC_", "JPY_"))}
    for name in ("home", "ipython", "jupyter", "data"):
        (tmp / name).mkdir(exist_ok=True)
    env.update(
        HOME=str(tmp / "home"), IPYTHONDIR=str(tmp / "ipython"), JUPYTER_CONFIG_DIR=str(tmp / "jupyter"),
        JUPYTER_DATA_DIR=str(tmp / "data"), PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        ANTHROPIC_API_KEY=ANTHROPIC_KEY, ANTHROPIC_BASE_URL=fake_anthropic.url,
        OPENAI_API_KEY=OPENAI_KEY, OPENAI_BASE_URL=fake_openai.url,
    )
    env.update(extra)
    return env


@dataclass
class Run:
    """What one execute request gave: its iopub messages and its reply."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    reply: dict[str, Any] | None = None

    @property
    def outputs(self) -> list[dict[str, Any]]:
        """The outputs as a notebook would hold them at the end (display updates applied)."""
        outs: list[dict[str, Any]] = []
        ids: dict[str, int] = {}
        for m in self.messages:
            kind, content = m["msg_type"], m["content"]
            display_id = (content.get("transient") or {}).get("display_id")
            if kind == "update_display_data":
                if display_id in ids:
                    outs[ids[display_id]] = {"output_type": "display_data", "data": content["data"], "metadata": content["metadata"]}
            elif kind in ("display_data", "execute_result", "stream", "error"):
                if display_id:
                    ids[display_id] = len(outs)
                outs.append({"output_type": kind, **content})
        return outs

    @property
    def updates(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["msg_type"] == "update_display_data"]

    def text(self) -> str:
        """Every output's plain text, joined."""
        parts = []
        for o in self.outputs:
            parts.append(o.get("text") or (o.get("data") or {}).get("text/plain") or "")
            parts.extend(o.get("traceback") or [])
        return "\n".join(parts)

    def reply_output(self) -> dict[str, Any] | None:
        """The reply output (the one carrying the provenance)."""
        return next((o for o in self.outputs if "aimagic" in (o.get("metadata") or {})), None)


class Kernel:
    """A real kernel and a blocking client."""

    def __init__(self, env: dict[str, str], cwd: Path):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(env=env, cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code: str, allow_stdin: bool = True, timeout: float = 60, on_message=None) -> Run:
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin, store_history=True)
        run = Run()
        deadline = time.monotonic() + timeout
        idle = False
        while not idle:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no idle after {timeout} s running {code!r}; got {run.messages}") from None
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                idle = msg["content"]["execution_state"] == "idle"
                continue
            run.messages.append(msg)
            if on_message:
                on_message(msg)
        while run.reply is None:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                run.reply = reply["content"]
        return run

    def stop(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture
def start_kernel(tmp_path, fake_anthropic, fake_openai):
    """Start kernels in tmp_path (extra environment by keyword); all are stopped after the test."""
    kernels: list[Kernel] = []

    def start(**extra: str) -> Kernel:
        kernel = Kernel(kernel_env(tmp_path, fake_anthropic, fake_openai, **extra), tmp_path)
        kernels.append(kernel)
        kernel.run("%load_ext jupyterlab_aimagic")
        return kernel

    fake_anthropic.reset()
    fake_openai.reset()
    yield start
    for kernel in kernels:
        kernel.stop()
