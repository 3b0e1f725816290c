"""Fetched docs and their copies on disk.

The cache may hold docs fetched with a token in the URL's query (private docs sites often
work that way), so its files are readable by the server's user only, and the metadata keeps
URLs without their query, fragment or user info: the file names are hashes of the full URL,
which is all that is needed to find a copy again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@dataclass
class Fetched:
    """A fetched (or cached) doc, as the route returns it."""

    url: str
    final_url: str
    text: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0
    validated_at: float = 0.0
    #: "network", "cache" (fresh copy), "revalidated" (304) or "stale".
    origin: str = "network"
    #: Why a stale copy was served.
    stale: str | None = None
    meta: dict = field(default_factory=dict, repr=False)

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("meta")
        return d


_META = ("url", "final_url", "content_type", "etag", "last_modified", "fetched_at", "validated_at", "stale")


def without_secrets(url: str) -> str:
    """``url`` without user info, query and fragment: what may be written down or shown."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return ""


class DocCache:
    """Fetched docs on disk: ``<sha256 of url>.json`` (headers, times) beside ``.txt``."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.txt"

    def get(self, url: str) -> Fetched | None:
        """The copy of ``url``, or None."""
        meta_path, text_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            text = text_path.read_text("utf-8")
        except (OSError, ValueError):
            return None
        if meta.get("url") != without_secrets(url):
            return None
        fields = {k: meta.get(k) for k in _META}
        fields["url"] = url
        return Fetched(text=text, origin="cache", meta=meta, **fields)

    def put(self, doc: Fetched) -> None:
        """Write ``doc``, readable by this user only."""
        meta_path, text_path = self._paths(doc.url)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = {k: getattr(doc, k) for k in _META}
        meta["url"], meta["final_url"] = without_secrets(doc.url), without_secrets(doc.final_url)
        # Write beside, then rename: a crash never leaves half a doc behind.
        for path, data in ((text_path, doc.text), (meta_path, json.dumps(meta))):
            tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # also when a leftover temporary file had other modes
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(tmp, path)
