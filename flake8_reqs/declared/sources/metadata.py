"""What the package-metadata readers share: file text, requirement strings, extras keys."""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterable
from pathlib import Path, PurePath

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement

from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.sources.pip_lines import shown
from flake8_reqs.errors import ReqsInputError

Group = tuple[str, tuple[Requirement, ...]]


class SetupCfgParser(configparser.RawConfigParser):
    """setuptools' reading of setup.cfg: no interpolation, option names kept as written."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def beside(display: str, name: str) -> str:
    """How messages name the file ``name``, relative to the folder of the file ``display``."""
    return str(PurePath(display).parent / name)


# setuptools reads a ``file:`` / ``{file = ...}`` only inside the project's folder.
OUTSIDE_FOLDER = "outside the project's folder; setuptools reads only files inside it"


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is in ``folder`` or below it, however either is linked."""
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real.startswith(top.rstrip(os.sep) + os.sep)


def one_line(error: Exception) -> str:
    """packaging's message as a clause: its first line (the rest draws a caret), lower case."""
    message = str(error).split("\n", 1)[0]
    return message[:1].lower() + message[1:]


def parse_requirement(
    text: str, display: str, line: int, errors: list[ReqsInputError]
) -> Requirement | None:
    """The requirement ``text`` declares, or None after adding an error to ``errors``."""
    try:
        return Requirement.of(PackagingRequirement(text), display, line)
    except InvalidRequirement as exc:
        message = f"invalid requirement '{shown(text)}': {one_line(exc)}"
        errors.append(ReqsInputError(display, line, message))
        return None


def parse_requirements(
    items: Iterable[tuple[str, int]], display: str, errors: list[ReqsInputError]
) -> tuple[Requirement, ...]:
    """The valid requirements among ``(text, line)`` items; errors for the others."""
    parsed = (parse_requirement(text, display, line, errors) for text, line in items)
    return tuple(req for req in parsed if req is not None)


def extra_selectors(
    groups: Iterable[Group], display: str, label: str
) -> tuple[tuple[str, str, str], ...]:
    """How an install selects each group of ``split_extras``: by its extra's name."""
    from packaging.utils import canonicalize_name

    prefix = f"{display} {label} "
    return tuple(
        (group, "extra", canonicalize_name(group[len(prefix) :]))
        for group, _ in groups
        if group.startswith(prefix)
    )


def split_extras(
    extras: Iterable[tuple[str, int, tuple[Requirement, ...]]],
    display: str,
    label: str,
    errors: list[ReqsInputError],
) -> tuple[tuple[Requirement, ...], tuple[Group, ...]]:
    """setuptools' extras_require, as (runtime, groups).

    A key may carry a marker, ``"test:sys_platform == 'win32'"``; setuptools adds it to
    each requirement, and a key with no extra name (``":python_version < '3.8'"``) is a
    conditional runtime requirement, not an extra.
    """
    runtime: list[Requirement] = []
    groups: list[Group] = []
    for key, line, reqs in extras:
        extra, _, marker = key.partition(":")
        if marker.strip():
            reqs = _with_marker(reqs, marker.strip(), display, line, errors)
        if extra.strip() and reqs:
            groups.append((f"{display} {label} {extra.strip()}", reqs))
        else:
            runtime.extend(reqs)
    return tuple(runtime), tuple(groups)


def _with_marker(
    reqs: tuple[Requirement, ...],
    marker: str,
    display: str,
    line: int,
    errors: list[ReqsInputError],
) -> tuple[Requirement, ...]:
    try:
        Marker(marker)
    except InvalidMarker as exc:
        message = f"invalid marker '{shown(marker)}' in an extras key: {one_line(exc)}"
        errors.append(ReqsInputError(display, line, message))
        return reqs
    return tuple(_add_marker(req, marker) for req in reqs)


def _add_marker(req: Requirement, marker: str) -> Requirement:
    copy = PackagingRequirement(str(req.req))
    copy.marker = Marker(f"({req.req.marker}) and ({marker})" if req.req.marker else marker)
    return Requirement.of(copy, req.path, req.line, req.local)
