"""The kernel may run an older Python than the server: the magic must run on 3.9."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MAGIC = Path(__file__).resolve().parents[1]


def test_the_magic_runs_on_python_3_9():
    run = subprocess.run([sys.executable, "-c", "import sys, vermin; sys.exit(vermin.main())", "--no-tips", "-t=3.9-", "--violations",
                          "--eval-annotations", str(MAGIC)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
