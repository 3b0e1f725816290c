"""Reading a fetched doc's body within its size limit, and deciding whether it is text.

Why decompress here instead of letting httpx do it: httpx inflates each received chunk
whole, so a few hundred kilobytes of gzip become hundreds of megabytes in memory before any
size check sees them (a "gzip bomb"). Inflating with a cap on each call's output keeps what
is held at the limit plus one chunk, whatever the compression ratio.
"""

from __future__ import annotations

import typing
import zlib
from email.message import Message

# Media types that are text although not text/*; "+json" and "+xml" suffixes also are.
_TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/javascript",
        "application/x-javascript",
        "application/yaml",
        "application/x-yaml",
        "application/toml",
        "application/x-ipynb+json",
        "application/markdown",
        "application/x-sh",
        "application/x-python",
    }
)
# Servers that do not know a file's type say so; the bytes decide then.
_SNIFFED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

#: Most bytes inflated at once: what is held beyond the body itself.
_PIECE = 64 * 1024

#: What the fetcher asks for: the encodings :class:`BoundedInflater` can undo.
ACCEPT_ENCODING = "gzip, deflate"


class FetchError(Exception):
    """A doc that cannot be had; ``kind`` for programs, the message for people."""

    def __init__(self, kind: str, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def too_large(limit: int) -> FetchError:
    """The error for a doc over ``limit`` bytes."""
    return FetchError("too_large", f"The doc is larger than the limit of {limit:,} bytes (c.AIMagicDocs.max_bytes).", 413)


class BoundedInflater:
    """Undo a ``Content-Encoding`` piece by piece, failing as soon as the output passes ``limit``."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip().lower() not in ("", "identity")]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError("not_text", f"The server sent the doc in an encoding not supported here: {content_encoding}.", 415)
        self._coding = codings[0] if codings else None
        self._inflater = self._new_inflater()
        self._limit = limit
        self._size = 0

    def _new_inflater(self, raw_deflate: bool = False):
        if self._coding is None:
            return None
        if self._coding == "deflate":
            # "deflate" is meant to be zlib-wrapped; some servers send it raw.
            return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)
        return zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> typing.Iterator[bytes]:
        """The decoded pieces of the next raw chunk; FetchError("too_large") past the limit."""
        if self._inflater is None:
            yield self._count(data)
            return
        while data:
            try:
                piece = self._inflater.decompress(data, min(_PIECE, self._limit - self._size + 1))
            except zlib.error as e:
                if self._coding == "deflate" and self._size == 0:
                    self._inflater = self._new_inflater(raw_deflate=True)
                    self._coding = "raw deflate"
                    continue
                raise FetchError("network", f"The doc's compressed data is corrupt ({e}).") from e
            yield self._count(piece)
            data = self._inflater.unconsumed_tail

    def _count(self, piece: bytes) -> bytes:
        self._size += len(piece)
        if self._size > self._limit:
            raise too_large(self._limit)
        return piece


async def read_body(chunks: typing.AsyncIterator[bytes], content_encoding: str, limit: int) -> bytearray:
    """The decoded body of the raw ``chunks``, at most ``limit`` bytes (raw or decoded)."""
    inflater = BoundedInflater(content_encoding, limit)
    body, raw_size = bytearray(), 0
    async for chunk in chunks:
        raw_size += len(chunk)
        if raw_size > limit:
            raise too_large(limit)
        for piece in inflater.feed(chunk):
            body += piece  # one buffer, never a list of pieces plus their join
    return body


def _media_type(content_type: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = content_type or ""
    return msg.get_content_type() if content_type else "", msg.get_param("charset")


def decode_text(body: bytes | bytearray, content_type: str) -> str:
    """The text of a body, or FetchError("not_text") when it is not text."""
    media, charset = _media_type(content_type)
    is_text = media.startswith("text/") or media in _TEXT_TYPES or media.endswith(("+json", "+xml"))
    if not is_text and media not in _SNIFFED_TYPES:
        raise FetchError("not_text", f"Not a text document: the server says it is {media}.", 415)
    if b"\x00" in body[:8192]:
        raise FetchError("not_text", "Not a text document: it holds binary data.", 415)
    try:
        return body.decode(str(charset or "utf-8"), errors="strict" if not is_text else "replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")
    except UnicodeDecodeError as e:
        raise FetchError("not_text", "Not a text document: it is not UTF-8 text.", 415) from e
