"""Target, evaluate_guard and probed_modules: which branch of an ``if`` runs on the target
interpreter, and which modules a branch knows are installed (``if find_spec("x"):``)."""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

from flake8_reqs.named_tuple import NamedTuple

TYPE_CHECKING = False  # not typing's: see cache/codec.py
if TYPE_CHECKING:  # only for the type checker: typing's Optional[bool] costs every editor run
    from typing import Any, Callable, Optional

    # Three-valued: True (always taken), False (never taken), None (cannot tell).
    Truth = Optional[bool]
# A target whose version is unknown is one of the Pythons from 3.9 on: the minor versions
# 9 to 40 stand for them, 40 for "and later". A set of them is a bit mask, bit 0 for 3.9.
OLDEST_MINOR = 9
_LAST_MINOR = 40
ANY_VERSION = (1 << (_LAST_MINOR - OLDEST_MINOR + 1)) - 1
_NO_ALIASES: Mapping[str, str] = {}


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class Target(NamedTuple):
    """The interpreter the code will run on."""

    version: tuple[int, int] | None  # None: unknown, so version guards take every branch
    platform: str  # a sys.platform value: "linux", "win32", "darwin"
    libc: str | None = None  # "musl" on Alpine; None: glibc, or not known


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_PLATFORM_SYSTEM = {"linux": "Linux", "win32": "Windows", "darwin": "Darwin"}


def evaluate_guard(
    test: ast.expr, target: Target, aliases: Mapping[str, str] = _NO_ALIASES
) -> Truth:
    """Whether ``if <test>:`` takes its body on ``target``; None when it depends on more.

    ``aliases`` maps the names the module's imports bound to what they stand for
    (``t`` -> ``typing`` after ``import typing as t``), so ``t.TYPE_CHECKING`` is known.
    """
    # An explicit stack, not recursion: `not not ... x` a thousand deep parses, and must
    # not exhaust Python's stack here. Each BoolOp or `not` is pushed once to expand its
    # operands and once more (as an int: its operand count) to combine their values.
    values: list[Truth] = []
    stack: list[ast.expr | tuple[ast.expr, int]] = [test]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            node, count = item
            operands = values[len(values) - count :]
            del values[len(values) - count :]
            values.append(_combine(node, operands))
        elif isinstance(item, ast.BoolOp):
            stack.append((item, len(item.values)))
            stack.extend(item.values)
        elif isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.Not):
            stack.append((item, 1))
            stack.append(item.operand)
        else:
            values.append(_evaluate_leaf(item, target, aliases))
    return values[0]


def versions_taking(
    test: ast.expr, target: Target, aliases: Mapping[str, str] = _NO_ALIASES
) -> tuple[int, int]:
    """For a target of unknown version: the versions (a mask of ANY_VERSION) on which
    ``if <test>:`` may take its body, and those on which it may take its ``else``.

    A guard's answer changes only at a version its numbers name (``>= (3, 11)``: at 11;
    ``> (3, 11)``: at 12), so it is asked at those and holds until the next one.
    """
    numbers = {
        node.value
        for node in ast.walk(test)
        if isinstance(node, ast.Constant) and type(node.value) is int
    }
    changes = sorted(
        {OLDEST_MINOR}
        | {n + step for n in numbers for step in (0, 1) if OLDEST_MINOR < n + step <= _LAST_MINOR}
    )
    body = orelse = 0
    for first, end in zip(changes, [*changes[1:], _LAST_MINOR + 1]):
        taken = evaluate_guard(test, target._replace(version=(3, first)), aliases)
        span = ((1 << (end - first)) - 1) << (first - OLDEST_MINOR)
        if taken is not False:
            body |= span
        if taken is not True:
            orelse |= span
    return body, orelse


def describe_versions(mask: int) -> str:
    """``before 3.11``, ``3.11 and later``, ``3.10``, ``3.9 to 3.10 or 3.12 and later``."""
    runs = []
    bit = 0
    while bit <= _LAST_MINOR - OLDEST_MINOR:
        if not mask >> bit & 1:
            bit += 1
            continue
        end = bit
        while end + 1 <= _LAST_MINOR - OLDEST_MINOR and mask >> (end + 1) & 1:
            end += 1
        first, last = OLDEST_MINOR + bit, OLDEST_MINOR + end
        if last == _LAST_MINOR:
            runs.append(f"3.{first} and later")
        elif first == OLDEST_MINOR:
            runs.append(f"before 3.{last + 1}")
        elif first == last:
            runs.append(f"3.{first}")
        else:
            runs.append(f"3.{first} to 3.{last}")
        bit = end + 1
    return " or ".join(runs)


def _combine(node: ast.expr, operands: list[Truth]) -> Truth:
    """The value of a BoolOp or a `not`, from the values of its operands."""
    if isinstance(node, ast.UnaryOp):
        return None if operands[0] is None else not operands[0]
    assert isinstance(node, ast.BoolOp)
    if isinstance(node.op, ast.And):
        return False if False in operands else (None if None in operands else True)
    return True if True in operands else (None if None in operands else False)


def _evaluate_leaf(test: ast.expr, target: Target, aliases: Mapping[str, str]) -> Truth:
    if dotted(test, aliases) in {
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
        "typing_extensions.TYPE_CHECKING",
    }:
        return False
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare(test.left, test.ops[0], test.comparators[0], target, aliases)
    if isinstance(test, ast.Call) and dotted(test.func, aliases) == "sys.platform.startswith":
        prefix = _literal(test.args[0]) if len(test.args) == 1 else None
        return target.platform.startswith(prefix) if isinstance(prefix, str) else None
    return None


def _compare(
    left: ast.expr, op: ast.cmpop, right: ast.expr, target: Target, aliases: Mapping[str, str]
) -> Truth:
    compare = _COMPARE.get(type(op))
    actual = _runtime_value(left, target, aliases)
    expected = _literal(right)
    if compare is None or actual is None or expected is None:
        return None
    if isinstance(actual, tuple) and isinstance(expected, tuple):
        if len(expected) > len(actual) or not all(isinstance(x, int) for x in expected):
            return None  # (3, 11, 2): the micro version is not part of the target
        return compare(actual[: len(expected)], expected)
    if type(actual) is not type(expected):
        return None
    return compare(actual, expected)


def _runtime_value(node: ast.expr, target: Target, aliases: Mapping[str, str]) -> Any:
    """The value ``node`` has on ``target``, for the few expressions guards use."""
    name = dotted(node, aliases)
    version = target.version
    if name == "sys.version_info":
        return version
    if name in {"sys.version_info.major", "sys.version_info.minor"}:
        return None if version is None else version[0 if name.endswith("major") else 1]
    if name == "sys.platform":
        return target.platform
    if name == "os.name":
        return "nt" if target.platform == "win32" else "posix"
    if (
        isinstance(node, ast.Call)
        and dotted(node.func, aliases) == "platform.system"
        and not node.args
    ):
        return _PLATFORM_SYSTEM.get(target.platform)
    if isinstance(node, ast.Subscript) and dotted(node.value, aliases) == "sys.version_info":
        return None if version is None else _version_subscript(node.slice, version)
    return None


def _version_subscript(index: ast.expr, version: tuple[int, int]) -> Any:
    if isinstance(index, ast.Constant) and type(index.value) is int and index.value in (0, 1):
        return version[index.value]
    if isinstance(index, ast.Slice) and index.lower is None and index.step is None:
        upper = _literal(index.upper) if index.upper is not None else None
        if isinstance(upper, int) and 1 <= upper <= 2:
            return version[:upper]
    return None


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def dotted(node: ast.expr, aliases: Mapping[str, str] = _NO_ALIASES) -> str | None:
    """``a.b.c`` for an attribute chain on a name, the name read through ``aliases``."""
    attributes = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(attributes)]) if attributes else head


# importlib.util.find_spec, importlib.find_loader, pkgutil.find_loader: by the called name,
# however it was imported (``from importlib.util import find_spec``, ``util.find_spec``),
# as imports.py recognises import_module.
PROBES = frozenset({"find_spec", "find_loader"})
_NOTHING: frozenset[str] = frozenset()
_PROBE_DEPTH = 50


def probed_modules(
    test: ast.expr, outcome: bool, bound: Mapping[str, ast.expr], depth: int = 0
) -> frozenset[str]:
    """The modules that exist wherever ``test`` is ``outcome``: ``{"x"}`` for
    ``find_spec("x") is not None`` and True, or for ``not find_spec("x")`` and False.

    ``bound`` maps names to the probe expressions assigned to them (``spec =
    find_spec("x")``, ``HAS_X = find_spec("x") is not None``), so ``if spec:`` counts.
    Past a depth no probe reaches (``not not ... x``, or ``HAS = HAS and find_spec(...)``
    naming itself) it knows nothing, rather than exhaust Python's stack.
    """
    if depth > _PROBE_DEPTH:
        return _NOTHING
    deeper = depth + 1
    if isinstance(test, ast.Name) and test.id in bound:
        return probed_modules(bound[test.id], outcome, bound, deeper)
    if isinstance(test, ast.NamedExpr):
        return probed_modules(test.value, outcome, bound, deeper)
    if isinstance(test, ast.Call):
        module = _probed(test)
        return frozenset({module}) if module is not None and outcome else _NOTHING
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return probed_modules(test.operand, not outcome, bound, deeper)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and _is_none(test.comparators[0]):
        if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
            return probed_modules(test.left, outcome, bound, deeper)
        if isinstance(test.ops[0], (ast.Is, ast.Eq)):
            return probed_modules(test.left, not outcome, bound, deeper)
        return _NOTHING
    # Every operand of a true ``and`` holds, and no operand of a false ``or``.
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) is outcome:
        found = (probed_modules(value, outcome, bound, deeper) for value in test.values)
        return frozenset().union(*found)
    return _NOTHING


def is_probe(value: ast.expr, bound: Mapping[str, ast.expr]) -> bool:
    """Whether an assigned ``value`` tells of a module's existence either way."""
    return bool(probed_modules(value, True, bound) or probed_modules(value, False, bound))


def _probed(call: ast.Call) -> str | None:
    """``"x"`` for ``find_spec("x")`` and the other probes, with a literal absolute name."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name not in PROBES or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        module = first.value
        if (
            module
            and not module.startswith(".")
            and all(part.isidentifier() for part in module.split("."))
        ):
            return module
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
