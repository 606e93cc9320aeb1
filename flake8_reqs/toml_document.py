"""A parsed TOML file with its text: typed look-ups, and the lines tomllib does not give."""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from flake8_reqs.errors import ReqsInputError

Keys = tuple[str, ...]

# tomllib ends each message with the position; messages here give the line on their own.
_POSITION = re.compile(r" \(at line (\d+), column \d+\)$| \(at end of document\)$")


class TomlError(ValueError):
    """Why a TOML text cannot be read: ``message`` reads after the file's name and line
    (``invalid TOML: Unclosed array``), ``line`` is where it shows, or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``; raises TomlError, also for arrays or tables nested deeper
    than tomllib's recursion reaches (a RecursionError, which must not end the run)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error_of(text, exc) from None
    except RecursionError:
        raise TomlError("nested too deeply to be read", None) from None


def toml_error_of(text: str, exc: ValueError) -> TomlError:
    """tomllib's error about ``text``, at the line it names (the last line with text when
    it says "at end of document")."""
    message = str(exc).split("\n", 1)[0]
    position = _POSITION.search(message)
    if position is None:
        return TomlError(f"invalid TOML: {message}", None)
    line = int(position.group(1)) if position.group(1) else text.rstrip().count("\n") + 1
    return TomlError(f"invalid TOML: {message[: position.start()]}", line)


# A table header, [a.b] or [[a.b]], alone on its line but for a comment.
_HEADER = re.compile(r"^[ \t]*\[\[?([^\[\]\n]*)\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)
# One part of a dotted key: a basic string, a literal string or a bare key.
_KEY_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Every place a key is written (bare, or as a one-line basic or literal string) and followed
# by '=' or the '.' of a dotted key: at a line's start or after whitespace, '{', ',' or '.'.
# A lookahead, so that the keys of `a.b = 1` are both found.
_KEY_WRITTEN = re.compile(
    r"""(?:^|(?<=[\s{,.]))(?=("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*[=.])""",
    re.MULTILINE,
)


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
        self._newlines: list[int] | None = None
        self._headers: tuple[list[int], dict[Keys, int]] | None = None
        self._keys: dict[str, list[int]] | None = None  # a key as written -> its offsets

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

    # The text is indexed once, on first use: its line ends, its headers and where each
    # key is written. A file of 10,000 dependencies or groups is then read in linear time;
    # searching the text afresh for each one took quadratic time (minutes).

    def _line_at(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [found.start() for found in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def _find_key(self, keys: Keys) -> int:
        start, used = self._find_header(keys)
        end = self._table_end(start)
        for key in keys[used:]:
            found = self._key_at(key, start, end)
            if found is None:
                break
            start = found
        return start

    def _find_header(self, keys: Keys) -> tuple[int, int]:
        """Offset of the first header that names most of ``keys``, and how many it names."""
        headers = self._header_index()[1]
        for used in range(len(keys), 0, -1):
            if keys[:used] in headers:
                return headers[keys[:used]], used
        return 0, 0

    def _header_index(self) -> tuple[list[int], dict[Keys, int]]:
        """The offset of every header, and of the first one with each name."""
        if self._headers is None:
            offsets: list[int] = []
            first: dict[Keys, int] = {}
            for header in _HEADER.finditer(self.text):
                parts = tuple("".join(part) for part in _KEY_PART.findall(header.group(1)))
                offsets.append(header.start())
                first.setdefault(parts, header.start())
            self._headers = (offsets, first)
        return self._headers

    def _table_end(self, start: int) -> int:
        line_end = self.text.find("\n", start)
        if line_end < 0:
            return len(self.text)
        offsets = self._header_index()[0]
        index = bisect.bisect_left(offsets, line_end + 1)
        return len(self.text) if index == len(offsets) else offsets[index]

    def _key_at(self, key: str, start: int, end: int) -> int | None:
        """The first offset in [start, end) where ``key`` is written as a key (bare or
        quoted), followed by '=' or the '.' of a dotted key."""
        if self._keys is None:
            self._keys = {}
            for found in _KEY_WRITTEN.finditer(self.text):
                self._keys.setdefault(found.group(1), []).append(found.start())
        spellings = [json.dumps(key, ensure_ascii=False), f"'{key}'"]
        if _BARE_KEY.fullmatch(key):
            spellings.append(key)
        offsets = []
        for spelling in spellings:
            written = self._keys.get(spelling, [])
            index = bisect.bisect_left(written, start)
            if index < len(written) and written[index] < end:
                offsets.append(written[index])
        return min(offsets, default=None)

    def _find_string(self, string: str, start: int) -> int | None:
        """Offset just after the first literal of ``string`` from ``start`` in its table."""
        end = self._table_end(start)
        basic = '"' + string.replace("\\", "\\\\").replace('"', '\\"') + '"'
        literals = [basic] if "'" in string else [basic, f"'{string}'"]
        # Windows growing fourfold: the search costs the distance to the literal found, not
        # the rest of the table, when one of the two spellings is not used at all.
        window = 4096
        while True:
            stop = min(end, start + window)
            offsets = [self.text.find(literal, start, stop) for literal in literals]
            found = [
                (offset, offset + len(literal))
                for offset, literal in zip(offsets, literals)
                if offset >= 0
            ]
            if found or stop == end:
                return min(found)[1] if found else None
            window *= 4
