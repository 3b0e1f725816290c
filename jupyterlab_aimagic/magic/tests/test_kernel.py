"""%%ai in a real kernel against the strict fakes: context from the notebook file and from
the kernel's history, streaming, interrupt, every failure a user can meet."""

from __future__ import annotations

import json
import subprocess
import threading
import time

from .conftest import REPO

SEP = "\n\n##### 🤖Reply🤖<!-- SOLVEIT_SEPARATOR_7f3a9b2c -->\n\n"


def notebook(*cells, **metadata):
    return {"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def code(cid, source, outputs=(), count=None):
    return {"cell_type": "code", "id": cid, "source": source, "outputs": list(outputs), "execution_count": count, "metadata": {}}


def test_history_context_variables_and_provenance(start_kernel, fake_anthropic):
    k = start_kernel()
    k.run("x = 21\nx * 2")
    k.run("1 / 0")
    run = k.run("%%ai\nWhat is $`x`?")
    body = fake_anthropic.generating()[-1]["body"]
    user = body["messages"][-1]["content"][-1]["text"]
    # The history as cells: the input with its result, the error, then the prompt with the value.
    assert '<cell type="code" execution_count="2">\n<source>\nx = 21\nx * 2\n</source>\n<output type="execute_result">\n42\n</output>' in user
    assert 'ename="ZeroDivisionError"' in user and "ZeroDivisionError: division by zero" in user
    assert user.endswith('What is `x`?\n\nCurrent values of the variables named above:\n<variable name="x">\n21\n</variable>')
    reply = run.reply_output()
    assert reply["data"]["text/markdown"].startswith("Fake reply #1")
    meta = reply["metadata"]["aimagic"]
    assert meta["provider"] == "anthropic" and meta["stopReason"] == "end_turn" and meta["variables"] == {"x": "21"}
    assert meta["usage"]["output"] > 0 and "history" in meta["notice"]
    assert "claude-sonnet-5-5 ·" in run.text() and " out · " in run.text()
    assert run.reply["status"] == "ok"


def test_second_prompt_carries_the_first_turn_openai(start_kernel, fake_openai):
    k = start_kernel()
    first = k.run("%%ai -p openai\nName a prime.")
    k.run("%%ai -p openai -m gpt-5.1\nAnd another?")
    body = fake_openai.generating()[-1]["body"]
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert body["messages"][2]["content"] == first.reply_output()["data"]["text/markdown"].strip()
    assert body["model"] == "gpt-5.1" and body["stream_options"] == {"include_usage": True}


def test_file_context_is_what_the_extension_sends(start_kernel, fake_anthropic, tmp_path):
    nb = notebook(
        {"cell_type": "markdown", "id": "n1", "source": "# Notes\nSome context.", "metadata": {}},
        code("c1", "print('hi')", [{"output_type": "stream", "name": "stdout", "text": "hi\n"}], 1),
        {"cell_type": "markdown", "id": "a1", "source": "Earlier?" + SEP + "Earlier reply.", "metadata": {"solveit_ai": True}},
        {"cell_type": "markdown", "id": "s1", "source": "skip me", "metadata": {"skipped": True}},
        code("m1", "%%ai\nWhat did it print?"),
        aimagic={"docs": [{"source": "guide.md"}]},
    )
    (tmp_path / "guide.md").write_text("# Guide\nUse print.\n")
    path = tmp_path / "analysis.ipynb"
    path.write_text(json.dumps(nb))
    k = start_kernel()
    k.run(f"%ai notebook {path}")
    run = k.run("%%ai\nWhat did it print?")
    sent = fake_anthropic.generating()[-1]["body"]
    # The TypeScript core's dry run of the same file, cell 4, is the body sent (the Python SDK
    # writes the top-level keys in its own order, so they are compared as JSON values).
    cli = subprocess.run(["node", str(REPO / "lib/node/cli/aimagic.js"), "prompt", str(path), "--cell", "4", "--root", str(tmp_path)],
                         capture_output=True, text=True, check=True)
    assert sent == json.loads(cli.stdout)
    assert "<doc title=\"Guide\" source=\"guide.md\">" in sent["system"][1]["text"]
    assert "the saved file analysis.ipynb" in run.text() and "unsaved edits are not seen" in run.text()


def test_unsaved_cell_falls_back_to_history(start_kernel, fake_anthropic, tmp_path):
    path = tmp_path / "other.ipynb"
    path.write_text(json.dumps(notebook(code("c1", "y = 1"))))
    k = start_kernel(AIMAGIC_NOTEBOOK=str(path))
    run = k.run("%%ai\nNot saved yet")
    assert "other.ipynb does not hold this cell yet: save the notebook" in run.text()
    assert run.reply_output() is not None


def test_streams_into_one_updating_output(start_kernel, fake_anthropic):
    fake_anthropic.control("faults", [{"kind": "slow", "deltaDelayMs": 60}])
    fake_anthropic.control("replies", {"replies": [" ".join(f"word{i}" for i in range(60))]})
    k = start_kernel()
    run = k.run("%%ai\nTalk slowly")
    assert len(run.updates) >= 3  # the text grew in place, more than once
    texts = [u["content"]["data"]["text/markdown"] for u in run.updates]
    assert all(len(a) <= len(b) for a, b in zip(texts, texts[1:]))
    assert run.reply_output()["data"]["text/markdown"] == " ".join(f"word{i}" for i in range(60))
    displays = [m for m in run.messages if m["msg_type"] == "display_data"]
    assert len(displays) == 2  # the reply (updated in place) and the footer


def test_interrupt_keeps_what_arrived(start_kernel, fake_anthropic):
    fake_anthropic.control("faults", [{"kind": "slow", "deltaDelayMs": 150}])
    fake_anthropic.control("replies", {"replies": [" ".join(f"w{i}" for i in range(200))]})
    k = start_kernel()
    seen = threading.Event()

    def watch(msg):
        if msg["msg_type"] == "update_display_data" and "w3" in msg["content"]["data"].get("text/markdown", ""):
            seen.set()

    def interrupt():
        if seen.wait(30):
            k.km.interrupt_kernel()

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    run = k.run("%%ai\nA long answer", on_message=watch)
    assert time.monotonic() - started < 25
    reply = run.reply_output()
    assert reply["data"]["text/markdown"].startswith("w0 w1 w2 w3")
    assert "w199" not in reply["data"]["text/markdown"]
    assert reply["metadata"]["aimagic"]["stopReason"] == "stopped"
    assert "· stopped" in run.text() and "Traceback" not in run.text()
    assert run.reply["status"] == "ok"
    # The kernel is still usable, and the partial reply is the next prompt's turn.
    k.run("%%ai\nGo on")
    messages = fake_anthropic.generating()[-1]["body"]["messages"]
    assert messages[1]["role"] == "assistant" and messages[1]["content"][0]["text"].startswith("w0 w1 w2 w3")


def test_line_magic_config_and_insert(start_kernel, fake_anthropic, fake_openai):
    k = start_kernel()
    fake_anthropic.control("replies", {"replies": ["Here:\n\n```python\nprint(6 * 7)\n```\n\nand\n\n```bash\nls\n```"]})
    run = k.run("%%ai --insert\nWrite the code")
    payloads = [p for p in run.reply.get("payload", []) if p.get("source") == "set_next_input"]
    assert [p["text"] for p in payloads] == ["print(6 * 7)"]  # the Python block only
    line = k.run("%ai What is the answer")  # (a line ending in ? asks IPython for help instead)
    assert line.reply_output() is not None
    assert fake_anthropic.generating()[-1]["body"]["messages"][-1]["content"][-1]["text"].endswith("What is the answer")
    k.run("%config AIMagic.provider = 'openai'")
    k.run("%%ai\nWhich provider?")
    body = fake_openai.generating()[-1]["body"]
    assert body["model"] == "gpt-5.1"  # the settings' Claude default became OpenAI's default
    assert body["messages"][-1]["content"].endswith("Which provider?")
    bad = k.run("%%ai these words\nprompt")
    assert "is not an option; put the prompt on the lines below it" in bad.text() and bad.reply["status"] == "ok"


def test_local_server_by_base_url(start_kernel, fake_openai):
    from .conftest import OPENAI_KEY

    k = start_kernel(AIMAGIC_LOCAL_KEY=OPENAI_KEY)
    k.run(f"%config AIMagic.base_urls = {{'local': '{fake_openai.root}'}}")
    run = k.run("%%ai -p local -m gpt-4.1-mini\nHello, local server")
    assert run.reply_output() is not None, run.text()
    assert run.reply_output()["metadata"]["aimagic"]["provider"] == "local"
    body = fake_openai.generating()[-1]["body"]
    # The compatible dialect: max_tokens, no OpenAI-only fields.
    assert body["max_tokens"] == 4096 and "max_completion_tokens" not in body and "prompt_cache_key" not in body
