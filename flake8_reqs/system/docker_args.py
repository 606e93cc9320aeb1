"""Dockerfile variables: ``ARG`` declarations and ``${VAR}`` expansion, as docker does them."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# $NAME, ${NAME}, ${NAME:-word}, ${NAME:+word}, ${NAME-word}, ${NAME+word}; \$ is a dollar.
_REFERENCE = re.compile(rf"\\\$|\$(?:({_NAME})|\{{({_NAME})(?:(:?[-+])([^}}]*))?\}})")


def parse_arg(args: str) -> list[tuple[str, str | None]]:
    """The names an ``ARG`` instruction declares, each with its default or None:
    ``ARG PYTHON_VERSION=3.11 DEBIAN="bookworm" USER`` ->
    ``[("PYTHON_VERSION", "3.11"), ("DEBIAN", "bookworm"), ("USER", None)]``."""
    try:
        words = shlex.split(args, posix=True)
    except ValueError:  # an unbalanced quote: docker rejects the file
        return []
    declared: list[tuple[str, str | None]] = []
    for word in words:
        name, equals, value = word.partition("=")
        if re.fullmatch(_NAME, name):
            declared.append((name, value if equals else None))
    return declared


def expand_variables(text: str, values: Mapping[str, str | None]) -> str | None:
    """``text`` with each variable replaced by its value in ``values``, as docker replaces
    it (``$NAME``, ``${NAME}``, ``${NAME:-word}``, ``${NAME:+word}``; ``\\$`` is a dollar), or
    None when a variable's value cannot be known from the file: declared without a default
    (``ARG PYTHON_VERSION``, given on the command line), or not in ``values`` at all."""
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        if match.group(0) == "\\$":
            return "$"
        value = values.get(match.group(1) or match.group(2))
        if value is None:
            unknown = True
            return ""
        operator, word = match.group(3), match.group(4) or ""
        if operator is None:
            return value
        # ${NAME-word} and ${NAME+word} test whether NAME is set; with a colon, also empty.
        is_set = value != "" or not operator.startswith(":")
        if operator.endswith("-"):
            return value if is_set else word
        return word if is_set else ""

    expanded = _REFERENCE.sub(replace, text)
    return None if unknown else expanded
