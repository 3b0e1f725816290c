"""Docs as the kernel reads them: workspace files under the root, and URLs fetched with the
limits the server extension applies (http and https only, 5 MB, 20 s, 5 redirects, text)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from .docs import DocLoader, Loaded

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 20
MAX_REDIRECTS = 5


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not UTF-8 text.") from None


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            raise ValueError(f"redirected to {newurl}, which is not http or https.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def kernel_doc_loader(root: Path) -> DocLoader:
    """A loader reading files under ``root`` and fetching URLs."""

    def read_file(path: str) -> Loaded:
        target = (root / path).resolve()
        try:
            target.relative_to(root.resolve())
        except ValueError:
            raise ValueError(f"{path} is outside the root {root}.") from None
        if not target.is_file():
            raise ValueError(f"no such file: {path} (under {root}).")
        if target.stat().st_size > MAX_BYTES:
            raise ValueError(f"too large: {target.stat().st_size:,} bytes; the limit is {MAX_BYTES:,}.")
        return Loaded(_decode(target.read_bytes(), path))

    def fetch_url(url: str, _refresh: bool) -> Loaded:
        opener = urllib.request.build_opener(_Redirects)
        try:
            with opener.open(urllib.request.Request(url, headers={"User-Agent": "jupyterlab-aimagic"}), timeout=TIMEOUT) as response:
                kind = response.headers.get_content_type()
                if not (kind.startswith("text/") or kind in ("application/json", "application/xml", "application/markdown")):
                    raise ValueError(f"not text ({kind}).")
                data = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as e:
            raise ValueError(f"{url} answered {e.code} {e.reason}.") from None
        except urllib.error.URLError as e:
            raise ValueError(f"{url} could not be fetched ({e.reason}).") from None
        except TimeoutError:
            raise ValueError(f"{url} did not answer within {TIMEOUT} s.") from None
        if len(data) > MAX_BYTES:
            raise ValueError(f"too large: more than {MAX_BYTES:,} bytes.")
        return Loaded(_decode(data, url))

    return DocLoader(read_file, fetch_url)
