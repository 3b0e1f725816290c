"""Start, find and stop the engine process; shared by the Jupyter server and the command line.

The engine writes nothing itself: whoever starts it records ``engine.json`` (pid, port,
model, log) in the cache, so ``jupyter aimagic engine status`` and ``stop`` find an engine
the Jupyter server started, and the other way round.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

#: Variables llama.cpp reads as defaults for its flags (an API key among them) or that point
#: it at a model hub: the engine is configured by its command line only.
_DROPPED_ENV = ("LLAMA_ARG_", "LLAMA_API_KEY", "LLAMA_CACHE", "HF_", "HUGGING_FACE")


@dataclass(frozen=True)
class Launch:
    """One engine to run: what ``python -m jupyterlab_aimagic.engine serve`` gets."""

    model: str
    alias: str
    port: int
    threads: int
    ctx_size: int
    cache: Path

    @property
    def url(self) -> str:
        """The engine's root URL (the local upstream)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """Where the engine's output goes."""
        return self.cache / "engine" / "engine.log"

    def command(self, parent: int = 0) -> list[str]:
        """The child's command line; ``parent``: the pid whose exit stops it (0: none)."""
        return [
            sys.executable, "-m", "jupyterlab_aimagic.engine", "--cache", str(self.cache),
            "serve", "--model", self.model, "--alias", self.alias, "--port", str(self.port),
            "--threads", str(self.threads), "--ctx-size", str(self.ctx_size),
            "--slot-save-path", str(self.cache / "slots"), "--parent", str(parent),
        ]


def engine_env() -> dict[str, str]:
    """The child's environment: ours without llama.cpp's and the hubs' variables.

    ``OMP_WAIT_POLICY=PASSIVE`` unless set: the wheel uses OpenMP, whose spinning barriers
    made decoding 10-30 times slower on a busy 2-core machine (measured with llama-server).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV)}
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


def spawn(launch: Launch, parent: int = 0) -> subprocess.Popen:
    """Start the engine in its own session (a Ctrl-C meant for Jupyter does not reach it)."""
    launch.log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(launch.log_path, "ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {launch.model} on {launch.url}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            launch.command(parent), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=engine_env(), start_new_session=True,
        )
    write_state(launch, proc.pid, "jupyter" if parent else "command line")
    return proc


def _state_path(cache: Path) -> Path:
    return cache / "engine" / "engine.json"


def write_state(launch: Launch, pid: int, started_by: str) -> None:
    """Record a started engine."""
    state = {**asdict(launch), "cache": str(launch.cache), "pid": pid, "url": launch.url,
             "log": str(launch.log_path), "started_by": started_by, "started_at": time.time()}
    _state_path(launch.cache).write_text(json.dumps(state, indent=1) + "\n")


def read_state(cache: Path) -> dict | None:
    """The recorded engine, if its process still runs."""
    try:
        state = json.loads(_state_path(cache).read_text())
    except (OSError, ValueError):
        return None
    return state if is_engine(state.get("pid", 0)) else None


def clear_state(cache: Path, pid: int) -> None:
    """Forget the recorded engine if it is ``pid``."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads(_state_path(cache).read_text()).get("pid") == pid:
            _state_path(cache).unlink()


def is_engine(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) engine process."""
    if pid <= 0:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and b"jupyterlab_aimagic.engine" in cmdline


def health(url: str, timeout: float = 2.0) -> int:
    """``GET url/health``: 200 when serving, 503 while loading, 0 when nothing answers."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0


def stop_pid(pid: int, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while is_engine(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if is_engine(pid):
            os.kill(pid, signal.SIGKILL)


def log_tail(launch: Launch, lines: int = 12) -> str:
    """The end of the engine's log, for messages about a failed start."""
    try:
        with open(launch.log_path, "rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - 16384))
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def start_failure(launch: Launch, why: str) -> str:
    """One message for an engine that did not come up: why, the log's last line, its path."""
    last = next((line for line in reversed(log_tail(launch).splitlines()) if line.strip() and not line.startswith(("---", "ready "))), "")
    return f"The local model engine {why}{f': {last.strip()}' if last else ''} (log: {launch.log_path})."
