"""Register the server extension's routes.

Kept apart from ``__init__.py`` so the extension entry points stay a few lines and the
routes can be mounted on any tornado app (tests, other server front ends).
"""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from .config import AIMagic
from .docs_fetch import AIMagicDocs, DocsFetchHandler, DocsFetcher
from .http_client import cookieless_client
from .proxy import ProxyHandler
from .status import StatusHandler


def setup_handlers(web_app, server_app=None) -> None:
    """Mount ``aimagic/status`` and ``aimagic/proxy/<provider>/<path>`` under base_url.

    Configuration comes from the server's config (``c.AIMagic...``). One HTTP client is
    shared by all requests so connections to the providers are kept alive and reused.
    """
    if server_app is not None:
        config = AIMagic(parent=server_app)
    else:
        config = AIMagic(config=web_app.settings.get("config"))
    client = cookieless_client(follow_redirects=False)
    web_app.settings["aimagic_config"] = config
    web_app.settings["aimagic_client"] = client
    if server_app is not None:
        docs_config = AIMagicDocs(parent=server_app)
    else:
        docs_config = AIMagicDocs(config=web_app.settings.get("config"))
    fetcher = DocsFetcher(docs_config)
    web_app.settings["aimagic_docs_fetcher"] = fetcher

    base_url = web_app.settings.get("base_url", "/")
    status_route = url_path_join(base_url, "aimagic", "status")
    proxy_route = url_path_join(base_url, "aimagic", "proxy", "([^/]+)", "(.*)")
    docs_route = url_path_join(base_url, "aimagic", "docs", "fetch")
    web_app.add_handlers(
        ".*$",
        [
            (status_route, StatusHandler, {"config": config}),
            (docs_route, DocsFetchHandler, {"fetcher": fetcher}),
            (
                proxy_route,
                ProxyHandler,
                {"config": config, "client": client, "route": proxy_route},
            ),
        ],
    )
