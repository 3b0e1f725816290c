"""The engine process: llama.cpp's own HTTP server, from the ``xllamacpp`` wheel, on 127.0.0.1.

Run as ``python -m jupyterlab_aimagic.engine serve …`` by the Jupyter server (or the
``jupyter aimagic engine start`` command), so that a crash in native code never takes
Jupyter down. It prints one ``ready <url>`` line when the server answers, then serves until
SIGTERM or SIGINT, or until the process that started it is gone (``--parent``), and exits 0.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class ServeOptions:
    """What the server is started with (the subset of llama-server's flags the engine sets)."""

    model: str
    alias: str
    port: int
    threads: int
    ctx_size: int
    slot_save_path: str
    #: Exit when this process is gone (0: never).
    parent: int = 0


def serve(options: ServeOptions) -> int:
    """Start the server and block until told to stop; the exit code."""
    try:
        import xllamacpp
    except ImportError:
        print(
            "The local model engine needs the xllamacpp wheel: "
            "pip install 'jupyterlab_aimagic[engine]'",
            file=sys.stderr,
        )
        return 3
    params = xllamacpp.CommonParams()
    params.model.path = options.model
    params.model_alias = {options.alias}
    params.hostnames = ["127.0.0.1"]  # never another interface: it has no authentication
    params.port = options.port
    params.n_ctx = options.ctx_size
    params.n_parallel = 1  # one slot: the docs prefix saved and restored is that slot's
    params.cpuparams.n_threads = options.threads
    params.cpuparams_batch.n_threads = options.threads
    # llama-server's flag parser adds the trailing separator; the field is joined to the file
    # name as it is ("DIR" + "x.bin" would land beside DIR, not in it).
    params.slot_save_path = os.path.join(options.slot_save_path, "")
    params.endpoint_slots = True
    params.use_jinja = True  # the GGUF's chat template, which also renders OpenAI-style tools
    params.ui = False
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        server = xllamacpp.Server(params)  # loads the model; listening when it returns
    except Exception as exc:  # the native side reports a bad model file or a taken port so
        print(f"The local model engine could not start: {exc}", file=sys.stderr)
        return 2
    print(f"ready {server.listening_address}", flush=True)
    while not stop.wait(1.0):
        if options.parent and os.getppid() != options.parent:
            print("the process that started the engine is gone: stopping", file=sys.stderr)
            break
    # The native server's threads end with the process; nothing is left to flush.
    return 0
