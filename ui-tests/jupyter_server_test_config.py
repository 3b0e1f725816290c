"""Jupyter server configuration for the Galata tests.

The AI Magic proxy forwards to the project's fake Anthropic server (started by Playwright
beside JupyterLab) with the test key from the environment, so every test exercises the real
browser -> Jupyter proxy -> provider path.
"""
import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # noqa: F821
configure_jupyter_server(c)
c.ServerApp.allow_root = True
# Several test runs can share a machine when each has its own ports.
c.ServerApp.port = int(os.environ.get("AIMAGIC_LAB_PORT", "8888"))
c.ServerApp.jpserver_extensions = {"jupyterlab_aimagic": True}

fake_port = os.environ.get("AIMAGIC_FAKE_ANTHROPIC_PORT", "8766")
# "local": the real local engine, started by the server itself on this port (tests/local.spec.ts).
local_port = os.environ.get("AIMAGIC_LOCAL_PORT", "8767")
fake_openai_port = os.environ.get("AIMAGIC_FAKE_OPENAI_PORT", str(int(fake_port) + 1000))
c.AIMagic.upstreams = {
    "anthropic": f"http://127.0.0.1:{fake_port}",
    "openai": f"http://127.0.0.1:{fake_openai_port}/v1",
    "local": f"http://127.0.0.1:{local_port}",
}
# tests/docs.spec.ts serves docs from 127.0.0.1, which the doc fetcher refuses unless allowed:
# allow exactly that port, as an administrator serving docs locally would.
docs_port = os.environ.get("AIMAGIC_DOCS_TEST_PORT", "8771")
c.AIMagicDocs.allowed_hosts = [f"127.0.0.1:{docs_port}"]

# The keys above are test keys, so the engine is turned on explicitly. Its model comes from the
# engine's usual cache (scripts/setup.sh fetched it; AIMAGIC_CACHE is set by playwright.config.js
# to the runner's cache, as HOME is moved); slots, log and state stay in this run's test home.
from jupyterlab_aimagic.engine.models import DEFAULT_MODEL, ensure_model  # noqa: E402

c.AIMagicEngine.enabled = True
c.AIMagicEngine.model = str(ensure_model(DEFAULT_MODEL, Path(os.environ["AIMAGIC_CACHE"])))
c.AIMagicEngine.alias = DEFAULT_MODEL
c.AIMagicEngine.cache_dir = os.environ["AIMAGIC_TEST_ENGINE_CACHE"]
c.AIMagicEngine.ctx_size = 4096
