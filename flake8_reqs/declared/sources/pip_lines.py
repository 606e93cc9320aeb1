"""pip requirements-file text: decoding, and the logical lines pip reads, in pip's order."""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping

# pip's auto_decode tries the UTF-16 BOMs before the UTF-32 ones, so it reads a UTF-32-LE
# file (BOM FF FE 00 00) as UTF-16; the longer BOMs go first here.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
)
# pip honours a PEP 263 declaration on one of the first two lines (its ENCODING_RE).
_CODING_RE = re.compile(rb"coding[:=]\s*([-\w.]+)")
# Only the ${NAME} form, NAME in upper case, digits and '_' (pip's ENV_VAR_RE).
_VARIABLE_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")
# What str.splitlines() splits at.
_LINE_BREAK_RE = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SHOWN_LIMIT = 80
_CHUNK = 1 << 20
# The userinfo of a URL: up to the last '@' before the host's end (pip's split_auth_from_netloc).
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s]*)@")

# What the ${NAME}s of the files being read were expanded to, each value with its ${NAME}:
# shown() writes the name back, so that no message quotes a value from the environment.
_EXPANDED: list[dict[str, str]] = []


class LineProblem(Exception):
    """What is wrong with one line; the reader adds the file and the line number."""


class TextDecodeError(Exception):
    """The bytes are not text in the encoding they declare, or in UTF-8."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_text(data: bytes) -> str:
    """The text of a requirements file: a BOM or coding line decides, else UTF-8.

    Raises TextDecodeError with a reason that reads after the file name.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, label)
    for line in data.split(b"\n", 2)[:2]:
        found = _CODING_RE.search(line) if line.startswith(b"#") else None
        if found:
            encoding = found.group(1).decode("ascii")
            return _decode(data, encoding, encoding)
    return _decode(data, "utf-8", "UTF-8")


def _decode(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        reason = f"is not valid {label} text (line {_line_at(data[: exc.start], codec)})"
    except LookupError:
        reason = f"declares an unknown text encoding '{label}'"
    except ValueError:  # codecs such as idna fail in other ways on text that is not theirs
        reason = f"is not valid {label} text"
    raise TextDecodeError(f"{reason}; save it as UTF-8")


def _line_at(before: bytes, codec: str) -> int:
    """The number splitlines() gives the line where ``before`` ends."""
    try:
        text = before.decode(codec, errors="replace")
    except ValueError:  # codecs such as idna take no error handler
        return before.count(b"\n") + 1
    return 1 + sum(1 for _ in _LINE_BREAK_RE.finditer(text))


@contextlib.contextmanager
def quoting_as_written() -> Iterator[dict[str, str]]:
    """Within the block, shown() writes each value of the dict it yields (which
    logical_lines fills) as the ``${NAME}`` it was expanded from."""
    expanded: dict[str, str] = {}
    _EXPANDED.append(expanded)
    try:
        yield expanded
    finally:
        _EXPANDED.remove(expanded)


def logical_lines(
    text: str, environ: Mapping[str, str], expanded: dict[str, str] | None = None
) -> Iterator[tuple[int, str]]:
    """(first physical line number, text) of each non-blank line, as pip's preprocess yields.

    pip's order: join continuation lines, strip comments and blanks, expand ${VAR}. Each
    value expanded is noted in ``expanded`` (value -> ``${VAR}``).
    """
    for number, line in _join_continuations(enumerate(_split_lines(text), start=1)):
        stripped = _strip_comment(line).strip()
        if stripped:
            yield number, _expand_variables(stripped, environ, expanded)


def _split_lines(text: str) -> Iterator[str]:
    """``text.splitlines()`` a megabyte at a time: a file of millions of short lines is
    never held as a list of millions of strings."""
    start = 0
    while start < len(text):
        found = _LINE_BREAK_RE.search(text, start + _CHUNK)
        end = found.end() if found else len(text)
        yield from text[start:end].splitlines()
        start = end


def _join_continuations(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """pip's join_lines: a line ending in '\\' goes on with the next; comment lines end it."""
    first = 0
    parts: list[str] = []  # joined once at the end: a long run of continuations stays linear
    for number, line in lines:
        is_comment = line.lstrip().startswith("#")
        if is_comment or not line.endswith("\\"):
            if is_comment:
                line = " " + line  # so that the comment is still stripped after joining
            if parts:
                parts.append(line)
                yield first, "".join(parts)
                parts = []
            else:
                yield number, line
        else:
            if not parts:
                first = number
            parts.append(line.strip("\\"))
    if parts:
        yield first, "".join(parts)


def _strip_comment(line: str) -> str:
    """Cut at the first '#' that starts the line or follows whitespace (pip's COMMENT_RE).

    A scan rather than COMMENT_RE itself: `(^|\\s+)#` backtracks quadratically over a long
    run of whitespace with no '#' after it.
    """
    start = line.find("#")
    while start > 0 and not line[start - 1].isspace():
        start = line.find("#", start + 1)
    return line if start < 0 else line[:start]


def _expand_variables(
    line: str, environ: Mapping[str, str], expanded: dict[str, str] | None
) -> str:
    if "${" not in line:
        return line

    def expand(found: re.Match[str]) -> str:
        value = environ.get(found.group(1))
        if not value:  # pip leaves a variable alone when it is unset or empty
            return found.group(0)
        if expanded is not None:
            expanded[value] = found.group(0)
        return value

    return _VARIABLE_RE.sub(expand, line)


def split_arguments(line: str) -> tuple[str, str]:
    """pip's break_args_options: the words before the first '-' word, and the rest.

    Only the rest is split like a shell would, since markers would not survive that.
    """
    if not line.startswith("-") and " -" not in line:
        return line, ""  # the common case, without splitting the line into words
    words = line.split(" ")
    for index, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:index]), " ".join(words[index:])
    return line, ""


def shown(text: str) -> str:
    """``text`` fit for a one-line message: as written (quoting_as_written), URL credentials
    hidden (redact_credentials), control characters escaped, long text cut."""
    for expanded in _EXPANDED:
        for value in sorted(expanded, key=len, reverse=True):  # the longest first
            text = text.replace(value, expanded[value])
    text = redact_credentials(text)
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 3] + "..."
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def redact_credentials(text: str) -> str:
    """``text`` with the userinfo of each URL in it hidden as pip logs a URL:
    ``https://user:token@host`` -> ``https://user:****@host``, ``https://token@host`` ->
    ``https://****@host``."""
    if "@" not in text:
        return text

    def redact(found: re.Match[str]) -> str:
        user, colon, _ = found.group("userinfo").partition(":")
        return found.group("scheme") + (f"{user}:****@" if colon else "****@")

    return _USERINFO_RE.sub(redact, text)


def lower_first(text: str) -> str:
    """``text`` with a lower-case start, as our messages have."""
    return text[:1].lower() + text[1:]
