"""Editing a pip requirements file for ``flake8-reqs fix``: whole logical lines out and in."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from flake8_reqs.commands.fix.edit import (
    Addition,
    Splice,
    apply_splices,
    arrange,
    line_end_at,
    neighbour,
    new_requirements,
    newline_of,
    pin_style,
)
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.sources.pip import hash_options, read_requirements_file


def edit_pip(
    path: Path,
    display: str,
    text: str,
    additions: Sequence[Addition],
    removals: Sequence[Requirement],
) -> str:
    """Removals and additions in a pip file: whole logical lines out, one line per addition in."""
    lines = text.splitlines(keepends=True)  # pip numbers lines as splitlines() splits them
    declared = read_requirements_file(path, display, os.environ)
    own = [req for req in declared.runtime if req.path == display]
    # -e and other lines that start with an option are not part of the sorted list.
    listed = [req for req in own if not lines[req.line - 1].lstrip().startswith("-")]
    new = new_requirements(
        additions, {req.name for req in declared.runtime}, pin_style([req.req for req in listed])
    )
    # A removal applies only where that line still declares that distribution.
    dropped = {(req.line, req.name) for req in removals} & {(req.line, req.name) for req in own}
    if not new and not dropped:
        return text
    starts = [0, *itertools.accumulate(len(line) for line in lines)]
    spans = {
        req.line: (starts[req.line - 1], starts[_logical_end(lines, req.line - 1)]) for req in own
    }
    splices: list[Splice] = [(*spans[line], "") for line, _ in dropped]
    kept = [req for req in listed if (req.line, req.name) not in dropped]
    order = arrange([req.name for req in kept], new)
    newline = newline_of(text)
    for position, entry in enumerate(order):
        if isinstance(entry, str):
            found = neighbour(order, position)
            offset = len(text) if found is None else spans[kept[found[0]].line][found[1]]
            if offset == len(text):
                entry = _ended(lines, newline) + entry
            splices.append((offset, offset, entry + line_end_at(text, offset, newline)))
    return apply_splices(text, splices)


def _ended(lines: Sequence[str], newline: str) -> str:
    """What must come before a line added at the end: a line ending, when the last line
    lacks one, and a blank line, when the last line goes on with a '\\' (pip would join
    the new line to it). Only the last line can do either: a line inside the file that
    goes on is part of the logical line of the requirement after it."""
    if not lines:
        return ""
    last = lines[-1]
    content = last.splitlines()[0] if last.strip("\r\n") else ""
    ending = "" if content != last else newline
    goes_on = content.endswith("\\") and not content.lstrip().startswith("#")
    return ending + (newline if goes_on else "")


def _logical_end(lines: Sequence[str], first: int) -> int:
    """Index after the last physical line of the logical line at ``first`` (pip's join_lines:
    a line ending in '\\' goes on with the next; a comment line ends it)."""
    index = first
    while index + 1 < len(lines):
        content = lines[index].splitlines()[0]
        if not content.endswith("\\") or content.lstrip().startswith("#"):
            break
        index += 1
    return index + 1


def hashes_by_line(text: str) -> dict[int, tuple[str, ...]]:
    """The ``--hash`` values (``sha256:...``) of each logical line of a pip file that has
    any, by its first physical line."""
    return hash_options(text)[0]


def checks_hashes(text: str) -> bool:
    """Whether installing this pip file puts pip in hash-checking mode (a line with
    ``--hash``, or ``--require-hashes``), where pip installs nothing while one requirement
    of the install lacks hashes."""
    if "hash" not in text:
        return False
    hashes, required = hash_options(text)
    return bool(hashes) or required


def installs_with_hashes(paths: Iterable[Path]) -> bool:
    """Whether pip, installing these pip files together, checks hashes (a file that
    cannot be read is the reader's to report, and checks none)."""
    from flake8_reqs.declared.sources.pip_lines import TextDecodeError, decode_text
    from flake8_reqs.inputs import Unreadable, read_file

    for path in paths:
        try:
            if checks_hashes(decode_text(read_file(path))):
                return True
        except (Unreadable, TextDecodeError):
            continue
    return False
