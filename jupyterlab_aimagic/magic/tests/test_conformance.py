"""The conformance table against the kernel side: each case's body must be the one the table
holds, to the byte (key order included), exactly as jest holds the TypeScript core to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_aimagic.magic.conformance import case_body
from jupyterlab_aimagic.magic.jsutil import js_stringify

CASES = Path(__file__).resolve().parents[3] / "conformance" / "cases"
ROWS = [
    (path.name, provider, json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(CASES.glob("*.json"))
    for provider in json.loads(path.read_text(encoding="utf-8"))["providers"]
]


def test_the_table_is_there():
    assert len({name for name, _, _ in ROWS}) >= 12


@pytest.mark.parametrize("name,provider,case", ROWS, ids=[f"{n}-{p}" for n, p, _ in ROWS])
def test_case(name, provider, case):
    body = js_stringify(case_body(case, provider))
    if case.get("python"):
        # Said in the table: the two sides use different libraries here; each is held to its own.
        for text in case["python"]["contains"]:
            assert text in body
        return
    assert body == js_stringify(case["expect"][provider])
