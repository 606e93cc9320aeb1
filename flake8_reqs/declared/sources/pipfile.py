"""Pipfile: [packages] is runtime, [dev-packages] and every other category a set of its own."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from packaging.markers import InvalidMarker, Marker

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.metadata import parse_requirement
from flake8_reqs.declared.sources.pyproject import toml_error
from flake8_reqs.inputs import read_text
from flake8_reqs.toml_document import Keys, TomlReader, a_type, where

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# Tables of a Pipfile that are not package categories.
_NOT_CATEGORIES = frozenset({"source", "requires", "scripts", "pipenv"})
# Keys of a package's table that pipenv turns into a marker: sys_platform = "== 'win32'".
_MARKER_KEYS = frozenset(
    {
        "os_name", "sys_platform", "platform_machine", "platform_python_implementation",
        "platform_release", "platform_system", "platform_version", "python_version",
        "python_full_version", "implementation_name", "implementation_version",
    }
)  # fmt: skip
_VERSION = re.compile(r"(\d+)\.(\d+)")


def read_pipfile(path: Path, display: str) -> Declared:
    """What a Pipfile declares: ``[packages]`` as runtime, every other category (such as
    ``[dev-packages]``) as a set labelled ``Pipfile [dev-packages]``, and ``[requires]
    python_version`` as ``python_version``.

    Raises ReqsInputError when the file cannot be read.
    """
    text = read_text(path, display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Declared(errors=(toml_error(display, text, exc),))
    reader = TomlReader(display, text, data)
    runtime = _category(reader, "packages")
    groups = []
    selectors = []
    for name, value in data.items():
        if name in _NOT_CATEGORIES or name == "packages" or not isinstance(value, dict):
            continue
        reqs = _category(reader, name)
        if reqs:
            label = f"{display} [{name}]"
            groups.append((label, reqs))
            selectors.append((label, "pipenv", name))
    return Declared(
        runtime=runtime,
        groups=tuple(groups),
        errors=tuple(reader.errors),
        selectors=tuple(selectors),
        python_version=_python_version(reader),
    )


def _category(reader: TomlReader, name: str) -> tuple[Requirement, ...]:
    found = []
    for package, value in reader.table((name,)).items():
        text = _requirement_text(reader, (name, package), value)
        if text is not None:
            line = reader.line((name, package))
            req = parse_requirement(text, reader.display, line, reader.errors)
            found.extend([] if req is None else [req])
    return tuple(found)


def _requirement_text(reader: TomlReader, keys: Keys, value: Any) -> str | None:
    """The PEP 508 text of one package entry: a version string (``"*"``, ``">=2.0"``) or a
    table with ``version``, ``extras``, ``markers`` and marker keys; git, path and file
    entries declare the name alone."""
    if isinstance(value, str):
        return keys[-1] + _specifier(value)
    if not isinstance(value, dict):
        message = f"{where(keys)} must be a version string or a table, not {a_type(value)}"
        reader.report(keys, message)
        return None
    version = value.get("version", "*")
    extras = value.get("extras", [])
    if not isinstance(version, str) or not (
        isinstance(extras, list) and all(isinstance(extra, str) for extra in extras)
    ):
        reader.report(keys, f"{where(keys)} has a version or extras that are not strings")
        return None
    markers = [f"({value['markers']})"] if isinstance(value.get("markers"), str) else []
    markers += [
        f"{key} {item}"
        for key, item in value.items()
        if key in _MARKER_KEYS and isinstance(item, str)
    ]
    text = keys[-1] + (f"[{','.join(extras)}]" if extras else "") + _specifier(version)
    marker = " and ".join(markers)
    if marker:
        try:
            Marker(marker)
        except InvalidMarker:
            reader.report(keys, f"{where(keys)} has an invalid marker '{marker}'")
            return text
        text += f"; {marker}"
    return text


def _specifier(version: str) -> str:
    """``"*"`` is any version; a bare version number is an exact one, as pipenv reads it."""
    version = version.strip()
    if version in ("", "*"):
        return ""
    return f"=={version}" if version[0].isdigit() else version


def _python_version(reader: TomlReader) -> str | None:
    for key in ("python_version", "python_full_version"):
        value = reader.value(("requires", key))
        match = _VERSION.match(value) if isinstance(value, str) else None
        if match is not None:
            return f"{match.group(1)}.{match.group(2)}"
    return None
