"""Kernel callables as tools for the model: their JSON schemas, and running one call.

This file is sent to the notebook's kernel as it is (the frontend embeds it at build time, see
scripts/gen-kernel-code.js) and run in a fresh namespace of its own, so it must stay
self-contained: standard library only, Python 3.9 and later, nothing from this package. The
kernel often lives in another environment than the Jupyter server.

``describe(names, namespace)`` turns callables into ``{name, description, parameters}``, the
parameters a JSON Schema object that Anthropic (``input_schema``) and OpenAI (function
``parameters``) both take. ``call(name, args, namespace)`` runs one call and reports its value,
what it printed, or the exception it raised, as JSON-safe strings.
"""
import asyncio
import builtins
import collections.abc
import contextlib
import dataclasses
import datetime
import enum
import functools
import inspect
import io
import json
import pathlib
import re
import textwrap
import threading
import tokenize
import traceback
import types
import typing

#: Longest text kept of a value, of printed output and of the whole result, in characters.
MAX_CHARS = 20000
#: Frames of a traceback kept for the model: the innermost ones, where the error is.
TRACEBACK_FRAMES = 5
#: A provider's tool name: Anthropic and OpenAI both take this, and it is a Python identifier.
TOOL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\Z")

_EMPTY = inspect.Parameter.empty
_UNIONS = (typing.Union,) + ((types.UnionType,) if hasattr(types, "UnionType") else ())  # novm: `X | Y`, 3.10+
_ARRAYS = (list, collections.abc.Sequence, collections.abc.MutableSequence,
           collections.abc.Iterable, collections.abc.Collection)
_SETS = (set, frozenset, collections.abc.Set, collections.abc.MutableSet)
_MAPPINGS = (dict, collections.abc.Mapping, collections.abc.MutableMapping)
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}
#: Classes a model can send as a string, with the JSON Schema format that says how.
_FROM_STRING = {pathlib.PurePath: None, datetime.datetime: "date-time", datetime.date: "date",
                datetime.time: "time"}


class ToolError(Exception):
    """A name that cannot be offered as a tool; the message says why, naming it."""


# ---------------------------------------------------------------------------------------------
# Schemas


def describe(names, namespace):
    """The tool specs of ``names`` looked up in ``namespace``, and the problems met.

    Returns ``{"tools": [spec, ...], "errors": [{"name", "message"}, ...]}``; every name is
    tried, so one answer lists every problem.
    """
    tools, errors = [], []
    for name in names:
        try:
            if not isinstance(name, str) or not TOOL_NAME.match(name):
                raise ToolError("`%s` is not a name a model can call (letters, digits and _, "
                                "at most 64, not starting with a digit)" % (name,))
            obj = _lookup(name, namespace)
            if obj is _EMPTY:
                raise ToolError("`%s` is not defined in the kernel" % name)
            tools.append(tool_spec(name, obj))
        except ToolError as e:
            errors.append({"name": name, "message": str(e)})
    return {"tools": tools, "errors": errors}


def _lookup(name, namespace):
    """What ``name`` means in the user's namespace, builtins included, or ``_EMPTY``."""
    if name in namespace:
        return namespace[name]
    return getattr(builtins, name, _EMPTY)


def tool_spec(name, obj):
    """``{name, description, parameters}`` for one callable; raises ToolError."""
    if not callable(obj):
        raise ToolError("`%s` is %s, not a function the model can call" % (name, _a_type(obj)))
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError) as e:
        raise ToolError("`%s` has no signature Python can read (%s); wrap it in a def with "
                        "named, annotated parameters" % (name, e))
    target = _code_of(obj)
    hints = _hints(target)
    intro, param_docs, returns = _parse_doc(_doc_of(obj))
    comments, return_comment = _docments(target)
    properties, required = {}, []
    for p in sig.parameters.values():
        where = "parameter `%s` of `%s`" % (p.name, name)
        annotation = hints.get(p.name, p.annotation)
        try:
            schema = _param_schema(p, annotation, where)
        except ToolError:
            if p.default is not _EMPTY:
                continue  # the model cannot send it, but need not: the default stands
            raise
        text = param_docs.get(p.name) or comments.get(p.name)
        if text:
            schema["description"] = text
        properties[p.name] = schema
        if p.default is _EMPTY and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            required.append(p.name)
    description = intro or "%s%s" % (name, sig)
    returns = returns or return_comment
    if returns:
        description += "\n\nReturns: " + returns
    parameters = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {"name": name, "description": description, "parameters": parameters}


def _param_schema(p, annotation, where):
    """The schema of one parameter: ``*args`` as a list, ``**kwargs`` as an object."""
    if isinstance(annotation, str):
        raise ToolError("%s is annotated %r, which the kernel cannot resolve" % (where, annotation))
    if p.kind is p.VAR_POSITIONAL:
        schema = {"type": "array"}
        if annotation is not _EMPTY:
            schema["items"] = schema_of(annotation, where)
        return schema
    if p.kind is p.VAR_KEYWORD:
        schema = {"type": "object"}
        if annotation is not _EMPTY:
            schema["additionalProperties"] = schema_of(annotation, where)
        return schema
    if annotation is _EMPTY and type(p.default) in _SCALARS and p.default is not None:
        schema = {"type": _SCALARS[type(p.default)]}
    else:
        schema = schema_of(annotation, where)
    if p.default is not _EMPTY:
        default = _jsonable(p.default)
        if default is not _EMPTY:
            schema["default"] = default
    return schema


def schema_of(annotation, where="the value"):
    """The JSON Schema of a type annotation; raises ToolError for a type JSON cannot carry."""
    if annotation in (_EMPTY, typing.Any, object):
        return {}
    if annotation is None:
        annotation = type(None)
    if annotation in _SCALARS:
        return {"type": _SCALARS[annotation]}
    supertype = getattr(annotation, "__supertype__", None)  # typing.NewType
    if supertype is not None:
        return schema_of(supertype, where)
    if isinstance(annotation, typing.TypeVar):
        if annotation.__bound__ is not None:
            return schema_of(annotation.__bound__, where)
        if annotation.__constraints__:
            return _any_of([schema_of(a, where) for a in annotation.__constraints__])
        return {}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        schema = schema_of(args[0], where)
        notes = [a for a in args[1:] if isinstance(a, str)]
        if notes:
            schema["description"] = notes[0]
        return schema
    if origin in _UNIONS:
        return _any_of([schema_of(a, where) for a in args])
    if origin is typing.Literal:
        return _enum([_literal_value(a, where) for a in _literals(annotation)])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum([m.value if _jsonable(m.value) is not _EMPTY else m.name for m in annotation])
    base = origin or annotation
    if base is tuple:
        if not args:
            return {"type": "array"}
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": schema_of(args[0], where)}
        items = [schema_of(a, where) for a in args]
        return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
    if base in _ARRAYS or base in _SETS:
        schema = {"type": "array"}
        if args:
            schema["items"] = schema_of(args[0], where)
        if base in _SETS:
            schema["uniqueItems"] = True
        return schema
    if base in _MAPPINGS:
        schema = {"type": "object"}
        if args and args[0] not in (str, typing.Any):
            raise ToolError("%s is a mapping with %s keys, but JSON object keys are strings"
                            % (where, _type_name(args[0])))
        if len(args) == 2 and args[1] is not typing.Any:
            schema["additionalProperties"] = schema_of(args[1], where)
        return schema
    if isinstance(annotation, type):
        for cls, fmt in _FROM_STRING.items():
            if issubclass(annotation, cls):
                return {"type": "string", "format": fmt} if fmt else {"type": "string"}
        fields = _record_fields(annotation)
        if fields is not None:
            properties = {k: schema_of(t, "field `%s` of %s" % (k, where)) for k, t, _ in fields}
            required = [k for k, _, has_default in fields if not has_default]
            schema = {"type": "object", "properties": properties}
            if required:
                schema["required"] = required
            return schema
    raise ToolError("%s is annotated `%s`, which a model cannot send as JSON; use str, int, "
                    "float, bool, list, dict, a Literal, an Enum or a dataclass, or give it a "
                    "default" % (where, _type_name(annotation)))


def _record_fields(cls):
    """``[(name, type, has_default)]`` of a dataclass, TypedDict or NamedTuple, else None."""
    if dataclasses.is_dataclass(cls):
        hints = _safe_hints(cls) or {}
        return [(f.name, hints.get(f.name, f.type), f.default is not dataclasses.MISSING
                 or f.default_factory is not dataclasses.MISSING)
                for f in dataclasses.fields(cls) if f.init]
    if issubclass(cls, dict) and hasattr(cls, "__required_keys__"):  # TypedDict
        hints = _safe_hints(cls) or dict(getattr(cls, "__annotations__", {}))
        return [(k, t, k not in cls.__required_keys__) for k, t in hints.items()]
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):  # NamedTuple
        hints = _safe_hints(cls) or {}
        defaults = getattr(cls, "_field_defaults", {})
        return [(k, hints.get(k, _EMPTY), k in defaults) for k in cls._fields]
    return None


def _any_of(schemas):
    unique = []
    for s in schemas:
        if s not in unique:
            unique.append(s)
    if {} in unique:
        return {}
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


def _enum(values):
    schema = {"enum": values}
    kinds = {_SCALARS.get(type(v)) for v in values}
    if len(kinds) == 1 and None not in kinds:
        schema = {"type": kinds.pop(), "enum": values}
    return schema


def _literals(annotation):
    """The values of a Literal, nested Literals flattened."""
    values = []
    for a in typing.get_args(annotation):
        values.extend(_literals(a) if typing.get_origin(a) is typing.Literal else [a])
    return values


def _literal_value(value, where):
    if isinstance(value, enum.Enum):
        value = value.value
    if _jsonable(value) is _EMPTY:
        raise ToolError("%s is a Literal of %r, which JSON cannot carry" % (where, value))
    return value


def _jsonable(value):
    """``value`` as JSON (Enums by value, tuples as lists), or ``_EMPTY`` when it is not."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, tuple):
        value = list(value)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return _EMPTY
    return value


# ---------------------------------------------------------------------------------------------
# Where the names, types and words come from


def _code_of(obj):
    """The function whose source and annotations describe calling ``obj``."""
    if isinstance(obj, type):
        target = obj.__init__
    elif isinstance(obj, functools.partial):
        target = obj.func
    elif inspect.isroutine(obj):
        target = obj
    else:
        target = type(obj).__call__
    return inspect.unwrap(getattr(target, "__func__", target))


def _hints(target):
    """Resolved annotations (``from __future__ import annotations`` too); strings left as they
    are when a name cannot be found, so the parameter that has one can be named."""
    hints = _safe_hints(target)
    if hints is None:
        hints = {}
        raw = getattr(target, "__annotations__", {}) or {}
        scope = getattr(target, "__globals__", {})
        for key, value in raw.items():
            try:
                hints[key] = eval(value, scope) if isinstance(value, str) else value
            except Exception:
                hints[key] = value
    return hints


def _safe_hints(obj):
    try:
        return typing.get_type_hints(obj, include_extras=True)
    except Exception:
        return None


def _doc_of(obj):
    """The docstring that says what calling ``obj`` does, ignoring ones inherited from the
    builtins (``object``'s "The base class of the class hierarchy…")."""
    candidates = [obj]
    if not (inspect.isroutine(obj) or isinstance(obj, type)):
        candidates = [getattr(type(obj), "__call__", None), type(obj)]
    for c in candidates:
        doc = inspect.getdoc(c) if c is not None else None
        if doc and not any(doc == inspect.getdoc(b) for b in (object, type, dict, tuple)):
            return doc
    return ""


_GOOGLE = re.compile(r"(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Kwargs|"
                     r"Other Parameters|Returns?|Yields?|Raises?|Examples?|Notes?|See Also|"
                     r"References|Attributes|Warnings?|Todo)\s*:\s*\Z")
_PARAM_SECTIONS = {"args", "arguments", "parameters", "params", "keyword args",
                   "keyword arguments", "kwargs", "other parameters"}
_RETURN_SECTIONS = {"returns", "return", "yields", "yield"}
_SPHINX = re.compile(r":(param|parameter|arg|argument|key|keyword|returns?|type|rtype|raises?)"
                     r"\b([^:]*):\s*(.*)\Z")


def _parse_doc(doc):
    """``(intro, {param: text}, returns)`` from a numpy, Google or Sphinx style docstring."""
    lines = doc.expandtabs().splitlines()
    intro, params, returns = [], {}, []
    section, current, base = None, None, 0
    i = 0
    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        indent = len(line) - len(line.lstrip())
        underlined = i + 1 < len(lines) and re.match(r"\s*-{3,}\s*\Z", lines[i + 1])
        sphinx = _SPHINX.match(stripped)
        if underlined or _GOOGLE.match(stripped):  # a numpy or Google section header
            section, current, base = stripped.rstrip(":").strip().lower(), None, indent
            i += 2 if underlined else 1
            continue
        if sphinx:
            kind, name = sphinx.group(1), sphinx.group(2).split()
            section, current = "sphinx", None
            if kind in ("param", "parameter", "arg", "argument", "key", "keyword") and name:
                current = params.setdefault(name[-1].lstrip("*"), [])
            elif kind in ("return", "returns"):
                current = returns
            if current is not None and sphinx.group(3):
                current.append(sphinx.group(3))
        elif section is None:
            intro.append(line)
        elif not stripped:
            current = None
        elif section in _RETURN_SECTIONS:
            returns.append(stripped)
        elif section in _PARAM_SECTIONS:
            google = re.match(r"(\*{0,2}\w+)\s*(\([^)]*\))?\s*:\s*(.*)\Z", stripped)
            numpy = re.match(r"(\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?\Z", stripped)
            if indent <= base + 4 and google and (indent > base or not numpy):
                current = params.setdefault(google.group(1).lstrip("*"), [])
                if google.group(3):
                    current.append(google.group(3))
            elif indent <= base and numpy:
                names = [n.strip().lstrip("*") for n in numpy.group(1).split(",")]
                current = []
                for n in names:
                    params[n] = current
            elif current is not None:
                current.append(stripped)
        elif section == "sphinx" and current is not None:
            current.append(stripped)
        i += 1
    return ("\n".join(intro).strip(),
            {k: " ".join(v) for k, v in params.items() if v},
            " ".join(returns))


def _docments(func):
    """Comments after each parameter in the source (fastcore's docments style), and the one
    after the return annotation: ``({param: text}, returns)``."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, TypeError, tokenize.TokenError, IndentationError, SyntaxError):
        return {}, None
    comments, returns = {}, None
    depth, seen_def, expecting, last, colon = 0, False, False, None, None
    for tok in tokens:
        kind, text, row = tok.type, tok.string, tok.start[0]
        if not seen_def:
            seen_def = kind == tokenize.NAME and text == "def"
        elif colon is not None:  # past the header: only a comment on its line counts
            if kind == tokenize.COMMENT and row == colon:
                returns = text.lstrip("#").strip()
            break
        elif kind == tokenize.OP and text in ("(", "[", "{"):
            depth += 1
            expecting = expecting or (depth == 1 and text == "(")
        elif kind == tokenize.OP and text in (")", "]", "}"):
            depth -= 1
        elif depth == 1 and kind == tokenize.OP and text == ",":
            expecting = True
        elif depth == 1 and kind == tokenize.NAME and expecting:
            last, expecting = (text, row), False
        elif kind == tokenize.COMMENT and last and row == last[1] and last[0] not in comments:
            comments[last[0]] = text.lstrip("#").strip()
        elif depth == 0 and kind == tokenize.OP and text == ":":
            colon = row
    return comments, returns


def _a_type(obj):
    name = type(obj).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def _type_name(annotation):
    return getattr(annotation, "__qualname__", None) or str(annotation).replace("typing.", "")


# ---------------------------------------------------------------------------------------------
# Running a call


def call(name, args, namespace, max_chars=MAX_CHARS):
    """Run ``name(**args)``, capturing what it prints.

    Returns ``{status, result, value, stdout, stderr, error}``: status is ``ok``, ``error`` (the
    tool raised; error has type, message and a short traceback) or ``interrupted`` (a
    KeyboardInterrupt: the frontend's timeout or Stop); result is the text for the model.
    Never raises for the tool's own failure.
    """
    out, err = io.StringIO(), io.StringIO()
    status, value, error = "ok", None, None
    try:
        fn = _lookup(name, namespace)
        if fn is _EMPTY or not callable(fn):
            raise NameError("`%s` is not a callable defined in the kernel (any more)" % name)
        if not isinstance(args, dict):
            raise TypeError("the arguments must be a JSON object, not %s" % _a_type(args))
        positional, keywords = _bind(fn, args)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            returned = fn(*positional, **keywords)
            if inspect.isawaitable(returned):
                returned = _wait_for(returned)
            if returned is not None:
                value = returned if isinstance(returned, str) else repr(returned)
    except KeyboardInterrupt:
        status = "interrupted"
    except BaseException as e:  # SystemExit too: the tool's failure is the model's to read
        status = "error"
        error = {"type": _qualified(type(e)), "message": str(e), "traceback": _short_traceback(e)}
    printed = {"stdout": out.getvalue(), "stderr": err.getvalue()}
    result = _cut(_compose(status, value, printed, error), max_chars)
    return {"status": status, "result": result, "value": None if value is None else _cut(value, max_chars),
            "stdout": _cut(printed["stdout"], max_chars), "stderr": _cut(printed["stderr"], max_chars),
            "error": error}


def _bind(fn, args):
    """Positional and keyword arguments from the model's JSON object: positional-only
    parameters by position, ``*args`` and ``**kwargs`` spread, Enums, tuples, sets, paths,
    dates and dataclasses made from their JSON form."""
    try:
        params = inspect.signature(fn).parameters.values()
        hints = _hints(_code_of(fn))
    except (TypeError, ValueError):
        return [], dict(args)
    args, positional, keywords, slots = dict(args), [], {}, []
    for p in params:
        value = _coerce(args.pop(p.name), hints.get(p.name, p.annotation)) if p.name in args else _EMPTY
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            slots.append((p, value))
        elif p.kind is p.VAR_POSITIONAL and value is not _EMPTY:
            # Extra positional values: every parameter before them is passed by position.
            positional.extend(_given_or_default(q, v) for q, v in slots)
            positional.extend(value if isinstance(value, (list, tuple)) else [value])
            slots = []
        elif p.kind is p.VAR_KEYWORD and isinstance(value, dict):
            keywords.update(value)
        elif value is not _EMPTY:
            keywords[p.name] = value
    given = [i for i, (q, v) in enumerate(slots) if q.kind is q.POSITIONAL_ONLY and v is not _EMPTY]
    for i, (q, v) in enumerate(slots):
        if given and i <= given[-1]:
            positional.append(_given_or_default(q, v))
        elif v is not _EMPTY:
            keywords[q.name] = v
    keywords.update(args)  # unknown names: let the call say so, as Python does
    return positional, keywords


def _given_or_default(param, value):
    if value is not _EMPTY:
        return value
    if param.default is _EMPTY:
        raise TypeError("missing required argument: '%s'" % param.name)
    return param.default


def _coerce(value, annotation):
    """``value`` as the annotated type, where JSON has a simpler form of it."""
    if annotation in (_EMPTY, typing.Any) or isinstance(annotation, str) or value is None:
        return value
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _coerce(value, args[0])
    if origin in _UNIONS:
        for member in args:
            if _fits(value, member):
                return _coerce(value, member)
        return value
    base = origin or annotation
    if isinstance(value, list):
        if base is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(_coerce(v, args[0]) for v in value)
            return tuple(_coerce(v, a) for v, a in zip(value, args)) if len(args) == len(value) else tuple(value)
        if base in _SETS:
            items = [_coerce(v, args[0]) for v in value] if args else value
            return frozenset(items) if base is frozenset else set(items)
        if base in _ARRAYS and args:
            return [_coerce(v, args[0]) for v in value]
        return value
    if isinstance(value, dict) and base in _MAPPINGS and len(args) == 2:
        return {k: _coerce(v, args[1]) for k, v in value.items()}
    if not isinstance(annotation, type):
        return value
    if issubclass(annotation, enum.Enum) and not isinstance(value, annotation):
        try:
            return annotation(value)
        except ValueError:
            if isinstance(value, str) and value in annotation.__members__:
                return annotation[value]
            raise
    if isinstance(value, str):
        if issubclass(annotation, pathlib.PurePath):
            return annotation(value)
        if annotation in (datetime.datetime, datetime.date, datetime.time):
            return annotation.fromisoformat(value)
    if isinstance(value, dict):
        fields = _record_fields(annotation)
        if fields is not None:
            return annotation(**{k: _coerce(value[k], t) for k, t, _ in fields if k in value})
    return value


def _fits(value, annotation):
    """Whether a JSON value has the form of a type, to choose a member of a Union."""
    base = typing.get_origin(annotation) or annotation
    if value is None:
        return annotation in (None, type(None))
    if not isinstance(base, type):
        return True
    if isinstance(value, bool):
        return issubclass(base, (bool, enum.Enum))
    if isinstance(value, (int, float)):
        return issubclass(base, (int, float, enum.Enum)) and not issubclass(base, bool)
    if isinstance(value, str):
        return issubclass(base, (str, enum.Enum, pathlib.PurePath, datetime.date, datetime.time))
    if isinstance(value, list):
        return base in (tuple,) + _ARRAYS + _SETS
    return base in _MAPPINGS or _record_fields(base) is not None


def _wait_for(awaitable):
    """The value of an ``async def`` tool. The kernel's own event loop is busy running this
    call, so the coroutine runs on a loop of its own in a thread; an interrupt cancels it."""
    async def run():
        return await awaitable
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run())
    loop, box = asyncio.new_event_loop(), {}
    task = loop.create_task(run())

    def work():
        try:
            box["value"] = loop.run_until_complete(task)
        except BaseException as e:
            box["error"] = e
        finally:
            loop.close()
    thread = threading.Thread(target=work, name="aimagic-tool", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.05)
    except KeyboardInterrupt:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(1)
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]


def _qualified(cls):
    module = getattr(cls, "__module__", "builtins")
    return cls.__qualname__ if module in ("builtins", "__main__") else "%s.%s" % (module, cls.__qualname__)


def _short_traceback(exc):
    """The innermost frames of the tool's own code, without this file's."""
    own = _short_traceback.__code__.co_filename  # this file, imported or sent by the frontend
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != own]
    if not frames:
        return ""
    kept = frames[-TRACEBACK_FRAMES:]
    head = "Traceback (most recent call last%s):\n" % (
        "" if len(kept) == len(frames) else ", innermost %d frames" % len(kept))
    return head + "".join(traceback.format_list(kept)).rstrip()


def _compose(status, value, printed, error):
    """The result as the model reads it: the value, what was printed, or the error."""
    parts = []
    for stream in ("stdout", "stderr"):
        if printed[stream]:
            parts.append((stream, printed[stream].rstrip("\n")))
    if status == "error":
        text = "%s: %s" % (error["type"], error["message"]) if error["message"] else error["type"]
        parts.append(("error", text + ("\n" + error["traceback"] if error["traceback"] else "")))
    elif status == "interrupted":
        parts.append(("interrupted", "KeyboardInterrupt"))
    elif value is not None or not parts:
        parts.append(("returned", "None" if value is None else value))
    if len(parts) == 1 and parts[0][0] in ("returned", "stdout", "error"):
        return parts[0][1]
    return "\n\n".join("[%s]\n%s" % part for part in parts)


def _cut(text, limit):
    """Cut in the middle past ``limit`` with a visible marker (as the frontend cuts outputs)."""
    if limit <= 0 or len(text) <= limit:
        return text
    head = (limit + 1) // 2
    return "%s\n… [%d characters cut] …\n%s" % (text[:head], len(text) - limit, text[len(text) - (limit - head):])


# ---------------------------------------------------------------------------------------------
# The frontend's entry


#: How the frontend runs this file: one expression for the ``user_expressions`` of an empty,
#: silent execution, which compiles the source (%SOURCE%, a string literal) into a fresh
#: namespace and answers the request (%REQUEST%, a string literal of JSON) from the user's.
FRONTEND_EXPRESSION = '(lambda g: exec(compile(%SOURCE%, "<aimagic-kernel-tools>", "exec"), g) or g["frontend"](%REQUEST%, globals()))({"__name__": "aimagic_kernel_tools"})'


class _Json:
    """A result the frontend reads back from ``user_expressions``: its plain-text form (the
    repr, which the kernel sends as ``text/plain``) is the JSON, ASCII-only."""

    def __init__(self, data):
        self.text = json.dumps(data, ensure_ascii=True)

    def __repr__(self):
        return self.text

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text)


def frontend(request, namespace):
    """Answer one request from the frontend: ``{"op": "describe", "names"}`` or
    ``{"op": "call", "name", "args", "max_chars"?}``, as JSON text."""
    request = json.loads(request)
    if request.get("op") == "describe":
        return _Json(describe(request["names"], namespace))
    return _Json(call(request["name"], request.get("args", {}), namespace,
                      request.get("max_chars", MAX_CHARS)))
