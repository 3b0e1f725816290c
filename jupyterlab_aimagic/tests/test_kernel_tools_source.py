"""tools.py is sent to kernels of any environment: it must stand on the standard library of
Python 3.9 and later. Its docstring reading is checked here, without a kernel."""
import ast
import subprocess
import sys

import pytest

from jupyterlab_aimagic.kernel import tools

from .kernel_client import SOURCE, TOOLS_PY


def test_imports_only_the_standard_library():
    imported = set()
    for node in ast.walk(ast.parse(SOURCE)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports: the file is sent alone"
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == set()


def test_runs_on_python_3_9():
    run = subprocess.run([sys.executable, "-c", "import sys, vermin; sys.exit(vermin.main())", "--no-tips", "-t=3.9-", "--violations", str(TOOLS_PY)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("doc,intro,params,returns", [
    ("", "", {}, ""),
    ("One line.", "One line.", {}, ""),
    ("Summary.\n\nMore words\nacross lines.", "Summary.\n\nMore words\nacross lines.", {}, ""),
    ("Google.\n\nArgs:\n    a (int): First.\n    b: Second,\n        continued.\n\nReturns:\n    int: The sum.\n\nRaises:\n    ValueError: never.",
     "Google.", {"a": "First.", "b": "Second, continued."}, "int: The sum."),
    ("Google kwargs.\n\nArgs:\n    *args: Positional.\n    **kwargs: Keywords.", "Google kwargs.", {"args": "Positional.", "kwargs": "Keywords."}, ""),
    ("Numpy.\n\nParameters\n----------\nx : int\n    The x.\ny, z : float, optional\n    Both.\n\nReturns\n-------\nfloat\n    The result.",
     "Numpy.", {"x": "The x.", "y": "Both.", "z": "Both."}, "float The result."),
    ("Sphinx.\n\n:param a: First.\n:param str b: Second,\n    continued.\n:type a: int\n:returns: Nothing.\n:raises KeyError: never.",
     "Sphinx.", {"a": "First.", "b": "Second, continued."}, "Nothing."),
    ("Example: an intro line with a colon.", "Example: an intro line with a colon.", {}, ""),
])
def test_docstring_sections(doc, intro, params, returns):
    assert tools._parse_doc(doc) == (intro, params, returns)
