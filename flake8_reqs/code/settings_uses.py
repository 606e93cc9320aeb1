"""Imports named by strings: Django settings' dotted paths, database drivers, SQLAlchemy URLs.

Django imports much of what a project runs by name: ``INSTALLED_APPS``, ``MIDDLEWARE``, the
database ``ENGINE`` (and its driver), logging handler classes. In a settings module (one that
assigns ``INSTALLED_APPS`` or ``MIDDLEWARE`` at module level, or one ``DJANGO_SETTINGS_MODULE``
names), each such string is an :class:`ImportRef` at the string's line and column, whose
``use`` says where it is named. Values are read from the AST, literals only: strings in
lists, tuples and dicts, ``+`` of lists, a module-level name assigned a literal earlier in the
module, ``+=``, ``.append``, ``.extend``, ``.insert`` and ``.update``, and assignments to
``DATABASES["default"]["ENGINE"]``. Anything computed is skipped, never guessed. Which
settings and drivers count is data: ``data/settings_uses.toml``.

In any module, a literal ``DJANGO_SETTINGS_MODULE`` (``os.environ.setdefault(...)``) names
the settings module, and an SQLAlchemy URL that names its driver (``"postgresql+psycopg2://"``)
names the driver's module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8_reqs.code.guards import Target
    from flake8_reqs.code.imports import ImportRef

# The cheap test runs on every file an editor checks: this module imports nothing else, and
# the reader (code/settings_reader.py) is imported only for a file that passes the test.
# Patterns, not compiled ones: re compiles a pattern on first use, and keeps it.
# A settings module assigns one of these at the start of a line. Looked for with str.find,
# not a regular expression: compiling one costs 0.14 ms, and every file that mentions
# settings.MIDDLEWARE would pay it on every save.
_MARKERS = ("INSTALLED_APPS", "MIDDLEWARE")
# A URL that names its driver: "postgresql+psycopg2://", a letter or digit before the "+".
# The pattern begins with the "+", so that re looks for it at C speed: one that began with
# the letter scanned a megabyte of docstrings with URLs in a third of a millisecond.
_DRIVER_URL = r"\+[a-z][a-z0-9_]*://"
_BEFORE_DRIVER = "abcdefghijklmnopqrstuvwxyz0123456789"
_ENVIRON_KEY = "DJANGO_SETTINGS_MODULE"


def might_name_imports(source: str | bytes) -> bool:
    """A cheap test: False when no string of ``source`` can name an import (no settings
    marker at the start of a line, no ``DJANGO_SETTINGS_MODULE``, no URL with a driver)."""
    if isinstance(source, bytes):
        return (
            any(_begins_a_line(source, marker.encode(), b"\n", b"_") for marker in _MARKERS)
            or _ENVIRON_KEY.encode() in source
            or (b"://" in source and _names_driver(source, _DRIVER_URL.encode()))
        )
    return (
        any(_begins_a_line(source, marker, "\n", "_") for marker in _MARKERS)
        or _ENVIRON_KEY in source
        or ("://" in source and _names_driver(source, _DRIVER_URL))
    )


def _begins_a_line(source: Any, word: Any, newline: Any, underscore: Any) -> bool:
    """Whether a line of ``source`` begins with ``word`` as a whole word, as the regular
    expression ``(?m)^word\\b`` finds it (text or bytes, the other arguments of the same kind:
    a word character is a letter, a digit or ``_``, and only ASCII ones in bytes)."""
    at = source.find(word)
    while at != -1:
        after = source[at + len(word) : at + len(word) + 1]
        if (at == 0 or source[at - 1 : at] == newline) and not (
            after.isalnum() or after == underscore
        ):
            return True
        at = source.find(word, at + 1)
    return False


def _names_driver(source: Any, pattern: Any) -> bool:
    """Whether ``source`` (text or bytes, with ``pattern`` of the same kind) has a URL that
    names a driver the data knows (``postgresql+psycopg2://``). Other schemes with a ``+``
    load nothing (Celery's ``redis+socket://``, ``cache+memory://``), and a file full of
    them is not parsed again for nothing."""
    before = _BEFORE_DRIVER if isinstance(source, str) else _BEFORE_DRIVER.encode()
    for match in re.finditer(pattern, source):
        start = begin = match.start()
        while begin > 0 and source[begin - 1 : begin] in before:
            begin -= 1
        if begin < start:
            scheme = source[begin : match.end() - 3]  # "dialect+driver"
            text = scheme if isinstance(scheme, str) else scheme.decode("ascii")
            if text in _url_schemes():
                return True
    return False


def _url_schemes() -> frozenset[str]:
    """The ``dialect+driver`` schemes of data/settings_uses.toml; read only when a file
    has a URL with a ``+`` in its scheme."""
    global _URL_SCHEMES
    if _URL_SCHEMES is None:
        from flake8_reqs.data_files import load_data

        _URL_SCHEMES = frozenset(load_data("settings_uses.toml")["urls"])
    return _URL_SCHEMES


_URL_SCHEMES: frozenset[str] | None = None


def source_uses(
    source: bytes, target: Target, *, settings: bool = False, filename: str = "<unknown>"
) -> list[ImportRef]:
    """The string uses of a module's ``source``: parsed whole, and only when
    :func:`might_name_imports` (or ``settings``: a module named as the settings) says so.
    A file that does not parse has none (flake8 reports it as E999)."""
    if not settings and not might_name_imports(source):
        return []
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return tree_uses(tree, target, settings=settings)


def lines_uses(
    tree: ast.AST, lines: Sequence[str], target: Target, *, settings: bool = False
) -> list[ImportRef]:
    """The string uses of a module flake8 has parsed into ``tree``, from its ``lines``."""
    if not settings and not might_name_imports("".join(lines)):
        return []
    return tree_uses(tree, target, settings=settings)


def tree_uses(tree: ast.AST, target: Target, *, settings: bool = False) -> list[ImportRef]:
    """Every string use in a parsed module, in source order (see the module docstring)."""
    from flake8_reqs.code.settings_reader import read_uses

    return read_uses(tree, target, settings=settings)
