"""Dockerfile variables: the ARG and ENV values in scope, and ``$NAME`` expanded as Docker does."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}: what Docker's own
# expansion supports everywhere, and sh too. Other forms (${NAME%...}, ${#NAME}) are not
# expanded, and say so.
_OPERATORS = (":-", "-", ":+", "+")

Lookup = Callable[[str], "str | None"]  # a value, or None when the variable is not set


@dataclass
class Expansion:
    """A text with its variables expanded, and the names that had no value to expand to.

    ``unset`` keeps the order names were met in; a name with a default (``${NAME:-x}``)
    is not in it, since the default is what a build without --build-arg uses.
    """

    text: str
    unset: list[str] = field(default_factory=list)


def expand(text: str, lookup: Lookup, *, quotes: bool = False) -> Expansion:
    """``text`` with ``$NAME`` and ``${NAME...}`` replaced by their values from ``lookup``.

    With ``quotes``, the text is one word of a Docker instruction (ENV, ARG, FROM): single
    quotes keep it literal, double quotes and backslashes are removed, as Docker's own
    word processing does. Without, it is a word the shell has already split (a RUN word).
    A ``$`` followed by no name (``$1``, ``$$``, ``$(``) is kept as it is.
    """
    result = Expansion("")
    parts: list[str] = []
    index = 0
    quote = ""
    while index < len(text):
        char = text[index]
        if quotes and char == "'" and not quote:
            end = text.find("'", index + 1)
            end = len(text) if end < 0 else end
            parts.append(text[index + 1 : end])
            index = end + 1
            continue
        if quotes and char == '"':
            quote = "" if quote else '"'
            index += 1
            continue
        if quotes and char == "\\" and index + 1 < len(text):
            parts.append(text[index + 1])
            index += 2
            continue
        if char == "$":
            value, index = _variable(text, index, lookup, result.unset)
            parts.append(value)
            continue
        parts.append(char)
        index += 1
    result.text = "".join(parts)
    return result


def _variable(text: str, start: int, lookup: Lookup, unset: list[str]) -> tuple[str, int]:
    """The value of the variable at ``text[start]`` (a ``$``), and the index after it."""
    if text.startswith("${", start):
        end = _closing_brace(text, start + 2)
        if end < 0:
            return text[start:], len(text)
        body = text[start + 2 : end]
        name_match = _NAME.match(body)
        name = name_match.group() if name_match else body
        rest = body[len(name) :] if name_match else ""
        if name_match is None or not (rest == "" or rest.startswith(_OPERATORS)):
            unset.append(name)  # a form we do not expand: its value is unknown
            return "", end + 1
        operator = next((op for op in _OPERATORS if rest.startswith(op)), "")
        value = lookup(name)
        is_set = value is not None and (value != "" or not operator.startswith(":"))
        if operator in (":-", "-"):
            if value is not None and is_set:
                return value, end + 1
            return _word(rest[len(operator) :], lookup, unset), end + 1
        if operator in (":+", "+"):
            return (_word(rest[len(operator) :], lookup, unset) if is_set else ""), end + 1
        if value is None:
            unset.append(name)
            return "", end + 1
        return value, end + 1
    match = _NAME.match(text, start + 1)
    if match is None:
        return "$", start + 1
    value = lookup(match.group())
    if value is None:
        unset.append(match.group())
        return "", match.end()
    return value, match.end()


def _word(word: str, lookup: Lookup, unset: list[str]) -> str:
    """A default or alternative word expanded; its names without a value go to ``unset``."""
    inner = expand(word, lookup)
    unset.extend(inner.unset)
    return inner.text


def _closing_brace(text: str, index: int) -> int:
    depth = 1
    while index < len(text):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def rejoin_braces(words: list[str]) -> list[str]:
    """Words the shell split inside an unquoted ``${NAME:-a b}`` joined again."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1].count("${") > joined[-1].count("}"):
            joined[-1] += " " + word
        else:
            joined.append(word)
    return joined


@dataclass
class Scope:
    """The variables one build stage sees, as a build without --build-arg sets them.

    ``env`` holds ENV values (a stage starts with those of the stage it is built FROM);
    ``args`` the ARGs declared in the stage, None for one without a default. ENV wins
    over an ARG of the same name, as in Docker. ``unknown`` says why a name has no
    value that can be used: its ENV or ARG value used a variable that had none.
    """

    env: dict[str, str] = field(default_factory=dict)
    args: dict[str, str | None] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    meta: Mapping[str, str | None] = field(default_factory=dict)  # ARGs before the first FROM

    def lookup(self, name: str) -> str | None:
        if name in self.unknown:
            return None
        if name in self.env:
            return self.env[name]
        return self.args.get(name)

    def child(self) -> Scope:
        """The scope of a stage built FROM this one: its ENV values, none of its ARGs."""
        return Scope(dict(self.env), {}, dict(self.unknown), self.meta)

    def declared(self) -> dict[str, str | None]:
        """Every ARG declared here, with its value (None when it has none): what the ARGs
        before the first FROM give the stages (``meta``)."""
        return {name: self.lookup(name) for name in [*self.args, *self.unknown]}

    def why_unset(self, name: str) -> str:
        """Why ``name`` has no value here, in words for a note."""
        if self.lookup(name) is not None or not _NAME.fullmatch(name):
            return f"only ${{{name}}}, ${{{name}:-word}} and ${{{name}:+word}} are expanded"
        if name in self.unknown:
            return self.unknown[name]
        if name in self.args:
            return f"ARG {name} has no default value"
        if name in self.meta:
            return f"ARG {name} is declared before FROM but not again in this stage"
        return f"no ARG or ENV sets {name}"

    def declare(self, keyword: str, args: str) -> None:
        """Apply ``ARG NAME[=default] ...`` or ``ENV NAME=value ...`` / ``ENV NAME value``."""
        for name, value in _assignments(keyword, args):
            if value is None:  # ARG NAME: the default of a global ARG of that name
                meta = self.meta.get(name)
                self.args[name] = meta
                self.unknown.pop(name, None)
                continue
            expanded = expand(value, self.lookup, quotes=True)
            (self.env if keyword == "ENV" else self.args).pop(name, None)
            if expanded.unset:
                used = expanded.unset[0]
                self.unknown[name] = f"{keyword} {name} uses ${used}, which has no value"
            elif keyword == "ENV":
                self.unknown.pop(name, None)
                self.env[name] = expanded.text
            else:
                self.unknown.pop(name, None)
                self.args[name] = expanded.text


def _assignments(keyword: str, args: str) -> list[tuple[str, str | None]]:
    """``A=1 B="x y"`` -> [("A", "1"), ("B", '"x y"')]; values keep their quotes for
    ``expand``. ``ENV NAME value words`` (the old form) sets NAME to the rest of the line."""
    words = _raw_words(args)
    if keyword == "ENV" and words and "=" not in words[0]:
        name, _, rest = args.strip().partition(" ")
        return [(name, rest.strip())] if _NAME.fullmatch(name) else []
    found: list[tuple[str, str | None]] = []
    for word in words:
        name, equals, value = word.partition("=")
        if _NAME.fullmatch(name):
            found.append((name, value if equals else None))
    return found


def _raw_words(text: str) -> list[str]:
    """``text`` split at unquoted white space, quotes and backslashes kept."""
    words: list[str] = []
    current: list[str] = []
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char.isspace():
            if current:
                words.append("".join(current))
                current = []
            index += 1
            continue
        current.append(char)
        index += 1
    if current:
        words.append("".join(current))
    return words
