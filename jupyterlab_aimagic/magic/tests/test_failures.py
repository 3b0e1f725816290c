"""Each failure a user can meet ends in a clear output (never an SDK traceback), with what
arrived kept; a headless run (no stdin, as nbclient) raises so nbconvert --execute stops."""

from __future__ import annotations

import pytest

FAILURES = [
    # (name, setup code in the kernel, faults for the fake, expected words, partial reply kept)
    ("no key", "import os; del os.environ['ANTHROPIC_API_KEY']", [], "No Anthropic API key in the kernel's environment. Export ANTHROPIC_API_KEY", False),
    ("rejected key", "import os; os.environ['ANTHROPIC_API_KEY'] = 'sk-ant-wrong'", [], "Anthropic rejected the API key (401). Check ANTHROPIC_API_KEY", False),
    ("rate limit", "", [{"kind": "status", "status": 429, "type": "rate_limit_error", "retryAfter": 0}] * 3, "rate limit reached (429), still after retrying. Wait 0 s", False),
    ("overloaded", "", [{"kind": "status", "status": 529, "type": "overloaded_error"}] * 3, "Anthropic is overloaded (529)", False),
    ("overloaded mid-stream", "", [{"kind": "error-event-after", "deltas": 2}], "overloaded (overloaded_error) in the middle of the reply; the part received is kept", True),
    ("dropped stream", "", [{"kind": "drop-after", "deltas": 2}], "dropped in the middle of the reply; the part received is kept", True),
    ("network down", "%config AIMagic.base_urls = {'anthropic': 'http://127.0.0.1:9'}", [], "Could not connect to Anthropic at http://127.0.0.1:9", False),
    ("unknown model", "", [], "Anthropic answered 404 (not_found_error)", False),
    ("unknown variable", "", [], "$`nope` is not defined in the kernel (NameError", False),
    ("SDK missing", "import sys; sys.modules['anthropic'] = None", [], "The anthropic package is not installed in this kernel's environment", False),
]
PROMPTS = {"unknown model": "%%ai -m claude-nonexistent-9\nHello", "unknown variable": "%%ai\nWhat is $`nope`?"}


@pytest.mark.parametrize("name,setup,faults,expected,partial", FAILURES, ids=[f[0] for f in FAILURES])
def test_failure_is_a_clear_output(start_kernel, fake_anthropic, name, setup, faults, expected, partial):
    k = start_kernel()
    if setup:
        assert k.run(setup).reply["status"] == "ok"
    if faults:
        fake_anthropic.control("faults", faults)
    run = k.run(PROMPTS.get(name, "%%ai\nHello there"))
    text = run.text()
    assert expected in text
    assert "Traceback" not in text and run.reply["status"] == "ok"
    reply = run.reply_output()
    if partial:
        assert reply and reply["data"]["text/markdown"].startswith("Fake reply #1")
        assert reply["metadata"]["aimagic"]["stopReason"] == "error"
        assert reply["metadata"]["aimagic"]["error"]["kind"] in ("overloaded", "dropped")
        assert "· interrupted" in text
    else:
        assert reply is None
    assert "sk-ant" not in text  # no key is ever shown


def test_headless_failure_raises_in_one_line(start_kernel, fake_anthropic):
    k = start_kernel()
    fake_anthropic.control("faults", [{"kind": "drop-after", "deltas": 2}])
    run = k.run("%%ai\nHello", allow_stdin=False)
    assert run.reply["status"] == "error" and run.reply["ename"] == "AIMagicError"
    errors = [o for o in run.outputs if o["output_type"] == "error"]
    assert [e["traceback"] for e in errors] == [["AIMagicError: " + run.reply["evalue"]]]
    assert "dropped in the middle of the reply" in run.reply["evalue"]
    assert run.reply_output()["data"]["text/markdown"].startswith("Fake reply #1")  # kept, before the error


def test_headless_success_does_not_raise(start_kernel):
    k = start_kernel()
    run = k.run("%%ai\nHello", allow_stdin=False)
    assert run.reply["status"] == "ok" and run.reply_output() is not None
