"""The conformance table (``conformance/cases/*.json``) as the kernel side runs it, built as
the magic builds a request (the same steps as ``src/core/testing/conformance.ts``)."""

from __future__ import annotations

from typing import Any

from .bodies import body_for
from .docs import DocLoader, Loaded, docs_to_send, dropped_docs_error, load_docs
from .images import takes_images
from .output_text import html2text_converter
from .request import notebook_cache_key, prepare_prompt
from .settings import read_notebook_overrides
from .shared import default_settings


def case_body(case: dict[str, Any], provider: str) -> dict[str, Any]:
    """The body the kernel side sends for a case, with the settings' provider ``provider``."""
    settings = {**default_settings(), **(case.get("settings") or {}), "provider": provider}
    notebook = case["notebook"]
    dropped = dropped_docs_error(notebook.get("metadata"))
    if dropped:
        raise ValueError(dropped)
    files = case.get("files") or {}

    def read_file(path: str) -> Loaded:
        if path not in files:
            raise FileNotFoundError(f"{path} does not exist.")
        return Loaded(files[path])

    def fetch_url(url: str, _refresh: bool) -> Loaded:
        raise ValueError(f"the table does not fetch URLs ({url}).")

    refs = read_notebook_overrides(notebook.get("metadata"))[0].get("docs") or []
    docs, error = docs_to_send(load_docs(refs, case.get("notebookPath") or "notebook.ipynb", DocLoader(read_file, fetch_url)))
    if error:
        raise ValueError(error)
    prepared = prepare_prompt(
        notebook,
        case["cell"],
        settings,
        docs=docs,
        cache_key=notebook_cache_key(notebook),
        variables=case.get("variables") or {},
        images=lambda s: bool(s["sendImages"]) and takes_images(s["provider"], s["model"]),
        tools=case.get("tools"),
        html_to_markdown=html2text_converter(),
    )
    return body_for(prepared.settings["provider"], prepared.request)
