"""``jupyter aimagic engine status|start|stop|fetch``: the local model engine by hand.

The Jupyter server starts the engine by itself when an AI cell first needs it; this is for
people who want it running before, or outside, Jupyter. It reads the same configuration as
the server (``c.AIMagicEngine`` and ``c.AIMagic.upstreams`` in ``jupyter_server_config``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

from jupyter_core.application import JupyterApp

from ..config import AIMagic
from .config import AIMagicEngine
from .models import EngineError, ensure_model
from .process import Launch, clear_state, health, is_engine, read_state, spawn, start_failure, stop_pid

_ACTIONS = ("status", "start", "stop", "fetch")


class EngineApp(JupyterApp):
    """Run, stop or inspect the engine."""

    name = "jupyter-aimagic-engine"
    description = "The AI Magic local model engine: status (exit 3 when not running), start, stop, fetch (the model)."
    examples = "jupyter aimagic engine start --model=gemma-3-270m\njupyter aimagic engine status"
    config_file_name = "jupyter_server_config"  # the server's configuration, so both agree
    classes = [AIMagicEngine, AIMagic]
    aliases = {
        "model": "AIMagicEngine.model",
        "alias": "AIMagicEngine.alias",
        "port": "AIMagicEngine.port",
        "threads": "AIMagicEngine.threads",
        "ctx-size": "AIMagicEngine.ctx_size",
        "cache-dir": "AIMagicEngine.cache_dir",
    }

    def start(self) -> None:
        """Do the action named on the command line."""
        action = self.extra_args[0] if self.extra_args else "status"
        if action not in _ACTIONS:
            self.exit(f"Unknown action {action!r}: one of {', '.join(_ACTIONS)}")
        engine = AIMagicEngine(parent=self)
        try:
            if action == "fetch":
                print(ensure_model(engine.model, engine.cache(), lambda m: print(m, file=sys.stderr)))
                self.exit(0)
            launch = engine.launch(AIMagic(parent=self).upstreams.get("local", ""))
            if launch is None:
                raise EngineError('AIMagic.upstreams["local"] is not http://127.0.0.1:PORT: set c.AIMagicEngine.port.')
            code = getattr(self, f"_{action}")(launch, engine.start_timeout)
        except EngineError as exc:
            print(exc, file=sys.stderr)
            code = 1
        self.exit(code)

    def _status(self, launch: Launch, _timeout: float) -> int:
        state = read_state(launch.cache)
        if not state:
            print("not running")
            return 3
        code = health(state["url"])
        print(f"running: pid {state['pid']}, {state['url']}, model {state['alias']} "
              f"(started by the {state['started_by']}), health {code or 'no answer'}; log {state['log']}")
        return 0

    def _start(self, launch: Launch, timeout: float) -> int:
        state = read_state(launch.cache)
        if state:
            print(f"already running: pid {state['pid']}, {state['url']}")
            return 0
        if health(launch.url):
            raise EngineError(f"Something else already answers at {launch.url}: choose another port (--port).")
        launch = replace(launch, model=str(ensure_model(launch.model, launch.cache, print)))
        proc = spawn(launch)
        deadline = time.monotonic() + timeout
        while health(launch.url) != 200:
            if proc.poll() is not None:
                clear_state(launch.cache, proc.pid)
                raise EngineError(start_failure(launch, f"exited with code {proc.returncode} while starting"))
            if time.monotonic() > deadline:
                stop_pid(proc.pid)
                raise EngineError(start_failure(launch, f"did not answer within {timeout:.0f} s"))
            time.sleep(0.2)
        print(f"running: pid {proc.pid}, {launch.url}, model {launch.alias}")
        return 0

    def _stop(self, launch: Launch, _timeout: float) -> int:
        state = read_state(launch.cache)
        if not state:
            print("not running")
            return 0
        stop_pid(state["pid"])
        clear_state(launch.cache, state["pid"])
        print(f"stopped (pid {state['pid']})" if not is_engine(state["pid"]) else "could not stop it")
        return 0


class AIMagicApp(JupyterApp):
    """``jupyter aimagic``: the AI Magic commands."""

    name = "jupyter-aimagic"
    description = "AI Magic for JupyterLab."
    subcommands = {"engine": (EngineApp, EngineApp.description)}

    def start(self) -> None:
        """Without a subcommand, say which exist."""
        if self.subapp is None:
            self.print_help()
            self.exit(2)
        self.subapp.start()


main = AIMagicApp.launch_instance
