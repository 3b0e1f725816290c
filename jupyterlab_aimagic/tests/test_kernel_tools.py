"""The kernel side of tools in a real ipykernel: schemas made from real functions, calls run
silently, failures and interrupts turned into results, the user's kernel left as it was."""
import pytest

from .kernel_client import Kernel

DEFINITIONS = r'''
import asyncio, dataclasses, enum, time
from typing import Dict, List, Literal, Optional, Union

class Color(enum.Enum):
    RED = "red"
    GREEN = "green"

def add(a: int, b: float = 1.5) -> float:
    """Add two numbers.

    Args:
        a: The first number.
        b (float): The second number,
            a float.

    Returns:
        The sum.
    """
    return a + b

def pick(color: Color, mode: Literal["fast", "slow"] = "fast", limit: Optional[int] = None,
         *names: str, **extra: int) -> str:
    """Pick a colour."""
    return f"{color!r} {mode} {limit} {names} {sorted(extra.items())}"

def numpy_doc(x, y=2, flags: Dict[str, bool] = None):
    """Numpy style.

    Parameters
    ----------
    x : int
        The x value.
    y : int, optional
        The y value.
    """

def sphinx_doc(path: str, count: Union[int, float] = 1):
    """Sphinx style.

    :param path: Where to look.
    :param count: How many,
        at most.
    :returns: Nothing.
    """

def documented(
    a: int,  # the first
    b: str = "x",  # the second
) -> str:  # a and b joined
    return f"{a}{b}"

def bare(x, *args, **kwargs):
    return [x, args, kwargs]

class Counter:
    """Counts."""
    def __init__(self):
        self.n = 0
    def __call__(self, step: int = 1) -> int:
        """Add step to the count and return it."""
        self.n += step
        return self.n

counter = Counter()

@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0

def norm(p: Point, tags: List[str] = ()) -> float:
    return (p.x ** 2 + p.y ** 2) ** 0.5

class Frame:
    pass

def takes_frame(df: Frame):
    pass

def frame_or_default(n: int, df: Frame = None):
    return n

def loud(n: int):
    import sys
    print("counting to", n)
    print("careful", file=sys.stderr)
    return list(range(n))

def helper(x):
    raise ValueError(f"bad value {x}")

def boom(x: int):
    return helper(x)

def hang(seconds: float = 60):
    print("starting", flush=True)
    time.sleep(seconds)

def ratio(num: float, den: float = 1, /, *, digits: int = 2) -> float:
    return round(num / den, digits)

def shout(text: str) -> str:
    return text.upper()

def big():
    return "a" * 15000 + "b" * 15000

def odd():
    return "caf\u00e9 \ud800 end"

def shows(x: int):
    from IPython.display import display
    display({"shown": x})
    return x

async def later(x: int) -> int:
    await asyncio.sleep(0.01)
    return x * 2

value = 42
'''


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("kernel"))
    k.run(DEFINITIONS)
    yield k
    k.close()


def spec(name, description, properties, required=None):
    parameters = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {"name": name, "description": description, "parameters": parameters}


SCHEMAS = [
    ("add", spec("add", "Add two numbers.\n\nReturns: The sum.", {
        "a": {"type": "integer", "description": "The first number."},
        "b": {"type": "number", "default": 1.5, "description": "The second number, a float."},
    }, ["a"])),
    ("pick", spec("pick", "Pick a colour.", {
        "color": {"type": "string", "enum": ["red", "green"]},
        "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
        "limit": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "names": {"type": "array", "items": {"type": "string"}},
        "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
    }, ["color"])),
    ("numpy_doc", spec("numpy_doc", "Numpy style.", {
        "x": {"description": "The x value."},
        "y": {"type": "integer", "default": 2, "description": "The y value."},
        "flags": {"type": "object", "additionalProperties": {"type": "boolean"}, "default": None},
    }, ["x"])),
    ("sphinx_doc", spec("sphinx_doc", "Sphinx style.\n\nReturns: Nothing.", {
        "path": {"type": "string", "description": "Where to look."},
        "count": {"anyOf": [{"type": "integer"}, {"type": "number"}], "default": 1, "description": "How many, at most."},
    }, ["path"])),
    ("documented", spec("documented", "documented(a: int, b: str = 'x') -> str\n\nReturns: a and b joined", {
        "a": {"type": "integer", "description": "the first"},
        "b": {"type": "string", "default": "x", "description": "the second"},
    }, ["a"])),
    ("bare", spec("bare", "bare(x, *args, **kwargs)", {
        "x": {}, "args": {"type": "array"}, "kwargs": {"type": "object"},
    }, ["x"])),
    ("counter", spec("counter", "Add step to the count and return it.", {
        "step": {"type": "integer", "default": 1},
    })),
    ("norm", spec("norm", "norm(p: __main__.Point, tags: List[str] = ()) -> float", {
        "p": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}, "required": ["x"]},
        "tags": {"type": "array", "items": {"type": "string"}, "default": []},
    }, ["p"])),
    ("frame_or_default", spec("frame_or_default", "frame_or_default(n: int, df: __main__.Frame = None)", {
        "n": {"type": "integer"},
    }, ["n"])),
]


@pytest.mark.parametrize("name,expected", SCHEMAS, ids=[s[0] for s in SCHEMAS])
def test_schema_from_a_real_function(kernel, name, expected):
    assert kernel.describe(name) == {"tools": [expected], "errors": []}


def test_several_names_keep_their_order(kernel):
    answer = kernel.describe("shout", "add", "later")
    assert [t["name"] for t in answer["tools"]] == ["shout", "add", "later"]
    assert answer["tools"][2]["parameters"]["properties"] == {"x": {"type": "integer"}}


@pytest.mark.parametrize("name,message", [
    ("missing", "`missing` is not defined in the kernel"),
    ("value", "`value` is an int, not a function the model can call"),
    ("max", "`max` has no signature Python can read"),
    ("takes_frame", "parameter `df` of `takes_frame` is annotated `Frame`, which a model cannot send as JSON"),
    ("a.b", "`a.b` is not a name a model can call"),
])
def test_a_name_that_cannot_be_a_tool_is_named(kernel, name, message):
    answer = kernel.describe("add", name)
    assert [t["name"] for t in answer["tools"]] == ["add"]
    assert len(answer["errors"]) == 1 and answer["errors"][0]["name"] == name
    assert answer["errors"][0]["message"].startswith(message), answer["errors"][0]["message"]


def test_the_sent_code_needs_nothing_but_the_standard_library(kernel):
    kernel.run("try:\n    import jupyterlab_aimagic\n    found = 'importable'\nexcept ImportError:\n    found = 'blocked'")
    assert kernel.peek(f="found") == {"f": "'blocked'"}
    assert kernel.describe("add")["errors"] == []


@pytest.mark.parametrize("name,args,result", [
    ("add", {"a": 2, "b": 2.5}, "4.5"),
    ("shout", {"text": "hi"}, "HI"),  # a str is sent as its text, not its repr
    ("counter", {"step": 3}, "3"),
    ("pick", {"color": "green", "names": ["a", "b"], "extra": {"k": 1}}, "<Color.GREEN: 'green'> fast None ('a', 'b') [('k', 1)]"),
    ("norm", {"p": {"x": 3, "y": 4}}, "5.0"),
    ("bare", {"x": 1, "args": [2, 3], "kwargs": {"z": 4}}, "[1, (2, 3), {'z': 4}]"),
    ("later", {"x": 4}, "8"),
    ("ratio", {"num": 1, "den": 3, "digits": 3}, "0.333"),  # positional-only by position
    ("ratio", {"num": 5}, "5.0"),
    ("hang", {"seconds": 0}, "starting"),  # printed, returned None: the printed text
])
def test_a_call_returns_its_value(kernel, name, args, result):
    answer = kernel.call(name, **args)
    assert (answer["status"], answer["result"]) == ("ok", result)


def test_a_call_that_prints_and_returns(kernel):
    answer, _, iopub, _ = kernel.ask({"op": "call", "name": "loud", "args": {"n": 3}})
    assert answer["status"] == "ok"
    assert answer["result"] == "[stdout]\ncounting to 3\n\n[stderr]\ncareful\n\n[returned]\n[0, 1, 2]"
    assert (answer["stdout"], answer["stderr"], answer["value"]) == ("counting to 3\n", "careful\n", "[0, 1, 2]")
    assert [m["msg_type"] for m in iopub] == ["status", "status"], "the printed text stays out of the notebook"


def test_what_a_tool_displays_comes_on_its_own_request(kernel):
    # The frontend adds it to the result: the request's iopub is where it looks.
    answer, _, iopub, _ = kernel.ask({"op": "call", "name": "shows", "args": {"x": 5}})
    assert answer["result"] == "5"
    shown = [m["content"]["data"] for m in iopub if m["msg_type"] == "display_data"]
    assert shown == [{"text/plain": "{'shown': 5}"}]


def test_a_tool_that_raises_returns_its_error(kernel):
    answer = kernel.call("boom", x=7)
    assert answer["status"] == "error"
    error = answer["error"]
    assert (error["type"], error["message"]) == ("ValueError", "bad value 7")
    assert error["traceback"].startswith("Traceback (most recent call last):\n")
    assert "in boom" in error["traceback"] and "in helper" in error["traceback"]
    assert "aimagic-kernel-tools" not in error["traceback"], "only the tool's own frames"
    assert answer["result"] == "ValueError: bad value 7\n" + error["traceback"]


@pytest.mark.parametrize("name,args,fragment", [
    ("add", {}, "TypeError: add() missing 1 required positional argument: 'a'"),
    ("add", {"a": 1, "c": 2}, "TypeError: add() got an unexpected keyword argument 'c'"),
    ("pick", {"color": "blue"}, "ValueError: 'blue' is not a valid Color"),
    ("gone", {}, "NameError: `gone` is not a callable defined in the kernel (any more)"),
])
def test_bad_arguments_are_error_results(kernel, name, args, fragment):
    answer = kernel.call(name, **args)
    assert answer["status"] == "error" and answer["result"].startswith(fragment), answer["result"]


def test_a_hanging_tool_is_interrupted_and_the_kernel_goes_on(kernel):
    answer, reply, _, seconds = kernel.ask({"op": "call", "name": "hang", "args": {}}, interrupt_after=1.0)
    assert reply["content"]["status"] == "ok"
    assert answer["status"] == "interrupted"
    assert answer["result"] == "[stdout]\nstarting\n\n[interrupted]\nKeyboardInterrupt"
    assert seconds < 10
    assert kernel.call("add", a=1)["result"] == "2.5"


def test_long_results_are_cut_in_the_middle(kernel):
    answer = kernel.ask({"op": "call", "name": "big", "args": {}, "max_chars": 100})[0]
    assert answer["result"] == "a" * 50 + "\n… [29900 characters cut] …\n" + "b" * 50


def test_results_are_json_safe(kernel):
    assert kernel.call("odd")["result"] == "caf\u00e9 \ud800 end"


def test_the_kernel_keeps_no_trace(kernel):
    probe = {"count": "get_ipython().execution_count", "history": "len(In)", "last": "repr(_)",
             "names": "sorted(globals())"}
    before = kernel.peek(**probe)
    kernel.describe("add", "missing")
    kernel.call("add", a=1)
    kernel.call("boom", x=1)
    kernel.call("loud", n=1)
    assert kernel.peek(**probe) == before
