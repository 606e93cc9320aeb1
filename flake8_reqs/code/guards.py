"""Target and evaluate_guard: which branch of an ``if`` runs on the target interpreter."""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable, NamedTuple, Optional

# Three-valued: True (always taken), False (never taken), None (cannot tell).
Truth = Optional[bool]


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class Target(NamedTuple):
    """The interpreter the code will run on."""

    version: tuple[int, int]
    platform: str  # a sys.platform value: "linux", "win32", "darwin"


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_PLATFORM_SYSTEM = {"linux": "Linux", "win32": "Windows", "darwin": "Darwin"}


def evaluate_guard(test: ast.expr, target: Target) -> Truth:
    """Whether ``if <test>:`` takes its body on ``target``; None when it depends on more."""
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
            values.append(_evaluate_leaf(item, target))
    return values[0]


def _combine(node: ast.expr, operands: list[Truth]) -> Truth:
    """The value of a BoolOp or a `not`, from the values of its operands."""
    if isinstance(node, ast.UnaryOp):
        return None if operands[0] is None else not operands[0]
    assert isinstance(node, ast.BoolOp)
    if isinstance(node.op, ast.And):
        return False if False in operands else (None if None in operands else True)
    return True if True in operands else (None if None in operands else False)


def _evaluate_leaf(test: ast.expr, target: Target) -> Truth:
    if _dotted(test) in {
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
        "typing_extensions.TYPE_CHECKING",
    }:
        return False
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare(test.left, test.ops[0], test.comparators[0], target)
    if isinstance(test, ast.Call) and _dotted(test.func) == "sys.platform.startswith":
        prefix = _literal(test.args[0]) if len(test.args) == 1 else None
        return target.platform.startswith(prefix) if isinstance(prefix, str) else None
    return None


def _compare(left: ast.expr, op: ast.cmpop, right: ast.expr, target: Target) -> Truth:
    compare = _COMPARE.get(type(op))
    actual = _runtime_value(left, target)
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


def _runtime_value(node: ast.expr, target: Target) -> Any:
    """The value ``node`` has on ``target``, for the few expressions guards use."""
    name = _dotted(node)
    if name == "sys.version_info":
        return target.version
    if name in {"sys.version_info.major", "sys.version_info.minor"}:
        return target.version[0 if name.endswith("major") else 1]
    if name == "sys.platform":
        return target.platform
    if name == "os.name":
        return "nt" if target.platform == "win32" else "posix"
    if isinstance(node, ast.Call) and _dotted(node.func) == "platform.system" and not node.args:
        return _PLATFORM_SYSTEM.get(target.platform)
    if isinstance(node, ast.Subscript) and _dotted(node.value) == "sys.version_info":
        return _version_subscript(node.slice, target.version)
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


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name; a loop, as the chain may be long."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])
