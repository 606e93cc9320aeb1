"""A parsed TOML file with its text: typed look-ups, and the lines tomllib does not give."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flake8_reqs.errors import ReqsInputError

Keys = tuple[str, ...]

# A table header, [a.b] or [[a.b]], alone on its line but for a comment.
_HEADER = re.compile(r"^[ \t]*\[\[?([^\[\]\n]*)\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)
# One part of a dotted key: a basic string, a literal string or a bare key.
_KEY_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def where(keys: Keys) -> str:
    """How messages name the value at ``keys``: ``[project].dependencies``."""
    shown = [key if _BARE_KEY.fullmatch(key) else json.dumps(key) for key in keys]
    if len(shown) == 1:
        return f"[{shown[0]}]"
    return f"[{'.'.join(shown[:-1])}].{shown[-1]}"


def a_type(value: object) -> str:
    """The TOML type of ``value``, with its article, for messages."""
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "a boolean"
    names = {str: "a string", int: "an integer", float: "a float", list: "a list", dict: "a table"}
    return names.get(type(value), "a date or time")


class TomlReader:
    """Reads values out of one parsed TOML file and collects the errors found on the way.

    Not a value: it accumulates ``errors``. Line numbers are found by scanning the text
    (tomllib gives none): the table's header, then the key, then the string literal. That
    is right for the usual layouts (one item per line, or an inline list on one line) and
    falls back to the key's or the table's line otherwise.
    """

    def __init__(self, display: str, text: str, data: Mapping[str, Any]) -> None:
        self.display = display
        self.text = text
        self.data = data  # the parsed document
        self.errors: list[ReqsInputError] = []
        self._reported: set[tuple[int, str]] = set()

    def report(self, keys: Keys, message: str, line: int | None = None) -> None:
        """Add an error at ``line``, or at the line of ``keys``; the same error only once."""
        line = self.line(keys) if line is None else line
        if (line, message) not in self._reported:
            self._reported.add((line, message))
            self.errors.append(ReqsInputError(self.display, line, message))

    def table(self, keys: Keys) -> Mapping[str, Any]:
        """The table at ``keys``, or an empty one when it is absent or not a table."""
        current = self.data
        for depth in range(1, len(keys) + 1):
            value = current.get(keys[depth - 1], {})
            if not isinstance(value, dict):
                message = f"{where(keys[:depth])} must be a table, not {a_type(value)}"
                self.report(keys[:depth], message)
                return {}
            current = value
        return current

    def value(self, keys: Keys) -> Any:
        """The value at ``keys``, or None when it or a table around it is absent."""
        return self.table(keys[:-1]).get(keys[-1])

    def string(self, keys: Keys) -> str | None:
        """The string at ``keys``, or None when it is absent or (after an error) not a string."""
        value = self.value(keys)
        if value is None or isinstance(value, str):
            return value
        self.report(keys, f"{where(keys)} must be a string, not {a_type(value)}")
        return None

    def strings(self, keys: Keys) -> list[tuple[str, int]]:
        """The strings of the list at ``keys``, each with its line; errors for anything else."""
        value = self.value(keys)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(keys, f"{where(keys)} must be a list of strings, not {a_type(value)}")
            return []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self.report(
                    keys,
                    f"{where(keys)} must be a list of strings; item {number} is {a_type(item)}",
                )
        strings = [item for item in value if isinstance(item, str)]
        return list(zip(strings, self.string_lines(keys, strings)))

    def line(self, keys: Keys) -> int:
        """The line where ``keys`` is written, or where the nearest table around it is."""
        return self._line_at(self._find_key(keys))

    def string_lines(self, keys: Keys, strings: Sequence[str | None]) -> list[int]:
        """The line of each string literal, in order, after ``keys``; None: no literal to find.

        Each search starts where the previous one ended, so a repeated string is found
        once per occurrence and items of an inline list share their line.
        """
        cursor = self._find_key(keys)
        lines = []
        for string in strings:
            found = None if string is None else self._find_string(string, cursor)
            if found is not None:
                cursor = found
            lines.append(self._line_at(cursor))
        return lines

    def _line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def _find_key(self, keys: Keys) -> int:
        start, used = self._find_header(keys)
        end = self._table_end(start)
        for key in keys[used:]:
            found = _key_pattern(key).search(self.text, start, end)
            if found is None:
                break
            start = found.start(1)
        return start

    def _find_header(self, keys: Keys) -> tuple[int, int]:
        """Offset of the header that names most of ``keys``, and how many it names."""
        best = (0, 0)
        for header in _HEADER.finditer(self.text):
            parts = tuple("".join(part) for part in _KEY_PART.findall(header.group(1)))
            if best[1] < len(parts) <= len(keys) and parts == keys[: len(parts)]:
                best = (header.start(), len(parts))
        return best

    def _table_end(self, start: int) -> int:
        line_end = self.text.find("\n", start)
        if line_end < 0:
            return len(self.text)
        header = _HEADER.search(self.text, line_end + 1)
        return len(self.text) if header is None else header.start()

    def _find_string(self, string: str, start: int) -> int | None:
        """Offset just after the first literal of ``string`` from ``start`` in its table."""
        end = self._table_end(start)
        basic = '"' + string.replace("\\", "\\\\").replace('"', '\\"') + '"'
        literals = [basic] if "'" in string else [basic, f"'{string}'"]
        offsets = [self.text.find(literal, start, end) for literal in literals]
        found = [
            (offset, offset + len(literal))
            for offset, literal in zip(offsets, literals)
            if offset >= 0
        ]
        return min(found)[1] if found else None


def _key_pattern(key: str) -> re.Pattern[str]:
    """``key`` written as a key (bare or quoted), then '=' or the '.' of a dotted key."""
    quoted = [re.escape(json.dumps(key, ensure_ascii=False)), re.escape(f"'{key}'")]
    if _BARE_KEY.fullmatch(key):
        quoted.append(re.escape(key))
    return re.compile(rf"(?:^|(?<=[\s{{,.]))({'|'.join(quoted)})[ \t]*[=.]", re.MULTILINE)
