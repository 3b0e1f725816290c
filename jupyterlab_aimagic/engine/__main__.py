"""``python -m jupyterlab_aimagic.engine serve|fetch``: the engine process, and the model fetch.

``serve`` is what the Jupyter server (and ``jupyter aimagic engine start``) runs as a child
process; ``fetch`` brings the model into the cache ahead of time (``scripts/setup.sh``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .models import DEFAULT_MODEL, EngineError, alias_for, ensure_model
from .serve import ServeOptions, serve
from .config import default_cache


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run ``serve`` or ``fetch``; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_aimagic.engine")
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: $AIMAGIC_CACHE or ~/.cache/jupyterlab-aimagic)")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="bring the model into the cache; prints its path")
    fetch.add_argument("--model", default=DEFAULT_MODEL)
    run = sub.add_parser("serve", help="serve a model on 127.0.0.1 until SIGTERM")
    run.add_argument("--model", default=DEFAULT_MODEL, help="catalogue name or .gguf path")
    run.add_argument("--alias", default="", help="model name on /v1/models")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--threads", type=int, default=2)
    run.add_argument("--ctx-size", type=int, default=8192)
    run.add_argument("--slot-save-path", default="", help="where slot saves go (default: <cache>/slots)")
    run.add_argument("--parent", type=int, default=0, help="stop when this process is gone")
    args = parser.parse_args(argv)
    cache = (args.cache or default_cache()).expanduser()
    log = lambda message: print(f"[aimagic engine] {message}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        path = ensure_model(args.model, cache, log)
    except EngineError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.command == "fetch":
        print(path)
        return 0
    slots = Path(args.slot_save_path) if args.slot_save_path else cache / "slots"
    slots.mkdir(parents=True, exist_ok=True)
    options = ServeOptions(
        model=str(path), alias=args.alias or alias_for(args.model), port=args.port,
        threads=args.threads, ctx_size=args.ctx_size, slot_save_path=str(slots), parent=args.parent,
    )
    return serve(options)


if __name__ == "__main__":
    sys.exit(main())
