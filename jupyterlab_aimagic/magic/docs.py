"""A notebook's context docs (``aimagic.docs``): where each is read from, loading them, what
is sent (``src/core/docs/docs.ts``, ``doc-text.ts``, ``paths.ts``)."""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple
from urllib.parse import urljoin, urlsplit

from .dialogue import estimate_tokens
from .jsutil import js_len
from .llms_txt import expand_llms_txt, is_llms_txt_source, links_to_expand, parse_llms_txt
from .settings import read_notebook_overrides

#: Longest doc accepted, in characters (about a million tokens).
DOC_MAX_CHARS = 4_000_000


class Loaded(NamedTuple):
    text: str
    #: Set when the text is an older copy because the source could not be checked: why.
    stale: str | None = None


class DocLoader(NamedTuple):
    """Reads docs; each function raises an exception whose message says why."""

    read_file: Callable[[str], Loaded]
    fetch_url: Callable[[str, bool], Loaded]


def doc_text(doc: dict[str, Any]) -> str:
    """A doc as a system text block, wrapped with its title and source."""

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    body = re.sub(r"\n+$", "", doc["text"])
    return f'<doc title="{esc(doc["title"])}" source="{esc(doc["source"])}">\n{body}\n</doc>'


def normalize_path(path: str) -> str | None:
    """Resolve ``.`` and ``..``; None when ``..`` would leave the root."""
    out: list[str] = []
    for segment in path.split("/"):
        if not segment or segment == ".":
            continue
        if segment == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(segment)
    return "/".join(out)


def _dirname(path: str) -> str:
    i = path.rfind("/")
    return "" if i < 0 else path[:i]


def _join(a: str, b: str) -> str:
    return f"{a.rstrip('/')}/{b}" if a else b


def _url_href(url: str) -> str:
    # WHATWG URLs give a bare host the path "/".
    parts = urlsplit(url)
    return url + "/" if not parts.path and not parts.query and not parts.fragment else url


def resolve_source(source: str, base: str) -> tuple[str, str]:
    """``(kind, where)``: ``url``, ``file`` (path from the root) or ``invalid`` (reason)."""
    s = source.strip()
    if re.match(r"^https?://", s, re.I):
        if not urlsplit(s).netloc:
            return "invalid", f'"{s}" is not a valid URL.'
        return "url", _url_href(s)
    if re.match(r"^[a-z][a-z0-9+.-]*:", s, re.I):
        return "invalid", f'only http and https URLs can be fetched, not "{s.split(":")[0]}:".'
    if re.match(r"^https?://", base, re.I):
        return "url", urljoin(base, s)
    path = normalize_path(s if s.startswith("/") else _join(_dirname(base), s))
    if path is None:
        return "invalid", f"\"{s}\" points outside the Jupyter server's root."
    return "file", path


def doc_title(ref: dict[str, Any], text: str | None = None) -> str:
    """The title given, else an H1 of the text, else the last segment of the source."""
    if (ref.get("title") or "").strip():
        return ref["title"].strip()
    h1 = re.search(r"^\s*#\s+(.+?)\s*#*\s*$", text[:4000], re.M) if text else None
    if h1:
        return h1.group(1)
    last = re.sub(r"/+$", "", re.sub(r"[?#].*$", "", ref["source"], flags=re.S)).split("/")[-1]
    return last or ref["source"]


def _read(kind: tuple[str, str], loader: DocLoader, refresh: bool) -> Loaded:
    if kind[0] == "invalid":
        raise ValueError(kind[1])
    loaded = loader.fetch_url(kind[1], refresh) if kind[0] == "url" else loader.read_file(kind[1])
    if "\x00" in loaded.text:
        raise ValueError("not a text file (it holds binary data).")
    if js_len(loaded.text) > DOC_MAX_CHARS:
        raise ValueError(f"too large: {js_len(loaded.text):,} characters; the limit is {DOC_MAX_CHARS:,}.")
    return loaded


def _load_one(ref: dict[str, Any], index: int, notebook_path: str, loader: DocLoader, refresh: bool) -> dict[str, Any]:
    enabled = ref.get("enabled") is not False
    base = {"index": index, "source": ref["source"], "title": doc_title(ref), "enabled": enabled, "state": "disabled", "tokens": 0}
    if not enabled:
        return base
    kind = resolve_source(ref["source"], notebook_path)
    try:
        loaded = _read(kind, loader, refresh)
        text, stale = loaded.text, loaded.stale
        parsed = parse_llms_txt(text) if is_llms_txt_source(ref["source"]) else None
        if ref.get("expand") and is_llms_txt_source(ref["source"]):
            if not parsed:
                raise ValueError('it is not an llms.txt (no "# Title" line), so it cannot be expanded.')
            where = kind[1] if kind[0] in ("url", "file") else ""
            pages = []
            for section, link in links_to_expand(parsed, bool(ref.get("optional"))):
                target = resolve_source(link["href"], where)
                try:
                    page = _read(target, loader, refresh)
                except Exception as e:
                    raise ValueError(f'its page "{link["title"]}" ({link["href"]}) could not be loaded: {e}') from None
                if stale is None and page.stale:
                    stale = f'page "{link["title"]}": {page.stale}'
                pages.append({"section": section, "link": link, "source": target[1] if target[0] == "url" else link["href"], "text": page.text})
            text = expand_llms_txt(parsed, pages)
        title = doc_title(ref, f"# {parsed['title']}" if parsed else text)
        tokens = estimate_tokens(doc_text({"title": title, "source": ref["source"], "text": text}))
        status = {**base, "title": title, "state": "stale" if stale else "loaded", "tokens": tokens, "text": text}
        if stale:
            status["reason"] = stale
        return status
    except Exception as e:
        return {**base, "state": "failed", "reason": str(e)}


def load_docs(refs: list[dict[str, Any]], notebook_path: str, loader: DocLoader, refresh: bool = False) -> list[dict[str, Any]]:
    """Every doc of a notebook, in order; never raises (a doc that cannot be had is ``failed``)."""
    return [_load_one(ref, i, notebook_path, loader, refresh) for i, ref in enumerate(refs)]


def docs_to_send(statuses: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """``(docs, error)``: an enabled doc that failed stops the prompt, with this message."""
    failed = [s for s in statuses if s["state"] == "failed"]
    if failed:
        lines = "\n".join(f'"{s["title"]}" ({s["source"]}): {s["reason"]}' for s in failed)
        what = "A context doc of this notebook" if len(failed) == 1 else f"{len(failed)} context docs of this notebook"
        return [], (
            f"{what} could not be loaded, so the prompt was not sent:\n{lines}\n"
            'Fix the source, or disable the doc in "Manage Context Docs…", and run the cell again.'
        )
    docs = [{"title": s["title"], "source": s["source"], "text": s.get("text") or ""} for s in statuses if s["state"] in ("loaded", "stale")]
    return docs, None


def dropped_docs_error(metadata: dict[str, Any] | None) -> str | None:
    """Why the docs metadata would drop a doc the user meant to send, or None."""
    problems = read_notebook_overrides(metadata)[1]
    dropped = [p for p in problems if re.match(r'^aimagic\.docs(\[\d+\] needs a "source"| must be a list)', p)]
    if not dropped:
        return None
    return (
        "The notebook's context docs metadata (aimagic.docs) has entries that cannot be used, so the prompt was not sent:\n"
        + "\n".join(dropped)
        + '\nFix them in the notebook metadata, or use "Manage Context Docs…", and run the cell again.'
    )
