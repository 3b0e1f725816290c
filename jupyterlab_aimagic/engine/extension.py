"""The engine's part of the server extension: its manager, and its stop at shutdown.

An ``ExtensionApp`` because only those get ``stop_extension`` when Jupyter shuts down; the
proxy finds the manager in the web app's settings (``aimagic_engine``) and asks it, through
:func:`engine_answer`, what to say when the local upstream does not answer.
"""

from __future__ import annotations

import httpx
from jupyter_server.extension.application import ExtensionApp

from .config import AIMagicEngine
from .manager import Answer, EngineManager


class EngineExtension(ExtensionApp):
    """Starts the local model engine on demand; stops it with Jupyter."""

    name = "jupyterlab_aimagic_engine"
    load_other_extensions = True

    def initialize_settings(self) -> None:
        """Make the manager when the local upstream is on this machine (else nothing to run)."""
        proxy_config = self.serverapp.web_app.settings["aimagic_config"]
        engine = AIMagicEngine(parent=self.serverapp)
        launch = engine.launch(proxy_config.upstreams.get("local", ""))
        if launch is None:
            return
        if engine.port:  # the engine's port wins: the proxy goes where it listens
            proxy_config.upstreams = {**proxy_config.upstreams, "local": launch.url}
        self.manager = EngineManager(engine, launch, self.log)
        self.serverapp.web_app.settings["aimagic_engine"] = self.manager

    async def stop_extension(self) -> None:
        """Jupyter is stopping: so is the engine."""
        manager = getattr(self, "manager", None)
        if manager is not None:
            await manager.stop()


async def engine_answer(settings: dict, provider: str, error: Exception) -> Answer | None:
    """For a local request that could not connect: the engine manager's answer, if any."""
    manager = settings.get("aimagic_engine")
    if provider != "local" or manager is None or not isinstance(error, httpx.ConnectError):
        return None
    return await manager.on_unreachable()
