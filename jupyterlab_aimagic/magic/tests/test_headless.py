"""A headless run: ``jupyter nbconvert --execute`` of a notebook with two ``%%ai`` cells
against the fake writes both replies as outputs, the second request carrying the first turn;
the executed notebook then continues in the TypeScript core as it would in JupyterLab."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO, kernel_env


def _cell(source, cid):
    return {"cell_type": "code", "id": cid, "source": source, "outputs": [], "execution_count": None, "metadata": {}}


def _notebook(*cells):
    return {"cells": list(cells), "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def _execute(tmp_path, fake_anthropic, fake_openai, nb, **env):
    path = tmp_path / "run.ipynb"
    path.write_text(json.dumps(nb))
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "done.ipynb", str(path)],
        env=kernel_env(tmp_path, fake_anthropic, fake_openai, **env), capture_output=True, text=True, timeout=300,
    )
    return result, tmp_path / "done.ipynb"


@pytest.mark.parametrize("named", [False, True], ids=["history", "AIMAGIC_NOTEBOOK"])
def test_nbconvert_runs_two_ai_cells(tmp_path, fake_anthropic, fake_openai, named):
    fake_anthropic.reset()
    nb = _notebook(_cell("%load_ext jupyterlab_aimagic", "c0"), _cell("data = [3, 1, 2]\nsorted(data)", "c1"),
                   _cell("%%ai\nWhat does the cell above return?", "m1"), _cell("%%ai\nAnd reversed?", "m2"))
    env = {"AIMAGIC_NOTEBOOK": str(tmp_path / "run.ipynb")} if named else {}
    result, done = _execute(tmp_path, fake_anthropic, fake_openai, nb, **env)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = json.loads(done.read_text())["cells"]
    replies = [[o for o in c["outputs"] if "aimagic" in o.get("metadata", {})] for c in cells[2:]]
    assert [len(r) for r in replies] == [1, 1]
    first, second = ("".join(r[0]["data"]["text/markdown"]) for r in replies)  # nbformat may store lines
    assert first.startswith("Fake reply #1") and second.startswith("Fake reply #2")
    requests = fake_anthropic.generating()
    assert len(requests) == 2
    messages = requests[1]["body"]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"][0]["text"] == first.strip()
    first_context = requests[0]["body"]["messages"][0]["content"][0]["text"]
    if named:
        # The saved file (not yet executed: no outputs), its cells with their ids.
        assert '<cell id="c1" type="code">\n<source>\ndata = [3, 1, 2]\nsorted(data)\n</source>\n</cell>' in first_context
    else:
        # No notebook file: the kernel's history, the result included.
        assert '<output type="execute_result">\n[1, 2, 3]\n</output>' in first_context
    # Opened in JupyterLab, a prompt below them sends both as turns (the TypeScript core).
    executed = json.loads(done.read_text())
    executed["cells"].append({"cell_type": "markdown", "id": "a3", "source": "Compare them.", "metadata": {"solveit_ai": True}})
    done.write_text(json.dumps(executed))
    cli = subprocess.run(["node", str(REPO / "lib/node/cli/aimagic.js"), "prompt", str(done), "--cell", "4"], capture_output=True, text=True, check=True)
    ts_messages = json.loads(cli.stdout)["messages"]
    assert [m["role"] for m in ts_messages] == ["user", "assistant", "user", "assistant", "user"]
    assert ts_messages[3]["content"][0]["text"] == second.strip()


def test_nbconvert_stops_at_a_failure(tmp_path, fake_anthropic, fake_openai):
    fake_anthropic.reset()
    nb = _notebook(_cell("%load_ext jupyterlab_aimagic", "c0"), _cell("%%ai\nHello", "m1"), _cell("print('after')", "c2"))
    result, done = _execute(tmp_path, fake_anthropic, fake_openai, nb, ANTHROPIC_API_KEY="")
    assert result.returncode != 0
    assert "AIMagicError: No Anthropic API key in the kernel's environment" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr.split("AIMagicError")[-1]
    assert not done.exists()
