"""find_target: the Python production runs (version, platform, C library), and what says so."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs import inputs
from flake8_reqs.code.guards import Target
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.project.root import SYSTEM_FILES
from flake8_reqs.settings import Settings, SourceFile

if TYPE_CHECKING:
    from flake8_reqs.system.python_image import ImagePython

# .python-version: 3.12, 3.12.4, cpython-3.12.4-linux-x86_64-gnu, pypy3.10-7.3.12, 3.13t.
_VERSION_FILE = re.compile(r"(?:cpython-|python-?|pypy)?3\.(\d{1,2})(?!\d)")
_RUNTIME_TXT = re.compile(r"python-3\.(\d{1,2})(?!\d)")  # Heroku's runtime.txt: python-3.11.6
# A requires-python in poetry's spelling: ^3.9, ~3.9, >=3.9 <4, 3.9.*, || between alternatives.
_OPERATOR_SPACE = re.compile(r"(===|==|!=|<=|>=|~=|<|>|\^|~)\s+")
_UNKNOWN = (
    "target Python unknown: name it with --reqs-python-version, a Dockerfile, runtime.txt, "
    ".python-version or requires-python; until then every sys.version_info branch is checked "
    "and REQ004 is off"
)


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class TargetChoice(NamedTuple):
    """The target, where its version came from ("" when unknown), and notes for stderr."""

    target: Target
    source: str
    notes: tuple[str, ...] = ()


def find_target(
    root: Path, settings: Settings, requires_python: Sequence[tuple[str, str]]
) -> TargetChoice:
    """The target of the project in ``root``: the version from the first that names one of
    --reqs-python-version, the shipped stage of the Dockerfile, runtime.txt,
    .python-version and the lowest version ``requires_python`` allows (each a
    (specifier, the file that declares it) pair, in order, then the Pipfile's); else
    unknown, never the running interpreter. The platform is --reqs-platform, else the
    image's, else linux. Every file is read through ``inputs``, so a stored state is
    rebuilt when one changes, appears or goes.
    """
    notes: list[str] = []
    image = _image_python(root, settings)
    platform, libc = settings.platform or (image.platform if image else "linux"), None
    if image is not None and platform == image.platform:
        libc = image.libc
    if settings.python_version:
        return TargetChoice(
            Target(_parsed(settings.python_version), platform, libc), "--reqs-python-version"
        )
    answers = [
        *([(image.version, image.evidence)] if image else ()),
        *_version_files(root, settings.start),
        *_requires_python(requires_python, notes),
        *_pipfile(root, settings.start),
    ]
    if not answers:
        return TargetChoice(Target(None, platform, libc), "", tuple(notes))
    version, source = answers[0]
    others = list(dict.fromkeys((v, s) for v, s in answers[1:] if v != version))
    if others:
        listed = " or ".join(f"{other} ({where})" for other, where in others)
        notes.append(
            f"target Python {version} ({source}), not {listed}; "
            "set --reqs-python-version to choose another"
        )
    return TargetChoice(Target(_parsed(version), platform, libc), source, tuple(notes))


def describe_target(target: Target, source: str, root: Path | None = None) -> str:
    """``target Python 3.10 (Dockerfile:1 FROM python:3.10-slim)``, for -v and check;
    after ``project services/api:`` when the project ``root`` is not the working folder
    (a monorepo's projects each have their own)."""
    project = os.path.relpath(root) if root is not None else "."
    lead = "" if project == "." else f"project {Path(project).as_posix()}: "
    if target.version is None:
        return lead + _UNKNOWN
    where = ""
    if target.libc is not None:
        where = f" on {target.platform} with {target.libc}"
    elif target.platform != "linux":
        where = f" on {target.platform}"
    return f"{lead}target Python {target.version[0]}.{target.version[1]}{where} ({source})"


def lowest_allowed(specifier: str, versions: Sequence[str]) -> str | None:
    """The first of ``versions`` (oldest first) that ``specifier`` allows, in PEP 440 or
    poetry's spelling (``^3.9``, ``>=3.9 <4``, ``3.9.* || 3.11.*``).

    Raises ValueError when it is neither.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        alternatives = [SpecifierSet(",".join(_pep440(part))) for part in specifier.split("||")]
    except InvalidSpecifier:
        raise ValueError(specifier) from None
    for version in versions:
        for spec in alternatives:
            if spec.contains(version, prereleases=True) or spec.contains(f"{version}.99"):
                return version
    return None


def _pep440(constraint: str) -> Iterator[str]:
    """The PEP 440 clauses of one poetry constraint (a PEP 440 one passes unchanged)."""
    for item in re.split(r"[,\s]+", _OPERATOR_SPACE.sub(r"\1", constraint.strip())):
        if item in ("", "*"):
            continue
        if item.startswith("^") or (item.startswith("~") and not item.startswith("~=")):
            lowest = item.lstrip("^~")
            parts = [int(part) if part.isdigit() else 0 for part in lowest.split(".")[:2]]
            major, minor = [*parts, 0][:2]
            yield f">={lowest}"
            if item.startswith("^") and major > 0:
                yield f"<{major + 1}"
            elif item.startswith("~"):
                yield f"<{major}.{minor + 1}"
        elif item[:1].isdigit():
            yield f"=={item}"  # poetry's bare version: exactly that (3.9, 3.9.*)
        else:
            yield item


def _image_python(root: Path, settings: Settings) -> ImagePython | None:
    """The Python of the first Dockerfile (--reqs-system-file, else in ``root``) that says."""
    from flake8_reqs.system.files import is_dockerfile  # only when a state is built

    sources = settings.system_files or tuple(
        SourceFile(root / name, os.path.relpath(root / name, settings.start))
        for name in SYSTEM_FILES
    )
    for source in sources:
        if not is_dockerfile(source.path):
            continue
        text = _read(source.path, source.display)
        if not text:
            continue
        from flake8_reqs.system.python_image import shipped_python  # a Dockerfile's reader

        image = shipped_python(text, source.display, settings.docker_target)
        if image is not None:
            return image
    return None


def _version_files(root: Path, start: Path) -> Iterator[tuple[str, str]]:
    """runtime.txt (python-3.11.6), then .python-version (first line: 3.12, cpython-3.12)."""
    for name, pattern in (("runtime.txt", _RUNTIME_TXT), (".python-version", _VERSION_FILE)):
        display = os.path.relpath(root / name, start)
        first = (_read(root / name, display) or "").strip().partition("\n")[0].strip()
        match = pattern.match(first.lower())
        if match is not None:
            yield f"3.{int(match.group(1))}", f"{display}:1 {first}"


def _requires_python(
    declared: Sequence[tuple[str, str]], notes: list[str]
) -> Iterator[tuple[str, str]]:
    """The lowest version the first valid ``requires-python`` allows."""
    from flake8_reqs.declared.stdlib import known_versions

    for specifier, display in declared:
        try:
            lowest = lowest_allowed(specifier, known_versions())
        except ValueError:
            notes.append(f"ignoring requires-python {specifier!r}: not a specifier")
            continue
        if lowest is not None:
            yield lowest, f"{display} requires-python '{specifier}', lowest allowed"
            return


def _pipfile(root: Path, start: Path) -> Iterator[tuple[str, str]]:
    """The Pipfile's ``[requires] python_version`` (or ``python_full_version``)."""
    display = os.path.relpath(root / "Pipfile", start)
    text = _read(root / "Pipfile", display)
    if not text:
        return
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        requires = tomllib.loads(text).get("requires", {})
    except tomllib.TOMLDecodeError:
        return  # not a requirement source of ours: its errors are pipenv's to report
    for key in ("python_version", "python_full_version"):
        value = requires.get(key) if isinstance(requires, dict) else None
        match = re.match(r"3\.(\d{1,2})(?!\d)", value) if isinstance(value, str) else None
        if match is not None:
            yield f"3.{int(match.group(1))}", f"{display} [requires] {key} '{value}'"
            return


def _read(path: Path, display: str) -> str | None:
    """The text of an optional input file, or None when it is missing or unreadable (it is
    noted either way: one that appears later makes a new state)."""
    try:
        return inputs.read_text(path, display)
    except ReqsInputError:
        return None


def _parsed(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)
