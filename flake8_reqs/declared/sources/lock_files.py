"""Lock files: uv.lock, poetry.lock, pdm.lock and Pipfile.lock, each read into a Lock."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.declared.locked import Dependency, Lock, Locked
from flake8_reqs.declared.sources.pyproject import toml_error
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text

_PACKAGE_NAME = re.compile(r'^name\s*=\s*"([^"]*)"', re.MULTILINE)
_POETRY_EXTRA_ITEM = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


def read_lock(path: Path, display: str) -> Lock:
    """The lock file at ``path``, by its name: uv.lock, pdm.lock, Pipfile.lock, poetry.lock
    (or any other ``*.lock``); any other name is pip-compile or uv export output.

    Raises ReqsInputError when it cannot be read.
    """
    if not path.name.endswith(".lock"):
        from flake8_reqs.declared.sources.pip_compiled import read_compiled

        return read_compiled(path, display)
    text = read_text(path, display)
    if path.name == "Pipfile.lock":
        return _pipfile_lock(text, display)
    if sys.version_info >= (3, 11):  # imported here: most projects have no TOML lock file
        import tomllib
    else:
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Lock(display, (), errors=(toml_error(display, text, exc),))
    packages = data.get("package", [])
    if not isinstance(packages, list):
        error = ReqsInputError(display, None, "[[package]] must be an array of tables")
        return Lock(display, (), errors=(error,))
    reader = {"uv.lock": _uv_package, "pdm.lock": _pdm_package}.get(path.name, _poetry_package)
    found = list(_packages(packages, _name_lines(text), reader))
    if path.name == "pdm.lock":
        found = _pdm_merged(found)
    return Lock(display, tuple(found))


def _name_lines(text: str) -> list[int]:
    """The line of each package's ``name = "..."``, in order (tomllib gives no lines)."""
    lines = []
    offset, line = 0, 1
    for match in _PACKAGE_NAME.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        lines.append(line)
    return lines


def _packages(packages: list[Any], lines: list[int], reader: Any) -> Iterator[Locked]:
    for index, entry in enumerate(packages):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        line = lines[index] if index < len(lines) else 1
        yield reader(entry, line)


def _locked(entry: dict[str, Any], line: int, **fields: Any) -> Locked:
    version = entry.get("version")
    return Locked(
        canonicalize_name(entry["name"]),
        entry["name"],
        version if isinstance(version, str) else None,
        line,
        **fields,
    )


def _uv_package(entry: dict[str, Any], line: int) -> Locked:
    """``dependencies = [{ name = "idna" }, { name = "x", extra = ["y"], marker = "..." }]``."""
    optional = entry.get("optional-dependencies", {})
    extras = (
        tuple((extra, _uv_deps(deps)) for extra, deps in optional.items())
        if isinstance(optional, dict)
        else ()
    )
    return _locked(entry, line, dependencies=_uv_deps(entry.get("dependencies")), extras=extras)


def _uv_deps(value: Any) -> tuple[Dependency, ...]:
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            extras = item.get("extra", [])
            marker = item.get("marker")
            found.append(
                (
                    canonicalize_name(item["name"]),
                    tuple(extras) if isinstance(extras, list) else (),
                    marker if isinstance(marker, str) else None,
                )
            )
    return tuple(found)


def _poetry_package(entry: dict[str, Any], line: int) -> Locked:
    """``[package.dependencies] name = "spec" | {version, optional, extras, markers} | [...]``;
    an optional dependency is installed only through ``[package.extras]``."""
    deps = entry.get("dependencies", {})
    required = []
    for name, value in deps.items() if isinstance(deps, dict) else ():
        tables = [item for item in (value if isinstance(value, list) else [value])]
        if all(isinstance(item, dict) and item.get("optional") is True for item in tables):
            continue
        extras = next((t.get("extras") for t in tables if isinstance(t, dict)), None) or []
        markers = [t.get("markers") for t in tables if isinstance(t, dict)]
        marker = markers[0] if len(markers) == 1 and isinstance(markers[0], str) else None
        required.append((canonicalize_name(name), tuple(map(str, extras)), marker))
    table = entry.get("extras", {})
    extras_of = []
    for extra, items in table.items() if isinstance(table, dict) else ():
        parsed = [_POETRY_EXTRA_ITEM.match(str(item)) for item in items or ()]
        extras_of.append(
            (
                extra,
                tuple(
                    (canonicalize_name(match.group(1)), tuple(_split(match.group(2))), None)
                    for match in parsed
                    if match is not None
                ),
            )
        )
    return _locked(entry, line, dependencies=tuple(required), extras=tuple(extras_of))


def _pdm_package(entry: dict[str, Any], line: int) -> Locked:
    """``dependencies = ["idna<4,>=2.5", ...]``; an entry with ``extras = [...]`` lists what
    those extras add (and the package itself)."""
    deps = tuple(_pep508(item) for item in entry.get("dependencies", []) or ())
    found = tuple(dep for dep in deps if dep is not None)
    extras = entry.get("extras")
    if isinstance(extras, list) and extras:
        return _locked(entry, line, extras=tuple((str(extra), found) for extra in extras))
    return _locked(entry, line, dependencies=found)


def _pdm_merged(found: list[Locked]) -> list[Locked]:
    """pdm writes a package with extras as an entry of its own: fold it into the plain one."""
    plain: dict[str, Locked] = {}
    for package in found:
        if package.name in plain:
            first = plain[package.name]
            plain[package.name] = first._replace(
                dependencies=first.dependencies + package.dependencies,
                extras=first.extras + package.extras,
            )
        else:
            plain[package.name] = package
    return list(plain.values())


def _pep508(text: Any) -> Dependency | None:
    try:
        req = PackagingRequirement(str(text))
    except InvalidRequirement:
        return None
    return (
        canonicalize_name(req.name),
        tuple(sorted(req.extras)),
        str(req.marker) if req.marker else None,
    )


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _pipfile_lock(text: str, display: str) -> Lock:
    """Pipfile.lock: its ``default`` section is everything production installs, flat."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        message = f"invalid JSON: {getattr(exc, 'msg', exc)}"
        return Lock(display, (), flat=True, errors=(ReqsInputError(display, line, message),))
    default = data.get("default", {}) if isinstance(data, dict) else {}
    if not isinstance(default, dict):
        error = ReqsInputError(display, None, '"default" must be an object')
        return Lock(display, (), flat=True, errors=(error,))
    start = text.find('"default"')
    packages = []
    for name, entry in default.items():
        offset = text.find(json.dumps(name) + ":", max(start, 0))
        line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        version = entry.get("version", "") if isinstance(entry, dict) else ""
        pinned = version[2:] if isinstance(version, str) and version.startswith("==") else None
        packages.append(Locked(canonicalize_name(name), name, pinned, line))
    return Lock(display, tuple(packages), flat=True)
