"""Settings: the plugin's options, converted once into one immutable value."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.options import DEFAULT_DEV_PATHS, CliPaths, split_list

if TYPE_CHECKING:
    from packaging.utils import NormalizedName


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class SourceFile(NamedTuple):
    """A file the user named: where it is, and how messages name it."""

    path: Path
    display: str


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class Settings(NamedTuple):
    reqs_files: tuple[SourceFile, ...] = ()
    dev_files: tuple[SourceFile, ...] = ()
    dev_paths: tuple[str, ...] = DEFAULT_DEV_PATHS
    module_map: tuple[tuple[NormalizedName, tuple[str, ...]], ...] = ()
    local_modules: frozenset[str] = frozenset()
    python_version: str | None = None
    platform: str | None = None  # None: the image's (win32 for a Windows image), else linux
    start: Path = Path()  # the working directory: messages name files relative to it
    search_from: Path = Path()  # where the project root is looked for, upwards
    system_files: tuple[SourceFile, ...] = ()  # empty: a Dockerfile etc. in the project root
    docker_target: str | None = None
    system_ok: frozenset[NormalizedName] = frozenset()
    runtime_groups: frozenset[NormalizedName] = frozenset()  # extras and groups production installs
    lock_files: tuple[SourceFile, ...] = ()  # empty: a lock file beside the runtime source


def source_files(value: Any, start: Path, config_dir: Path) -> tuple[SourceFile, ...]:
    """Files of a path option: command-line values are relative to ``start``, config
    values to the folder of the config file that set them (``config_dir``)."""
    if not value:
        return ()
    if isinstance(value, CliPaths):
        return tuple(_source_file(item, start, start) for item in value)
    # A config value: a string, or a TOML array from [tool.flake8] (Flake8-pyproject).
    items = [str(item) for item in value] if isinstance(value, list) else split_list(str(value))
    return tuple(_source_file(item, config_dir, start) for item in items)


def _source_file(given: str, anchor: Path, start: Path) -> SourceFile:
    path = Path(os.path.normpath(anchor / os.path.expanduser(given)))
    display = given if anchor == start else os.path.relpath(path, start)
    return SourceFile(path, display)


def parse_module_map(
    value: str | dict[str, Any],
) -> tuple[tuple[NormalizedName, tuple[str, ...]], ...]:
    """``'dist=mod1,mod2;dist2=mod3'`` (or a TOML table, as Flake8-pyproject passes it)."""
    if isinstance(value, dict):  # Flake8-pyproject 1.2 passes a TOML table as it is
        return _module_map_entries(value)
    text = value.strip()
    if not text:
        return ()
    if text.startswith("{"):
        return _module_map_from_table(text)
    from packaging.utils import canonicalize_name

    entries = []
    for item in re.split(r"[;\n]", text):
        if not item.strip():
            continue
        dist, sep, modules = item.partition("=")
        names = split_list(modules)
        if not sep or not dist.strip() or not names:
            raise ReqsInputError(
                "--reqs-module-map", None, f"{item.strip()!r} is not of the form dist=module,module"
            )
        entries.append((canonicalize_name(dist.strip()), _checked_modules(names)))
    return tuple(entries)


def _module_map_from_table(text: str) -> tuple[tuple[NormalizedName, tuple[str, ...]], ...]:
    try:
        import ast  # only for a module map written as a dict

        table = ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise ReqsInputError("--reqs-module-map", None, f"cannot read the table: {exc}") from None
    if not isinstance(table, dict):
        raise ReqsInputError("--reqs-module-map", None, "expected a table of dist = [modules]")
    return _module_map_entries(table)


def _module_map_entries(
    table: dict[Any, Any],
) -> tuple[tuple[NormalizedName, tuple[str, ...]], ...]:
    from packaging.utils import canonicalize_name

    entries = []
    for dist, modules in table.items():
        names = [modules] if isinstance(modules, str) else list(modules)
        entries.append((canonicalize_name(str(dist)), _checked_modules(map(str, names))))
    return tuple(entries)


def _checked_modules(names: Iterable[str]) -> tuple[str, ...]:
    checked = tuple(names)
    for name in checked:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ReqsInputError("--reqs-module-map", None, f"{name!r} is not a module name")
    return checked


def parse_python_version(value: str | None) -> str | None:
    if not value:
        return None
    if not re.fullmatch(r"3\.\d{1,2}", value.strip()):
        raise ReqsInputError(
            "--reqs-python-version", None, f"{value!r} is not a version such as 3.12"
        )
    return value.strip()
