"""Editing ``[project].dependencies`` of a pyproject.toml as text, everything else kept."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs.commands.fix.edit import (
    Addition,
    Entry,
    Splice,
    apply_splices,
    arrange,
    neighbour,
    new_requirements,
    newline_of,
    pin_style,
)
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.errors import ReqsInputError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

_PROJECT = ("project",)
_HEADER = re.compile(r"^[ \t]*\[\[?([^\[\]\n]*)\]\]?[ \t]*(?:#.*)?\r?$", re.M)  # as toml_document's
_GAP = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")  # whitespace and comments between items
_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'")  # one-line basic or literal string
_ALONE = re.compile(r"[ \t]*,?[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")  # the rest of an item's own line
_INDENT = "    "
_QUOTE = '"'


@dataclass(frozen=True)
class _Item:
    start: int
    end: int  # after the closing quote
    comma: int | None  # offset of the comma that follows it, if one does
    value: str


@dataclass(frozen=True)
class _Array:
    start: int  # offset of '['
    end: int  # offset after ']'
    items: tuple[_Item, ...]


def edit_pyproject(
    text: str, display: str, additions: Sequence[Addition], removals: Sequence[Requirement]
) -> str:
    """``text`` with ``additions`` in ``[project].dependencies`` and ``removals`` taken out.

    Raises ReqsInputError when the file is not valid TOML, the dependencies are dynamic or
    missing a [project] table, or the result would not read back as intended.
    """
    if not additions and not removals:
        return text
    data = _load(text, display)
    project = data.get("project")
    if not isinstance(project, dict):
        raise ReqsInputError(
            display, None, "has no [project] table; fix edits [project].dependencies"
        )
    dynamic = project.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        message = (
            "[project].dependencies is dynamic; give fix the file it is read from with --reqs-file"
        )
        raise ReqsInputError(display, None, message)
    values = project.get("dependencies")
    if values is None:
        return _add_key(text, display, data, additions)
    return _edit_list(text, display, data, _PROJECT, "dependencies", additions, removals)


def remove_from_list(
    text: str, display: str, table: tuple[str, ...], key: str, removals: Sequence[Requirement]
) -> str:
    """``text`` with ``removals`` taken out of the list of requirements at ``table.key``
    (``[dependency-groups] dev``, ``[project.optional-dependencies] test``).

    Raises ReqsInputError when the file is not valid TOML, the list is not there, or the
    result would not read back as intended.
    """
    data = _load(text, display)
    return _edit_list(text, display, data, table, key, (), removals)


def _edit_list(
    text: str,
    display: str,
    data: dict[str, Any],
    table: tuple[str, ...],
    key: str,
    additions: Sequence[Addition],
    removals: Sequence[Requirement],
) -> str:
    values = _at(data, (*table, key))
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        where = f"[{'.'.join(table)}].{key}"
        raise ReqsInputError(display, None, f"{where} must be a list of strings")
    array = _find_array(text, display, values, table, key)
    reqs = [_requirement(item.value) for item in array.items]
    names = [None if req is None else canonicalize_name(req.name) for req in reqs]
    existing = [req for req in reqs if req is not None]
    new = new_requirements(
        additions, {canonicalize_name(req.name) for req in existing}, pin_style(existing)
    )
    dropped = _dropped(text, array, names, removals)
    if not new and not dropped:
        return text
    kept = [index for index in range(len(array.items)) if index not in dropped]
    order = [
        kept[entry] if isinstance(entry, int) else entry
        for entry in arrange([names[index] for index in kept], new)
    ]
    if _is_one_per_line(text, array):
        splices = _line_splices(text, array, dropped, order)
    else:
        splices = [(array.start, array.end, _rebuilt(text, array, order))]
    result = apply_splices(text, splices)
    wanted = [values[e] if isinstance(e, int) else e for e in order]
    _check(result, display, data, (*table, key), wanted)
    return result


def _at(data: dict[str, Any], keys: Sequence[str]) -> Any:
    """The value at ``keys`` in nested tables; None when a table on the way is missing."""
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _load(text: str, display: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc).split("\n", 1)[0]
        raise ReqsInputError(display, None, f"invalid TOML: {message}") from None
    except RecursionError:
        raise ReqsInputError(display, None, "nested too deeply to be read") from None


def _requirement(value: str) -> PackagingRequirement | None:
    try:
        return PackagingRequirement(value)
    except InvalidRequirement:
        return None


def _unsafe(display: str, table: tuple[str, ...], key: str, why: str) -> ReqsInputError:
    message = f"cannot edit [{'.'.join(table)}].{key} safely: {why}; edit it by hand"
    return ReqsInputError(display, None, message)


def _section(text: str, display: str, table: tuple[str, ...], key: str) -> tuple[int, int]:
    """Offsets of the end of the ``[table]`` header line and of the next table's header."""
    headers = list(_header(table).finditer(text))
    if len(headers) != 1:
        raise _unsafe(display, table, key, f"cannot find its one [{'.'.join(table)}] header")
    following = _HEADER.search(text, headers[0].end())
    return headers[0].end(), len(text) if following is None else following.start()


def _header(table: tuple[str, ...]) -> re.Pattern[str]:
    """A table header line: each part bare or quoted, with blanks around the dots."""
    parts = r"[ \t]*\.[ \t]*".join(_name(part) for part in table)
    return re.compile(rf"^[ \t]*\[[ \t]*{parts}[ \t]*\][ \t]*(?:#.*)?\r?$", re.M)


def _name(part: str) -> str:
    """A key as TOML may write it: bare, or in either quotes."""
    quoted = re.escape(part)
    return f"""(?:{quoted}|"{quoted}"|'{quoted}')"""


def _find_array(
    text: str, display: str, values: list[str], table: tuple[str, ...], key: str
) -> _Array:
    start, end = _section(text, display, table, key)
    assignment = re.compile(rf"^[ \t]*{_name(key)}[ \t]*=[ \t]*(?=\[)", re.M)
    keys = list(assignment.finditer(text, start, end))
    if len(keys) != 1:
        where = f"cannot find '{key} = [' in the [{'.'.join(table)}] table"
        raise _unsafe(display, table, key, where)
    array = _scan(text, keys[0].end())
    if array is None or [item.value for item in array.items] != values:
        raise _unsafe(display, table, key, "write the list with one-line strings only")
    return array


def _scan(text: str, start: int) -> _Array | None:
    """The array of strings whose '[' is at ``start``; None for anything else."""
    items: list[_Item] = []
    position = start + 1
    while True:
        gap = _GAP.match(text, position)
        position = position if gap is None else gap.end()
        expecting_item = not items or items[-1].comma is not None
        if text.startswith("]", position):
            return _Array(start, position + 1, tuple(items))
        if text.startswith(",", position) and not expecting_item:
            items[-1] = replace(items[-1], comma=position)
            position += 1
            continue
        found = _STRING.match(text, position)
        if found is None or not expecting_item or text.startswith(('"""', "'''"), position):
            return None
        value = tomllib.loads(f"v = {found.group()}")["v"]
        items.append(_Item(found.start(), found.end(), None, value))
        position = found.end()


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _next_line(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _dropped(
    text: str,
    array: _Array,
    names: Sequence[NormalizedName | None],
    removals: Sequence[Requirement],
) -> set[int]:
    """The items to remove: the one named on the removal's line, else the only one named."""
    dropped: set[int] = set()
    for removal in removals:
        named = [i for i, name in enumerate(names) if name == removal.name and i not in dropped]
        on_line = [i for i in named if _line_of(text, array.items[i].end) == removal.line]
        dropped.update((on_line or (named if len(named) == 1 else []))[:1])
    return dropped


def _is_one_per_line(text: str, array: _Array) -> bool:
    """'[' ends its line, ']' starts its line, and each item has a line of its own."""
    after_open = text[array.start + 1 : _next_line(text, array.start)].strip()
    close = array.end - 1
    return (
        (not after_open or after_open.startswith("#"))
        and not text[_line_start(text, close) : close].strip()
        and all(
            not text[_line_start(text, item.start) : item.start].strip()
            and _ALONE.match(text, item.end) is not None
            for item in array.items
        )
    )


def _line_splices(
    text: str, array: _Array, dropped: set[int], order: Sequence[Entry]
) -> list[Splice]:
    """Items one per line: removed items' lines go, new lines go in with the items' indent,
    quotes and trailing comma (when the last item has none, the new last has none)."""
    items = array.items
    newline = newline_of(text)
    splices: list[Splice] = [
        (_line_start(text, items[i].start), _next_line(text, items[i].end), "") for i in dropped
    ]
    trailing = not items or items[-1].comma is not None
    indent, quote = _INDENT, '"'
    if items:
        indent = text[_line_start(text, items[0].start) : items[0].start]
        quote = text[items[0].start]
    for position, entry in enumerate(order):
        comma = "" if position == len(order) - 1 and not trailing else ","
        if isinstance(entry, int):
            if comma and items[entry].comma is None:
                splices.append((items[entry].end, items[entry].end, ","))
            continue
        found = neighbour(order, position)
        if found is None:
            offset = _line_start(text, array.end - 1)
        elif found[1]:
            offset = _next_line(text, items[found[0]].end)
        else:
            offset = _line_start(text, items[found[0]].start)
        splices.append((offset, offset, f"{indent}{_quoted(entry, quote)}{comma}{newline}"))
    return splices


def _rebuilt(text: str, array: _Array, order: Sequence[Entry]) -> str:
    """The array written anew from its own pieces: each kept item with the separator that
    followed it, new items with the first separator (', ' when that holds a comment)."""
    items = array.items
    quote = text[items[0].start] if items else '"'
    if not items:  # '[]' becomes a multi-line array
        newline = newline_of(text)
        lines = "".join(f"{_INDENT}{_quoted(str(entry), quote)},{newline}" for entry in order)
        return f"[{newline}{lines}]"
    if not order:
        return "[]"
    tail = text[items[-1].end : array.end - 1]
    sample = text[items[0].end : items[1].start] if len(items) > 1 else ", "
    if "#" in sample:
        sample = ", "
    parts = ["[", text[array.start + 1 : items[0].start]]
    for position, entry in enumerate(order):
        if isinstance(entry, int):
            parts.append(text[items[entry].start : items[entry].end])
        else:
            parts.append(_quoted(entry, quote))
        if position == len(order) - 1:
            parts.append(tail)
        elif isinstance(entry, int) and entry + 1 < len(items):
            parts.append(text[items[entry].end : items[entry + 1].start])
        else:
            parts.append(sample)
    return "".join([*parts, "]"])


def _add_key(text: str, display: str, data: dict[str, Any], additions: Sequence[Addition]) -> str:
    """A new ``dependencies = [...]`` after the last line of [project] with a key or value on
    it: comments and blank lines at the end of the table stay with what follows them."""
    new = [req_text for _, req_text in sorted(new_requirements(additions, set(), pin_style([])))]
    if not new:
        return text
    start, end = _section(text, display, _PROJECT, "dependencies")
    offset = start
    for line in re.finditer(r"[^\n]*(?:\n|\Z)", text[start:end]):
        if line.group().strip() and not line.group().strip().startswith("#"):
            offset = start + line.end()
    newline = newline_of(text)
    lines = "".join(f"{_INDENT}{_quoted(entry, _QUOTE)},{newline}" for entry in new)
    prefix = "" if text[:offset].endswith("\n") else newline
    result = apply_splices(
        text, [(offset, offset, f"{prefix}dependencies = [{newline}{lines}]{newline}")]
    )
    _check(result, display, data, (*_PROJECT, "dependencies"), new)
    return result


def _check(
    result: str, display: str, data: dict[str, Any], keys: tuple[str, ...], values: list[str]
) -> None:
    """Raise unless ``result`` reads as ``data`` with ``values`` at ``keys``."""
    try:
        parsed = tomllib.loads(result)
    except (tomllib.TOMLDecodeError, RecursionError):
        parsed = None
    if parsed != _replaced(data, keys, values):
        why = "the edited file would not read back as intended"
        raise _unsafe(display, keys[:-1], keys[-1], why)


def _replaced(data: dict[str, Any], keys: Sequence[str], value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``keys``."""
    if len(keys) == 1:
        return {**data, keys[0]: value}
    return {**data, keys[0]: _replaced(data[keys[0]], keys[1:], value)}


def _quoted(entry: str, quote: str) -> str:
    """``entry`` as a one-line TOML string, in ``quote`` when it can be: a marker that
    packaging writes with double quotes goes in single (literal) ones instead."""
    if quote not in entry and (quote == "'" or "\\" not in entry):
        return f"{quote}{entry}{quote}"
    if "'" not in entry:
        return f"'{entry}'"
    return json.dumps(entry)  # a basic string with escapes, which TOML reads the same
