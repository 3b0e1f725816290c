"""AI Magic for JupyterLab: dialogue engineering inside the notebook.

The Python package ships the prebuilt frontend extension, a small server extension (a proxy
that adds provider keys from the server's environment, so keys never reach the browser, and
doc fetching), and an IPython extension: ``%load_ext jupyterlab_aimagic`` registers ``%%ai``
and ``%ai`` in any kernel (``jupyterlab_aimagic.magic``).
"""

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - running from a source tree without a build
    import warnings

    warnings.warn("Importing 'jupyterlab_aimagic' outside a proper installation.")
    __version__ = "dev"


def load_ipython_extension(ipython):
    """``%load_ext jupyterlab_aimagic``: register ``%%ai`` and ``%ai`` in this kernel."""
    from .magic.magics import load

    load(ipython)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-aimagic"}]


def _jupyter_server_extension_points():
    from .engine.extension import EngineExtension

    # The proxy first: the engine's part reads its configuration.
    return [{"module": "jupyterlab_aimagic"}, {"module": "jupyterlab_aimagic.engine.extension", "app": EngineExtension}]


def _load_jupyter_server_extension(server_app):
    """Register the proxy and status routes on the Jupyter server."""
    from .server import setup_handlers

    setup_handlers(server_app.web_app, server_app)
    server_app.log.info("jupyterlab_aimagic: proxy and status routes registered")
