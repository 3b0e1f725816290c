"""The reply in the cell's output: Markdown updated in place while it streams (throttled), then
the final reply carrying its provenance in the output's metadata, and a footer line."""

from __future__ import annotations

import time
from typing import Any

from .aicell import REPLY_OUTPUT_KEY

#: Output metadata key of the footer and of failure messages (never read as a reply).
FOOTER_KEY = "aimagic_footer"
#: Seconds between two updates of the streaming output: enough for a smooth view without
#: flooding the frontend (and a notebook file) with hundreds of messages.
UPDATE_EVERY = 0.1


def _display(data: dict[str, Any], metadata: dict[str, Any], **kwargs: Any) -> Any:
    from IPython.display import display

    return display(data, raw=True, metadata=metadata, **kwargs)


def _bundle(markdown: str, plain: str | None = None) -> dict[str, str]:
    return {"text/markdown": markdown, "text/plain": markdown if plain is None else plain}


class LiveReply:
    """One streaming reply in the output area."""

    def __init__(self) -> None:
        self._handle = _display(_bundle("*Waiting for the reply…*", "Waiting for the reply…"), {}, display_id=True)
        self._text = ""
        self._shown_at = 0.0

    @property
    def text(self) -> str:
        """The reply so far."""
        return self._text

    def add(self, piece: str) -> None:
        """Add streamed text; the output is updated at most every ``UPDATE_EVERY`` seconds."""
        self._text += piece
        now = time.monotonic()
        if now - self._shown_at >= UPDATE_EVERY:
            self._shown_at = now
            self._handle.update(_bundle(self._text), raw=True, metadata={})

    def finish(self, provenance: dict[str, Any]) -> dict[str, Any]:
        """Show the whole reply with its provenance; returns the output as a notebook holds it."""
        self._handle.update(_bundle(self._text), raw=True, metadata={REPLY_OUTPUT_KEY: provenance})
        return {"output_type": "display_data", "data": _bundle(self._text), "metadata": {REPLY_OUTPUT_KEY: provenance}}

    def clear(self, message: str) -> None:
        """Nothing arrived: the waiting line gives way to the message."""
        self._handle.update(_bundle(f"**AI Magic:** {message}", f"AI Magic: {message}"), raw=True, metadata={FOOTER_KEY: {"error": True}})


def show_footer(text: str) -> None:
    """The footer line under a reply."""
    _display(_bundle(f"<small>{text}</small>", text), {FOOTER_KEY: True})


def show_problem(message: str) -> None:
    """A failure or warning, said plainly (no traceback)."""
    _display(_bundle(f"**AI Magic:** {message}", f"AI Magic: {message}"), {FOOTER_KEY: {"error": True}})
