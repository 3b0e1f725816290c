"""Where the magic's context comes from: the saved notebook file when the kernel can find it,
else this kernel's own history, with what this session ran and answered on top."""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .aicell import REPLY_OUTPUT_KEY, magic_cell, parse_magic
from .output_text import strip_ansi


def magic_source(line: str, cell: str) -> str:
    """The source of a ``%%ai`` cell from IPython's ``line`` and ``cell``."""
    return f"%%ai {line.strip()}\n{cell}" if line.strip() else f"%%ai\n{cell}"


def _same_magic(source: str, line: str, cell: str) -> bool:
    parsed = parse_magic(source)
    return parsed is not None and parsed[0].strip() == line.strip() and parsed[1].rstrip() == cell.rstrip()


@dataclass
class SessionLog:
    """What this kernel ran since the extension was loaded: errors by execution count, and the
    replies ``%%ai`` gave (as the outputs it displayed), by execution count and by cell source."""

    errors: dict[int, dict[str, Any]] = field(default_factory=dict)
    replies: dict[int, dict[str, Any]] = field(default_factory=dict)
    replies_by_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    def post_run_cell(self, result: Any) -> None:
        """IPython's post_run_cell event: keep the error a cell ended with."""
        err = result.error_in_exec or result.error_before_exec
        count = getattr(result, "execution_count", None)
        if err is None or not isinstance(count, int) or type(err).__name__ == "AIMagicError":
            return
        lines = traceback.format_exception(type(err), err, err.__traceback__)
        self.errors[count] = {"output_type": "error", "ename": type(err).__name__, "evalue": str(err),
                              "traceback": [strip_ansi(line.rstrip("\n")) for line in lines]}

    def record_reply(self, count: int | None, line: str, cell: str, output: dict[str, Any]) -> None:
        """Keep the reply output of a ``%%ai`` cell."""
        if isinstance(count, int):
            self.replies[count] = output
        self.replies_by_source[magic_source(line, cell).rstrip()] = output


@dataclass
class Context:
    notebook: dict[str, Any]
    index: int
    #: The notebook's path from the root (docs resolve from it), when read from a file.
    notebook_path: str | None
    root: Path | None
    #: What the footer says about where the context came from.
    note: str


def find_notebook(shell: Any, configured: str) -> tuple[Path, str] | None:
    """The notebook file of this kernel and how it was found, or None."""
    candidates = [
        (configured, "%ai notebook"),
        (os.environ.get("AIMAGIC_NOTEBOOK", ""), "AIMAGIC_NOTEBOOK"),
        (str(shell.user_ns.get("__vsc_ipynb_file__", "") or ""), "VS Code"),
        (os.environ.get("JPY_SESSION_NAME", ""), "the Jupyter server"),
    ]
    for path, how in candidates:
        if path and path.endswith(".ipynb") and Path(path).is_file():
            return Path(path).resolve(), how
    return None


def file_context(path: Path, how: str, line: str, cell: str, log: SessionLog, root_setting: str, raw: str | None = None) -> Context | None:
    """The cells of the saved file up to this ``%%ai`` cell (found by its source; a ``%ai``
    line by its ``raw`` source), or None when the file does not hold it (not saved yet)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    def matches(c: dict[str, Any]) -> bool:
        if c.get("cell_type") != "code":
            return False
        return _source(c).strip() == raw.strip() if raw is not None else _same_magic(_source(c), line, cell)

    index = next((i for i, c in enumerate(cells) if matches(c)), -1)
    if index < 0:
        return None
    if raw is not None:
        cells[index] = {**cells[index], "source": magic_source(line, cell), "outputs": []}
    for c in cells[:index]:
        # A %%ai cell answered in this session whose reply is not saved yet: use the reply given.
        magic = magic_cell(c)
        if magic and magic.reply is None:
            given = log.replies_by_source.get(_source(c).rstrip())
            if given:
                c["outputs"] = [*(c.get("outputs") or []), given]
    root = Path(root_setting or os.environ.get("AIMAGIC_ROOT", "") or (Path.cwd() if _inside(path, Path.cwd()) else path.parent)).resolve()
    rel = os.path.relpath(path, root).replace(os.sep, "/") if _inside(path, root) else path.name
    note = f"context: the saved file {path.name} (found by {how}; unsaved edits are not seen)"
    return Context({**notebook, "cells": cells[: index + 1]}, index, rel, root if _inside(path, root) else path.parent, note)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def history_context(shell: Any, line: str, cell: str, log: SessionLog, why: str) -> Context:
    """This kernel's history as cells: each input with its result, error or ``%%ai`` reply."""
    count = shell.execution_count
    raw = shell.history_manager.input_hist_raw
    out = shell.user_ns.get("Out", {}) or {}
    cells: list[dict[str, Any]] = []
    for n in range(1, min(count, len(raw))):
        source = raw[n]
        if not source.strip():
            continue
        outputs: list[dict[str, Any]] = []
        if n in out:
            data, _ = shell.display_formatter.format(out[n])
            outputs.append({"output_type": "execute_result", "execution_count": n, "data": {"text/plain": data.get("text/plain", "")}, "metadata": {}})
        if n in log.errors:
            outputs.append(log.errors[n])
        if n in log.replies:
            outputs.append(log.replies[n])
        cells.append({"cell_type": "code", "source": source, "outputs": outputs, "execution_count": n, "metadata": {}})
    cells.append({"cell_type": "code", "source": magic_source(line, cell), "outputs": [], "execution_count": None, "metadata": {}})
    note = f"context: this kernel's history ({why}; stream output is not kept)"
    return Context({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, len(cells) - 1, None, None, note)


def reply_output(text: str, provenance: dict[str, Any]) -> dict[str, Any]:
    """The reply as the output the magic displays (and a notebook file then holds)."""
    return {"output_type": "display_data", "data": {"text/markdown": text, "text/plain": text}, "metadata": {REPLY_OUTPUT_KEY: provenance}}
