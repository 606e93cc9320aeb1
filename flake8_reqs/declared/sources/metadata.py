"""What the package-metadata readers share: file text, requirement strings, extras keys."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.requirements import Requirement
from flake8_reqs.sources.pip_lines import shown
from flake8_reqs.state_cache import note_read

Group = tuple[str, tuple[Requirement, ...]]


def read_bytes(path: Path, display: str) -> bytes:
    """The contents of a metadata file.

    Raises ReqsInputError (about the whole file) when it cannot be read.
    """
    note_read(path)
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ReqsInputError(display, None, "no such file") from None
    except IsADirectoryError:
        raise ReqsInputError(display, None, "is a directory, not a file") from None
    except OSError as exc:
        raise ReqsInputError(display, None, f"cannot be read: {exc.strerror or exc}") from None


def read_text(path: Path, display: str) -> str:
    """The UTF-8 text of a metadata file, with '\\n' line endings.

    Raises ReqsInputError (about the whole file) when it cannot be read or is not UTF-8.
    """
    data = read_bytes(path, display)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"is not valid UTF-8 text (line {line}); save it as UTF-8"
        raise ReqsInputError(display, None, message) from None
    # Line numbers count what the parsers count: normalise line endings.
    return text.replace("\r\n", "\n")


def beside(display: str, name: str) -> str:
    """How messages name the file ``name``, relative to the folder of the file ``display``."""
    return str(PurePath(display).parent / name)


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
    return Requirement.of(copy, req.path, req.line)
