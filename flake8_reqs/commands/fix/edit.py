"""Editing a requirements source for ``flake8-reqs fix``: the new text (fix/write.py writes it)."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

# The operators that make a file's pin style; on a tie the first listed wins.
_PIN_STYLES = ("==", ">=", "~=")
_NEWLINE = re.compile(r"\r\n|\n|\r")

Splice = tuple[int, int, str]  # replace text[start:end] with the string
Entry = Union[int, str]  # in a new order: an existing item (its index) or a new requirement's text


@dataclass(frozen=True)
class Addition:
    """A distribution to declare: its name as it should be written, and its installed
    version; or, for a requirement moved from a dev set, the text it had there."""

    distribution: str
    version: str | None
    text: str | None = None  # written as it is: pin, extras and marker kept


@dataclass(frozen=True)
class Edit:
    """A requirements source before and after the edit."""

    path: Path
    display: str
    old: str
    new: str

    def diff(self) -> str:
        """A unified diff from ``a/<display>`` to ``b/<display>``; empty when nothing changes."""
        lines = difflib.unified_diff(
            self.old.splitlines(keepends=True),
            self.new.splitlines(keepends=True),
            f"a/{self.display}",
            f"b/{self.display}",
        )
        # As diff and git do, so that the last line does not run into the next one.
        return "".join(
            line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
            for line in lines
        )


def pin_style(existing: Sequence[PackagingRequirement]) -> str | None:
    """The operator new requirements are written with; None: write the bare name.

    ``==`` for a file without requirements; None when none of its requirements has a
    version specifier; else the most used of ``==``, ``>=`` and ``~=`` (``==`` when the
    specifiers use none of them, such as ``<2``).
    """
    pinned = [req for req in existing if len(req.specifier) > 0]
    if existing and not pinned:
        return None
    styles = Counter(
        next((op for op in _PIN_STYLES if op in {spec.operator for spec in req.specifier}), None)
        for req in pinned
    )
    return max(_PIN_STYLES, key=lambda op: styles[op]) if pinned else "=="


def requirement_text(addition: Addition, style: str | None) -> str:
    """``name<op><version>``, or the bare name without a style or a PEP 440 version; a
    moved requirement's own text."""
    if addition.text is not None:
        return addition.text
    try:
        version = None if addition.version is None else Version(addition.version)
    except InvalidVersion:
        version = None
    if style is None or version is None:
        return addition.distribution
    if style == "==":
        return f"{addition.distribution}=={version}"
    if style == "~=" and len(version.release) > 1:
        return f"{addition.distribution}~={version.public}"
    # '>=' takes no local version; '~=' needs two release numbers.
    return f"{addition.distribution}>={version.public}"


def new_requirements(
    additions: Sequence[Addition], declared: set[NormalizedName], style: str | None
) -> list[tuple[NormalizedName, str]]:
    """(name, text) of each addition not declared yet, once per distribution."""
    found: dict[NormalizedName, str] = {}
    for addition in additions:
        name = canonicalize_name(addition.distribution)
        if name not in declared and name not in found:
            found[name] = requirement_text(addition, style)
    return list(found.items())


def arrange(
    names: Sequence[NormalizedName | None], new: Sequence[tuple[NormalizedName, str]]
) -> list[Entry]:
    """The existing items (indexes into ``names``) and the new texts, in their new order.

    When the named items are in sorted order, each new one goes after the last item whose
    name sorts before or equal to it (else before the first item); otherwise all go at the
    end, in the order given. A None name (an item without one) is kept where it is.
    """
    order: list[Entry] = list(range(len(names)))
    named = [(name, index) for index, name in enumerate(names) if name is not None]
    keys = [name for name, _ in named]
    if keys != sorted(keys):
        return [*order, *(text for _, text in new)]
    for name, text in sorted(new):
        count = bisect.bisect_right(keys, name)
        if count == 0:
            position = order.index(named[0][1]) if named else len(order)
        else:
            position = order.index(named[count - 1][1]) + 1
            while position < len(order) and isinstance(order[position], str):
                position += 1  # after the new ones already there, which sort before it
        order.insert(position, text)
    return order


def neighbour(order: Sequence[Entry], position: int) -> tuple[int, int] | None:
    """Where the new entry at ``position`` goes: (the existing item before it, 1), else
    (the existing item after it, 0), else None when there is no existing item."""
    before = [entry for entry in order[:position] if isinstance(entry, int)]
    if before:
        return before[-1], 1
    after = [entry for entry in order[position:] if isinstance(entry, int)]
    return (after[0], 0) if after else None


def newline_of(text: str) -> str:
    """The line ending the text uses most (the first of those on a tie); ``\\n`` when it
    has none. Not simply the first: a lone ``\\r`` in a file of ``\\n`` lines would make an
    added line end in ``\\r``, and that ``\\r`` join the next line's ``\\n``."""
    counts = Counter(_NEWLINE.findall(text))
    return max(counts, key=counts.__getitem__) if counts else "\n"


def line_end_at(text: str, offset: int, newline: str) -> str:
    """The line end of a line inserted at ``offset``: ``newline``, unless that is a lone
    ``\\r`` and the text there begins with ``\\n``, which would join it into one ``\\r\\n``
    and swallow the blank line after it (a file of mixed line ends, ``\\r`` the most used);
    then ``\\r\\n``."""
    return "\r\n" if newline == "\r" and text.startswith("\n", offset) else newline


def apply_splices(text: str, splices: Sequence[Splice]) -> str:
    """``text`` with each non-overlapping splice made; insertions at one offset keep their order."""
    parts = []
    position = 0
    for start, end, replacement in sorted(splices, key=lambda splice: splice[:2]):
        parts += [text[position:start], replacement]
        position = end
    parts.append(text[position:])
    return "".join(parts)
