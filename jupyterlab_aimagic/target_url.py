"""Build the upstream URL for a proxied path, refusing anything that could leave it.

The proxy adds a secret key to whatever it forwards, so the one property that matters is
that the request can only ever go to the configured upstream base. The path is checked in
its raw form and after every level of percent-decoding (an upstream or a load balancer in
front of it may decode once more), then forwarded raw, so what was checked is what is sent.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode

import httpx

#: Query parameters that authenticate to Jupyter and must not travel upstream.
_JUPYTER_PARAMS = frozenset({"token", "_xsrf"})
_MAX_DECODES = 3


class UnsafePath(ValueError):
    """The requested path could escape the upstream base."""


def target_url(base: str, raw_path: str, raw_query: str = "") -> str:
    """The URL to request: ``base/raw_path?query``, or raise :class:`UnsafePath`.

    ``raw_path`` is the still percent-encoded rest of the request path after
    ``aimagic/proxy/<provider>/``; ``raw_query`` the request's query string.
    """
    check_path(raw_path)
    base = base.rstrip("/")
    url = f"{base}/{raw_path}"
    query = _without_jupyter_params(raw_query)
    if query:
        url += f"?{query}"
    _check_within(url, base)
    return url


def check_path(raw_path: str) -> None:
    """Raise :class:`UnsafePath` unless every decoding of ``raw_path`` is a plain relative path."""
    text = raw_path
    for _ in range(_MAX_DECODES + 1):
        _check_decoded(text)
        decoded = unquote(text)
        if decoded == text:
            return
        text = decoded
    raise UnsafePath("path is percent-encoded too many times")


def _check_decoded(path: str) -> None:
    if path.startswith("/") or "//" in path:
        raise UnsafePath("path must be relative and without empty segments")
    if "\\" in path:
        raise UnsafePath("path must not contain backslashes")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        raise UnsafePath("path must not contain control characters")
    if any(segment in (".", "..") for segment in path.split("/")):
        raise UnsafePath("path must not contain '.' or '..' segments")


def _without_jupyter_params(raw_query: str) -> str:
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    if not any(name in _JUPYTER_PARAMS for name, _ in pairs):
        return raw_query  # forward untouched when there is nothing to remove
    return urlencode([(n, v) for n, v in pairs if n not in _JUPYTER_PARAMS])


def _check_within(url: str, base: str) -> None:
    # Belt and braces: parse the final URL the way the HTTP client will.
    final, root = httpx.URL(url), httpx.URL(base)
    prefix = root.raw_path.rstrip(b"/") + b"/"
    if (
        (final.scheme, final.host, final.port) != (root.scheme, root.host, root.port)
        or final.userinfo != root.userinfo
        or not final.raw_path.startswith(prefix)
    ):
        raise UnsafePath("path leaves the upstream")
