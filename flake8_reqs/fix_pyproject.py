"""Editing ``[project].dependencies`` of a pyproject.toml as text, comments kept."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.errors import ReqsInputError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if TYPE_CHECKING:
    from flake8_reqs.fix import Addition

_TABLE = re.compile(r"^\s*\[")
_ITEM = re.compile(r"""^(\s*)(["'])(.*?)\2\s*,?\s*(#.*)?$""")


def edit_dependencies(
    lines: list[str], display: str, additions: Sequence[Addition], drop: set[int], newline: str
) -> list[str]:
    """``lines`` with additions in ``dependencies = [...]`` and the ``drop`` lines removed.

    Raises ReqsInputError when the array is not a multi-line one this can edit safely.
    """
    from flake8_reqs.fix import pin

    start, end = _array(lines, display)
    items = {}
    for index in range(start + 1, end):
        match = _ITEM.match(lines[index])
        if match is not None:
            items[index] = match
    requirements = {}
    for index, match in items.items():
        try:
            requirements[index] = PackagingRequirement(match.group(3))
        except InvalidRequirement:
            continue
    declared = {canonicalize_name(req.name) for req in requirements.values()}
    operators = [spec.operator for req in requirements.values() for spec in req.specifier]
    indent, quote = ("    ", '"')
    if items:
        first = next(iter(items.values()))
        indent, quote = first.group(1), first.group(2)
    new_items = [
        f"{indent}{quote}{pin(addition, operators, bool(requirements))}{quote},{newline}"
        for addition in additions
        if canonicalize_name(addition.distribution) not in declared
    ]
    result = [line for number, line in enumerate(lines, 1) if number not in drop]
    shift = sum(1 for number in drop if number <= end + 1)
    result[end - shift : end - shift] = new_items
    try:
        tomllib.loads("".join(result))
    except tomllib.TOMLDecodeError as error:
        raise ReqsInputError(display, None, f"cannot be edited safely: {error}") from None
    return result


def _array(lines: list[str], display: str) -> tuple[int, int]:
    """Indexes of the ``dependencies = [`` line and of its closing ``]`` line."""
    in_project = False
    for index, line in enumerate(lines):
        if _TABLE.match(line):
            in_project = line.strip() == "[project]"
            continue
        if in_project and re.match(r"^\s*dependencies\s*=\s*\[\s*(#.*)?$", line):
            for close in range(index + 1, len(lines)):
                if lines[close].strip().startswith("]"):
                    return index, close
    raise ReqsInputError(
        display,
        None,
        "fix edits a multi-line 'dependencies = [' array in [project]; none was found",
    )
