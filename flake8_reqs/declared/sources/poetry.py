"""Poetry's own tables in pyproject.toml: [tool.poetry] dependencies, groups and extras."""

from __future__ import annotations

import re
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.metadata import parse_requirement
from flake8_reqs.toml_document import Keys, TomlReader, a_type, where

POETRY = ("tool", "poetry")


def read_poetry(reader: TomlReader) -> Declared:
    """What ``[tool.poetry]`` declares; errors are added to ``reader``.

    Poetry's version constraints (``^1.2``, ``~1.2``) are not PEP 440, and translating
    them is poetry-core's job: each entry becomes a requirement of the bare name, with
    its ``markers`` when they are valid PEP 508 markers.
    """
    if not reader.table(POETRY):
        return Declared()
    runtime, extras = _dependencies(reader, (*POETRY, "dependencies"))
    groups: dict[str, tuple[Requirement, ...]] = {}
    selectors: list[tuple[str, str, str]] = []
    extras_label = f"{reader.display} [tool.poetry.extras]"
    _add_group(groups, extras_label, extras)
    # One set for every extra: which extra needs which optional dependency is not kept,
    # so selecting any extra makes all of them runtime (fewer reports, never a false one).
    selectors += [
        (extras_label, "extra", canonicalize_name(name))
        for name in reader.table((*POETRY, "extras"))
    ]
    # Before poetry 1.2 the dev group was its own table; it is the group "dev" since.
    _add_group(groups, _group_label(reader, "dev"), _all(reader, (*POETRY, "dev-dependencies")))
    selectors.append((_group_label(reader, "dev"), "poetry", "dev"))
    for name in reader.table((*POETRY, "group")):
        keys = (*POETRY, "group", name, "dependencies")
        _add_group(groups, _group_label(reader, name), _all(reader, keys))
        optional = reader.value((*POETRY, "group", name, "optional")) is True
        kind = "poetry-optional" if optional else "poetry"
        selectors.append((_group_label(reader, name), kind, canonicalize_name(name)))
    return Declared(
        runtime=runtime,
        groups=tuple(groups.items()),
        requires_python=_requires_python(reader),
        project_name=reader.string((*POETRY, "name")),
        selectors=tuple(selector for selector in selectors if selector[0] in groups),
    )


def _group_label(reader: TomlReader, name: str) -> str:
    return f"{reader.display} [tool.poetry.group.{name}]"


def _add_group(
    groups: dict[str, tuple[Requirement, ...]], label: str, reqs: tuple[Requirement, ...]
) -> None:
    if reqs:
        groups[label] = groups.get(label, ()) + reqs


def _all(reader: TomlReader, keys: Keys) -> tuple[Requirement, ...]:
    required, optional = _dependencies(reader, keys)
    return required + optional


def _dependencies(
    reader: TomlReader, keys: Keys
) -> tuple[tuple[Requirement, ...], tuple[Requirement, ...]]:
    """The table's entries as (required, optional) requirements; ``python`` is not one."""
    required: list[Requirement] = []
    optional: list[Requirement] = []
    for name, value in reader.table(keys).items():
        if name == "python":
            continue
        entry = _entry(reader, (*keys, name), value)
        if entry is not None:
            (optional if entry[1] else required).append(entry[0])
    return tuple(required), tuple(optional)


def _entry(reader: TomlReader, keys: Keys, value: Any) -> tuple[Requirement, bool] | None:
    """One dependency and whether it is optional (an extra's); None after an error.

    The value is a version string, a table, or a list of tables (multiple constraints).
    """
    constraints = value if isinstance(value, list) else [value]
    if not constraints or not all(isinstance(item, (str, dict)) for item in constraints):
        message = "must be a version string, a table or a list of tables"
        reader.report(keys, f"{where(keys)} {message}, not {a_type(value)}")
        return None
    tables = [item for item in constraints if isinstance(item, dict)]
    is_optional = len(tables) == len(constraints) and all(
        table.get("optional") is True for table in tables
    )
    marker = _marker(tables) if len(tables) == len(constraints) else None
    # passlib = {version = "^1.7", extras = ["bcrypt"]} installs passlib[bcrypt].
    extras = sorted(
        {
            extra
            for table in tables
            for extra in _strings(table.get("extras"))
            if _EXTRA_NAME.fullmatch(extra)
        }
    )
    name = f"{keys[-1]}[{','.join(extras)}]" if extras else keys[-1]
    text = name if marker is None else f"{name}; {marker}"
    req = parse_requirement(text, reader.display, reader.line(keys), reader.errors)
    return None if req is None else (req, is_optional)


_EXTRA_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")  # PEP 508


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _marker(tables: list[dict[str, Any]]) -> str | None:
    """The PEP 508 marker under which any of the constraints applies, if all have one."""
    markers = [table.get("markers") for table in tables]
    valid = [marker for marker in markers if isinstance(marker, str) and _is_marker(marker)]
    if len(valid) != len(markers):
        return None
    return valid[0] if len(valid) == 1 else " or ".join(f"({marker})" for marker in valid)


def _is_marker(text: str) -> bool:
    try:
        Marker(text)
    except InvalidMarker:
        return False
    return True


def _requires_python(reader: TomlReader) -> str | None:
    """Poetry's ``python`` constraint as written (``^3.9`` too: project/target.py reads
    poetry's spelling for the lowest version it allows)."""
    value = reader.value((*POETRY, "dependencies", "python"))
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()
