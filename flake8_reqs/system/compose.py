"""docker-compose files: the commands of the services built from the project's Dockerfile.

There is no YAML parser among our dependencies, and one is not added for this: a small,
strict reader takes the subset that says what a service runs (``services:``, a service's
``build:`` as a string or a mapping with ``context`` and ``dockerfile``, and its ``command:``
and ``entrypoint:`` as a string, a flow list ``[...]`` or a block list of ``- item`` lines),
and skips with one note what it cannot read (block scalars, anchors and merge keys, flow
mappings, tabs). It never guesses: a service it cannot read is left out.
"""

from __future__ import annotations

import json
import posixpath
import re

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple

COMPOSE_FILES = re.compile(r"(?:docker-)?compose(?:\.[\w.-]+)?\.ya?ml")
_KEY = re.compile(
    r"(?P<indent> *)(?P<key>[A-Za-z0-9_.<-]+|\"[^\"]*\"|'[^']*'):(?: +(?P<value>.*))?$"
)
_ITEM = re.compile(r"(?P<indent> *)- +(?P<value>.*)$")
_PLAIN = re.compile(r"[^\s'\"\[\]{}&*!|>%@`#,][^#]*?")


class Command(NamedTuple):
    """A service's ``command:`` or ``entrypoint:``: a string (split like a shell's words) or a
    list of words, at its line."""

    service: str
    key: str  # "command" or "entrypoint"
    line: int
    text: str | None  # the string form
    words: tuple[str, ...] | None  # the list form


class _Unreadable(Exception):
    pass


def read_compose(
    text: str, display: str, dockerfile: str = "Dockerfile", context: str = "."
) -> tuple[list[Command], list[ReqsInputError]]:
    """The commands of the services built from ``dockerfile`` in ``context`` (the project's
    folder, relative to the compose file's: ``build: .``, ``build: ./project``), and one note
    per service whose command cannot be read."""
    lines = text.replace("\r\n", "\n").split("\n")
    commands: list[Command] = []
    notes: list[ReqsInputError] = []
    for name, start, end in _services(lines):
        try:
            built, found = _service(lines, start, end, name, (context, dockerfile))
        except _Unreadable as problem:
            line, message = problem.args
            notes.append(ReqsInputError(display, line, f"service {name}: {message}; skipped"))
            continue
        if built:
            commands += found
    return commands, notes


def _services(lines: list[str]) -> list[tuple[str, int, int]]:
    """(name, first line index, end index) of each service under the top-level services:."""
    top = [i for i, line in enumerate(lines) if _KEY.fullmatch(line) and not line.startswith(" ")]
    found = []
    for index in top:
        match = _KEY.fullmatch(lines[index])
        if match is None or _unquoted(match["key"]) != "services" or match["value"]:
            continue
        end = next((i for i in top if i > index), len(lines))
        children = [
            (i, m)
            for i in range(index + 1, end)
            if (m := _KEY.fullmatch(lines[i])) is not None and not _is_comment(lines[i])
        ]
        if not children:
            continue
        indent = min(len(m["indent"]) for _, m in children)
        starts = [(i, _unquoted(m["key"])) for i, m in children if len(m["indent"]) == indent]
        for number, (start, name) in enumerate(starts):
            stop = starts[number + 1][0] if number + 1 < len(starts) else end
            found.append((name, start, stop))
    return found


def _service(
    lines: list[str], start: int, end: int, name: str, dockerfile: tuple[str, str]
) -> tuple[bool, list[Command]]:
    """Whether the service is built from ``dockerfile`` here, and its commands. A service
    that is not (``image: postgres``, another build context) is not read further."""
    if any("\t" in lines[index] for index in range(start, end)):
        raise _Unreadable(start + 1, "tabs in indentation")
    keys = _keys(lines, start + 1, end)
    if "build" not in keys:
        if "<<" in keys:  # the merged mapping may hold its build: and command:
            raise _Unreadable(keys["<<"][0] + 1, "a merge key (<<) it cannot read")
        return False, []
    index, value, block = keys["build"]
    if not _builds(value, block, lines, dockerfile, index):
        return False, []
    if "<<" in keys:
        raise _Unreadable(keys["<<"][0] + 1, "a merge key (<<) it cannot read")
    return True, [
        _command(name, key, lines, *keys[key]) for key in ("entrypoint", "command") if key in keys
    ]


def _keys(lines: list[str], start: int, end: int) -> dict[str, tuple[int, str, list[int]]]:
    """The keys of a mapping between ``start`` and ``end``: (line index, value, the line
    indexes of its nested block)."""
    entries: list[tuple[str, int, str]] = []
    indent = None
    for index in range(start, end):
        line = lines[index]
        if not line.strip() or _is_comment(line):
            continue
        match = _KEY.fullmatch(line.rstrip())
        depth = len(line) - len(line.lstrip(" "))
        if indent is None:
            indent = depth
        if depth == indent:
            if match is None:
                raise _Unreadable(index + 1, "a line that is not 'key: value'")
            entries.append((_unquoted(match["key"]), index, (match["value"] or "").strip()))
    result = {}
    for number, (key, index, value) in enumerate(entries):
        stop = entries[number + 1][1] if number + 1 < len(entries) else end
        block = [
            i for i in range(index + 1, stop) if lines[i].strip() and not _is_comment(lines[i])
        ]
        result[key] = (index, value, block)
    return result


def _builds(
    value: str, block: list[int], lines: list[str], dockerfile: tuple[str, str], index: int
) -> bool:
    """``build: <context>`` or ``build: {context: <context>, dockerfile: <name>}`` as a block,
    for the (context, Dockerfile name) given."""
    folder, name = dockerfile
    if value:
        return _same_folder(_scalar(value, index), folder)
    nested = _keys(lines, block[0], block[-1] + 1) if block else {}
    context = nested.get("context")
    named = nested.get("dockerfile")
    return (
        context is not None
        and _same_folder(_scalar(context[1], context[0]), folder)
        and (named is None or _scalar(named[1], named[0]).removeprefix("./") == name)
    )


def _same_folder(given: str, folder: str) -> bool:
    return "://" not in given and posixpath.normpath(given) == posixpath.normpath(folder)


def _command(
    service: str, key: str, lines: list[str], index: int, value: str, block: list[int]
) -> Command:
    if value.startswith("["):
        return Command(service, key, index + 1, None, _flow_list(value, index))
    if value:
        return Command(service, key, index + 1, _scalar(value, index), None)
    words = []
    for item in block:
        match = _ITEM.fullmatch(lines[item].rstrip())
        if match is None:
            raise _Unreadable(item + 1, f"{key}: is neither a string nor a list of strings")
        words.append(_scalar(match["value"], item))
    return Command(service, key, index + 1, None, tuple(words))


def _flow_list(value: str, index: int) -> tuple[str, ...]:
    """``["gunicorn", 'app:app', -w, 4]`` on one line."""
    text = _without_comment(value)
    if not (text.startswith("[") and text.endswith("]")):
        raise _Unreadable(index + 1, "a flow list that spans lines")
    items = _split_flow(text[1:-1], index)
    return tuple(_scalar(item, index) for item in items if item)


def _split_flow(text: str, index: int) -> list[str]:
    items, current, quote = [], "", ""
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            items.append(current.strip())
            current = ""
        elif char in "[]{}":
            raise _Unreadable(index + 1, "a nested flow collection")
        else:
            current += char
    if quote:
        raise _Unreadable(index + 1, "an unterminated quote")
    items.append(current.strip())
    return items


def _scalar(value: str, index: int) -> str:
    """A one-line scalar: double-quoted (JSON escapes), single-quoted ('' for ') or plain."""
    text = _without_comment(value)
    if text.startswith('"'):
        try:
            decoded = json.loads(text)
        except ValueError:
            raise _Unreadable(index + 1, "a double-quoted string it cannot read") from None
        if isinstance(decoded, str):
            return decoded
        raise _Unreadable(index + 1, "a double-quoted string it cannot read")
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'") or "'" in text[1:-1].replace("''", ""):
            raise _Unreadable(index + 1, "a single-quoted string it cannot read")
        return text[1:-1].replace("''", "'")
    if not _PLAIN.fullmatch(text) or ": " in text:
        raise _Unreadable(index + 1, f"a value it cannot read ({text[:20]!r})")
    return text


def _without_comment(value: str) -> str:
    """``value`` without a trailing `` # comment`` outside quotes."""
    quote = ""
    for position, char in enumerate(value):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or value[position - 1] in " \t"):
            return value[:position].strip()
    return value.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _unquoted(key: str) -> str:
    return key[1:-1] if key[:1] in "'\"" and len(key) > 1 else key
