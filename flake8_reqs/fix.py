"""Editing a requirements source: add missing requirements, remove unused ones, atomically."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.requirements import Requirement


@dataclass(frozen=True)
class Addition:
    distribution: str
    version: str | None


@dataclass(frozen=True)
class Edit:
    path: Path
    display: str
    old: str
    new: str

    def diff(self) -> str:
        """A unified diff of the edit; empty when nothing changes."""
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"a/{self.display}",
                f"b/{self.display}",
            )
        )


def plan_edit(
    path: Path, display: str, additions: Sequence[Addition], removals: Sequence[Requirement]
) -> Edit:
    """The new text of a pip requirements file or a pyproject.toml's [project].dependencies."""
    try:
        old = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReqsInputError(display, None, f"cannot be edited: {error}") from None
    newline = "\r\n" if "\r\n" in old else "\n"
    lines = old.splitlines(keepends=True)
    drop = {requirement.line for requirement in removals if requirement.path == display}
    if path.name == "pyproject.toml":
        from flake8_reqs.fix_pyproject import edit_dependencies

        new_lines = edit_dependencies(lines, display, additions, drop, newline)
    else:
        new_lines = _edit_pip(lines, additions, drop, newline)
    return Edit(path, display, old, "".join(new_lines))


def _requirement_lines(lines: Sequence[str]) -> dict[int, PackagingRequirement]:
    found = {}
    for index, line in enumerate(lines):
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith(("#", "-")):
            continue
        try:
            found[index] = PackagingRequirement(text)
        except InvalidRequirement:
            continue
    return found


def pin(addition: Addition, operators: Sequence[str], any_declared: bool) -> str:
    """``name==1.2``, or the file's own pin style, or the bare name."""
    if addition.version is None or (any_declared and not operators):
        return addition.distribution
    operator = Counter(operators).most_common(1)[0][0] if operators else "=="
    return f"{addition.distribution}{operator}{addition.version}"


def _edit_pip(
    lines: list[str], additions: Sequence[Addition], drop: set[int], newline: str
) -> list[str]:
    requirements = _requirement_lines(lines)
    declared = {canonicalize_name(req.name) for req in requirements.values()}
    operators = [spec.operator for req in requirements.values() for spec in req.specifier]
    result = [line for index, line in enumerate(lines) if index + 1 not in _logical(lines, drop)]
    if result and not result[-1].endswith(("\n", "\r")):
        result[-1] += newline
    names = [canonicalize_name(req.name) for req in requirements.values()]
    is_sorted = names == sorted(names)
    for addition in additions:
        if canonicalize_name(addition.distribution) in declared:
            continue
        text = pin(addition, operators, bool(requirements)) + newline
        _insert(result, text, canonicalize_name(addition.distribution) if is_sorted else None)
    return result


def _logical(lines: Sequence[str], first_lines: set[int]) -> set[int]:
    """Line numbers (1-based) of the logical lines that start at ``first_lines``."""
    covered = set()
    for first in first_lines:
        number = first
        while number <= len(lines):
            covered.add(number)
            if not lines[number - 1].rstrip("\r\n").endswith("\\"):
                break
            number += 1
    return covered


def _insert(result: list[str], text: str, sort_key: str | None) -> None:
    if sort_key is not None:
        for index, line in enumerate(result):
            stripped = line.split(" #", 1)[0].strip()
            if not stripped or stripped.startswith(("#", "-")):
                continue
            try:
                name = canonicalize_name(PackagingRequirement(stripped).name)
            except InvalidRequirement:
                continue
            if name > sort_key:
                result.insert(index, text)
                return
    last = max(
        (
            index
            for index, line in enumerate(result)
            if line.strip() and not line.lstrip().startswith("#")
        ),
        default=len(result) - 1,
    )
    result.insert(last + 1, text)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
