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


class Mode(__import__("enum").Enum):
    A = 1
    B = 2


@pytest.mark.parametrize("annotation,schema", [
    (int, {"type": "integer"}),
    (bool, {"type": "boolean"}),
    (None, {"type": "null"}),
    (__import__("typing").Any, {}),
    (list, {"type": "array"}),
    (list[int], {"type": "array", "items": {"type": "integer"}}),
    (__import__("typing").List[str], {"type": "array", "items": {"type": "string"}}),
    (set[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
    (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
    (tuple[int, str], {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "minItems": 2, "maxItems": 2}),
    (dict[str, float], {"type": "object", "additionalProperties": {"type": "number"}}),
    (__import__("typing").Optional[int], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
    (__import__("typing").Union[int, str, int], {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
    (__import__("typing").Literal["a", "b"], {"type": "string", "enum": ["a", "b"]}),
    (__import__("typing").Literal[1, "b"], {"enum": [1, "b"]}),
    (Mode, {"type": "integer", "enum": [1, 2]}),
    (__import__("typing").Annotated[int, "how many"], {"type": "integer", "description": "how many"}),
    (__import__("typing").NewType("UserId", int), {"type": "integer"}),
    (__import__("pathlib").Path, {"type": "string"}),
    (__import__("datetime").date, {"type": "string", "format": "date"}),
])
def test_schema_of_an_annotation(annotation, schema):
    assert tools.schema_of(annotation) == schema


@pytest.mark.parametrize("annotation,message", [
    (complex, "the value is annotated `complex`, which a model cannot send as JSON"),
    (dict[int, str], "the value is a mapping with int keys, but JSON object keys are strings"),
    (list[complex], "the value is annotated `complex`"),
])
def test_annotations_json_cannot_carry(annotation, message):
    with pytest.raises(tools.ToolError) as e:
        tools.schema_of(annotation)
    assert str(e.value).startswith(message)


def test_unresolvable_annotations_are_named_or_left_out():
    namespace = {}
    exec("def f(x: 'Missing'): pass\ndef g(n: int, y: 'Missing' = 1): pass", namespace)
    assert tools.describe(["f", "g"], namespace) == {
        "tools": [{"name": "g", "description": "g(n: int, y: 'Missing' = 1)",
                   "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}],
        "errors": [{"name": "f", "message": "parameter `x` of `f` is annotated 'Missing', which the kernel cannot resolve"}],
    }
