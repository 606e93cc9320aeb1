"""Workspaces: the local projects beside a project, and the import names each one packages.

A member of a uv workspace (``[tool.uv.workspace] members``), or a local project that a
requirement installs from a folder (``-e ../lib``, a poetry or uv ``path``, a PDM or Hatch
``file:`` URL), provides the modules it packages: what its configuration says
(setuptools' ``packages``/``py-modules``, Hatch's wheel ``packages``, poetry's
``packages``, setup.cfg's ``packages``), else what its layout holds (``src/``, or its own
folder without tests, docs and scripts). Every file read is noted for the state's stamps.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs import inputs
from flake8_reqs.code.folders import is_package, listing
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple

# Names a project's own folder holds that are not what it packages.
_NOT_PACKAGED = frozenset(
    {
        *("tests", "test", "testing", "docs", "doc", "examples", "example", "scripts"),
        *("benchmarks", "bench", "tools", "setup", "conftest", "noxfile", "tasks"),
        *("build", "dist", "site", "venv", "env", "manage"),
    }
)


# A NamedTuple, not a frozen dataclass: it is stored in the project state (bench/README.md).
class Member(NamedTuple):
    """A local project: its distribution name and its folder (absolute)."""

    name: NormalizedName
    folder: str


def uv_members(root: Path) -> list[Member]:
    """The members of the uv workspace the project at ``root`` belongs to (itself included),
    from the nearest ``pyproject.toml`` at or above it with ``[tool.uv.workspace]``; none
    when ``root`` is not among that workspace's members."""
    for folder in (root, *root.parents):
        table = _uv_workspace(folder / "pyproject.toml")
        if table is None:
            continue
        folders = [os.fspath(folder), *_globbed(folder, table.get("members"))]
        excluded = set(_globbed(folder, table.get("exclude")))
        members = [path for path in dict.fromkeys(folders) if path not in excluded]
        if os.fspath(root) not in members:
            return []  # not a member: uv does not treat it as part of that workspace
        return [member for path in members for member in _member(path)]
    return []


def uv_workspace_root(root: Path) -> Path | None:
    """The root of the uv workspace whose member the project at ``root`` is (where uv keeps
    the workspace's one uv.lock), or None when it is in none."""
    for folder in (root, *root.parents):
        table = _uv_workspace(folder / "pyproject.toml")
        if table is None:
            continue
        members = [os.fspath(folder), *_globbed(folder, table.get("members"))]
        excluded = set(_globbed(folder, table.get("exclude")))
        return folder if os.fspath(root) in members and os.fspath(root) not in excluded else None
    return None


def local_members(folders: Iterable[str]) -> list[Member]:
    """The local projects in ``folders`` (from requirements' ``local``), named by their
    metadata; a folder whose name cannot be read is left out."""
    return [member for folder in dict.fromkeys(folders) for member in _member(folder)]


def packaged_names(folder: str) -> frozenset[str]:
    """The top-level import names the local project in ``folder`` packages; empty when
    neither its configuration nor its layout shows any."""
    configured = _configured(folder)
    if configured is not None:
        return configured
    for base, namespaces in ((os.path.join(folder, "src"), True), (folder, False)):
        inputs.note_read(base)  # a package added to the layout changes the names
        names = _layout_names(base, namespaces=namespaces)
        if names:
            return names
    return frozenset()


def _member(folder: str) -> list[Member]:
    from flake8_reqs.declared.sources.local import read_project_name

    try:
        name = read_project_name(Path(folder))
    except ReqsInputError:
        return []
    return [Member(canonicalize_name(name), folder)] if name else []


def _uv_workspace(path: Path) -> dict[str, Any] | None:
    data = _toml(path)
    table = data.get("tool", {}).get("uv", {}).get("workspace") if data else None
    return table if isinstance(table, dict) else None


def _toml(path: Path) -> dict[str, Any] | None:
    """The TOML table in ``path``, or None when it is missing or not TOML (its own
    project reports that)."""
    inputs.note_read(path)
    try:
        text = inputs.read_file(path).decode("utf-8")
    except (inputs.Unreadable, UnicodeDecodeError):
        return None
    # Imported only for a file that is there: most projects have no pyproject.toml above
    # them, and the TOML parser is a tenth of an ordinary state's imports.
    from flake8_reqs.toml_document import TomlError, load_toml

    try:
        return load_toml(text)
    except TomlError:
        return None


def _globbed(folder: Path, patterns: Any) -> list[str]:
    """The folders with a pyproject.toml that uv's member globs name, in sorted order."""
    if not isinstance(patterns, list):
        return []
    import glob

    found = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            continue
        fixed = pattern.split("*", 1)[0].rpartition("/")[0]
        inputs.note_read(folder / fixed)  # a member added there changes the workspace
        for path in sorted(glob.glob(os.path.join(glob.escape(os.fspath(folder)), pattern))):
            if os.path.isfile(os.path.join(path, "pyproject.toml")):
                found.append(os.path.normpath(path))
    return found


def _configured(folder: str) -> frozenset[str] | None:
    """What the project's configuration says it packages, or None when it does not say."""
    data = _toml(Path(folder) / "pyproject.toml") or {}
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    names: list[str] = []
    setuptools = tool.get("setuptools", {})
    if isinstance(setuptools, dict):
        for key in ("packages", "py-modules"):
            if isinstance(setuptools.get(key), list):
                names += [str(item) for item in setuptools[key]]
    wheel = tool.get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {})
    if isinstance(wheel, dict) and isinstance(wheel.get("packages"), list):
        names += [os.path.basename(str(item).rstrip("/")) for item in wheel["packages"]]
    poetry = tool.get("poetry", {}).get("packages")
    if isinstance(poetry, list):
        names += [
            str(item["include"]) for item in poetry if isinstance(item, dict) and "include" in item
        ]
    names += _setup_cfg_packages(Path(folder) / "setup.cfg")
    tops = {name.replace("/", ".").partition(".")[0] for name in names}
    tops = {name for name in tops if name.isidentifier()}
    return frozenset(tops) if tops else None


def _setup_cfg_packages(path: Path) -> list[str]:
    inputs.note_read(path)
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(inputs.read_file(path).decode("utf-8"))
    except (inputs.Unreadable, UnicodeDecodeError, configparser.Error):
        return []
    names = []
    for key in ("packages", "py_modules"):
        value = parser.get("options", key, fallback="").strip()
        if value and not value.startswith("find"):
            names += [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]
    return names


def _layout_names(base: str, *, namespaces: bool) -> frozenset[str]:
    """Modules and packages in ``base`` (namespace packages too when ``namespaces``: in a
    ``src/`` folder every folder is code), without the ones no project packages."""
    entries = listing(base)
    if namespaces:
        names = entries.names - _NOT_PACKAGED
    else:
        packages = (name for name in entries.subfolders if is_package(os.path.join(base, name)))
        names = entries.modules.union(packages) - _NOT_PACKAGED
    return frozenset(name for name in names if name.isidentifier() and not name.startswith("_"))
