"""``%%ai`` and ``%ai``: the kernel side of AI Magic.

``%%ai [-p PROVIDER] [-m MODEL] [--max-tokens N] [--insert]`` sends the cells above it (from
the saved notebook file when the kernel can find it, else from this kernel's history) and the
prompt below the magic line, built by the same rules as the JupyterLab extension, and streams
the reply into the output. ``%ai notebook [PATH]`` names the notebook file; ``%ai PROMPT``
sends a one-line prompt.
"""

from __future__ import annotations

import os
import time
from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .bodies import body_for
from .codeblocks import python_blocks
from .config import AIMagic
from .dialogue import PromptError
from .doc_loader import kernel_doc_loader
from .docs import docs_to_send, dropped_docs_error, load_docs
from .errors import AIMagicError, ProviderFailure
from .images import scale_images, takes_images
from .jsutil import hash_text, js_stringify
from .output_text import html2text_converter
from .kernel_context import SessionLog, file_context, find_notebook, history_context, magic_source, reply_output
from .output import LiveReply, show_footer, show_problem
from .pricing import cost_of, find_price, footer_text
from .providers import endpoint_for, stream_reply
from .request import notebook_cache_key, prepare_prompt
from .settings import read_notebook_overrides
from .variables import find_variables


@magics_class
class AIMagics(Magics):
    """The magics, with their settings (``%config AIMagic``) and this session's log."""

    def __init__(self, shell: Any, config: AIMagic, log: SessionLog):
        super().__init__(shell)
        self.settings = config
        self.log = log

    @magic_arguments()
    @argument("-p", "--provider", help="anthropic, openai or local (default: %%config AIMagic.provider)")
    @argument("-m", "--model", help="model id for this cell")
    @argument("--max-tokens", type=int, help="longest reply, in tokens")
    @argument("--insert", action="store_true", help="put the reply's Python code into the next cell")
    @argument("words", nargs="*", help="%ai only: a one-line prompt, or: notebook [PATH]")
    @line_cell_magic
    def ai(self, line: str, cell: str | None = None) -> None:
        """Send a prompt with the notebook above it as context; see the module doc."""
        try:
            args = parse_argstring(self.ai, line)
        except Exception as e:  # UsageError from argparse: say it without a traceback
            show_problem(f"{e}. Usage: %%ai [-p PROVIDER] [-m MODEL] [--max-tokens N] [--insert]")
            return self._fail(str(e))
        if cell is None:
            if args.words[:1] == ["notebook"]:
                return self._notebook_command(args.words[1:])
            if not args.words:
                show_problem("Write a prompt after %ai, or use %%ai as the first line of a cell.")
                return None
            # A one-line prompt: its cell is found in the file by its whole source.
            return self._run(_options(args), " ".join(args.words), args, raw=f"%ai {line.strip()}")
        if args.words:
            show_problem(f"{' '.join(args.words)!r} on the %%ai line is not an option; put the prompt on the lines below it.")
            return self._fail("words on the %%ai line that are not options")
        return self._run(_options(args), cell, args)

    def _notebook_command(self, words: list[str]) -> None:
        if words:
            path = os.path.abspath(os.path.expanduser(" ".join(words)))
            if not os.path.isfile(path):
                show_problem(f"No notebook file at {path}.")
                return None
            self.settings.notebook = path
        found = find_notebook(self.shell, self.settings.notebook)
        show_problem(f"Context is read from {found[0]} (found by {found[1]})." if found else
                     "No notebook file found: context comes from this kernel's history. Name one with %ai notebook PATH.")
        return None

    def _headless(self) -> bool:
        if self.settings.headless != "auto":
            return self.settings.headless == "yes"
        kernel = getattr(self.shell, "kernel", None)
        # nbclient (nbconvert --execute, papermill) sends its requests with allow_stdin false.
        return kernel is not None and getattr(kernel, "_allow_stdin", True) is False

    def _fail(self, message: str) -> None:
        if self._headless():
            raise AIMagicError(message)
        return None

    def _run(self, line: str, cell: str, args: Any, raw: str | None = None) -> None:
        found = find_notebook(self.shell, self.settings.notebook)
        context = file_context(found[0], found[1], line, cell, self.log, self.settings.root, raw) if found else None
        if context is None:
            why = f"{found[0].name} does not hold this cell yet: save the notebook" if found else "no notebook file found; name one with %ai notebook PATH"
            context = history_context(self.shell, line, cell, self.log, why)
        settings = self.settings.core_settings()
        if args.max_tokens:
            settings["maxTokens"] = args.max_tokens
        choice = {k: v for k, v in (("provider", args.provider), ("model", args.model)) if v}
        try:
            docs, doc_note = self._docs(context)
            variables = self._variables(cell)
            if settings["sendImages"]:
                overrides = read_notebook_overrides(context.notebook.get("metadata"))[0]
                scale_images(context.notebook, choice.get("provider") or overrides.get("provider") or settings["provider"])
            prepared = prepare_prompt(
                context.notebook, context.index, settings, docs=docs, cache_key=notebook_cache_key(context.notebook),
                variables=variables, images=lambda s: bool(s["sendImages"]) and takes_images(s["provider"], s["model"]),
                choice=choice, html_to_markdown=html2text_converter(),
            )
            provider = prepared.settings["provider"]
            body = body_for(provider, prepared.request)
            endpoint = endpoint_for(provider, dict(self.settings.base_urls))
        except (PromptError, ProviderFailure, ValueError) as e:
            show_problem(f"{e} Nothing was sent.")
            return self._fail(str(e))
        for problem in prepared.problems:
            show_problem(problem)
        return self._send(endpoint, body, prepared, context.note if not doc_note else f"{context.note} · {doc_note}",
                          variables, line, cell, args.insert or self.settings.insert_code)

    def _docs(self, context: Any) -> tuple[list[dict[str, Any]], str | None]:
        metadata = context.notebook.get("metadata")
        dropped = dropped_docs_error(metadata)
        if dropped:
            raise ValueError(dropped)
        refs = read_notebook_overrides(metadata)[0].get("docs") or []
        if not refs or context.root is None:
            return [], None
        statuses = load_docs(refs, context.notebook_path or "", kernel_doc_loader(context.root))
        docs, error = docs_to_send(statuses)
        if error:
            raise ValueError(error)
        return docs, None

    def _variables(self, cell: str) -> dict[str, str]:
        names = find_variables(cell)
        if not names:
            return {}
        results = self.shell.user_expressions({f"v{i}": name for i, name in enumerate(names)})
        values, problems = {}, []
        for i, name in enumerate(names):
            r = results.get(f"v{i}") or {}
            text = (r.get("data") or {}).get("text/plain")
            if r.get("status") == "ok" and isinstance(text, str):
                values[name] = text
            elif r.get("ename") in ("NameError", "AttributeError"):
                problems.append(f"$`{name}` is not defined in the kernel ({r['ename']}: {r.get('evalue', '')})")
            else:
                problems.append(f"$`{name}` could not be read ({r.get('ename', 'no answer')}{': ' + r['evalue'] if r.get('evalue') else ''})")
        if problems:
            raise PromptError(f"{'; '.join(problems)}. Define it by running a cell, or fix the name.")
        return values

    def _send(self, endpoint: Any, body: dict[str, Any], prepared: Any, note: str, variables: dict[str, str],
              line: str, cell: str, insert: bool) -> None:
        live = LiveReply()
        start = time.monotonic()
        failure: ProviderFailure | None = None
        stopped = False
        finish = None
        try:
            finish = stream_reply(endpoint, body, live.add)
        except ProviderFailure as e:
            failure = e
        except KeyboardInterrupt:
            stopped = True
        duration = round((time.monotonic() - start) * 1000)
        usage = finish.usage if finish else {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0}
        model = finish.model if finish else body["model"]
        stop = "stopped" if stopped else ("error" if failure else finish.stop_reason)
        provenance: dict[str, Any] = {"provider": endpoint.provider, "model": model, "usage": usage, "durationMs": duration,
                                      "stopReason": stop, "requestHash": hash_text(js_stringify(body))}
        price = find_price(model)
        if price:
            provenance["cost"] = cost_of(usage, price)
        if prepared.dialogue.omitted:
            provenance["omitted"] = prepared.dialogue.omitted
        if failure:
            provenance["error"] = {"kind": failure.kind, "message": str(failure)}
        notices = [n for n in (finish.notice if finish else None, note) if n]
        if notices:
            provenance["notice"] = " · ".join(notices)
        if variables:
            provenance["variables"] = variables
        provenance["finishedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if not live.text:
            message = str(failure) if failure else ("Stopped before any reply arrived." if stopped else "The reply was empty.")
            live.clear(message)
            return self._fail(message) if failure or not stopped else None
        output = live.finish(provenance)
        self.log.record_reply(self.shell.execution_count, line, cell, output)
        show_footer(footer_text(provenance))
        if failure:
            show_problem(str(failure))
            return self._fail(str(failure))
        if insert and not stopped:
            blocks = python_blocks(live.text)
            if blocks:
                self.shell.set_next_input("\n\n".join(blocks), replace=False)
        return None


def _options(args: Any) -> str:
    """The options of a magic line, written the one way the session log keys replies by."""
    parts = [f"-p {args.provider}" if args.provider else "", f"-m {args.model}" if args.model else "",
             f"--max-tokens {args.max_tokens}" if args.max_tokens else "", "--insert" if args.insert else ""]
    return " ".join(p for p in parts if p)


def load(shell: Any) -> AIMagics:
    """Register the magics, their settings and the session log on a shell."""
    config = AIMagic(parent=shell)
    shell.configurables.append(config)
    log = SessionLog()
    shell.events.register("post_run_cell", log.post_run_cell)
    magics = AIMagics(shell, config, log)
    shell.register_magics(magics)
    return magics
