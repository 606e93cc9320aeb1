"""Editors' runs: the reqs-* options of the checked file's own flake8 configuration.

flake8 finds its configuration file from the working directory. An editor that runs
``flake8 --stdin-display-name /path/to/project/src/app.py -`` (or ``flake8
/path/to/project/src/app.py``) from somewhere else gets no configuration, or another
project's. The project root is already looked for from the
displayed file (``plugin._search_from``); this module does the same for our options, so
that ``reqs-file = requirements-prod.txt`` in the project's ``setup.cfg`` applies however
the editor was started. flake8's other options are left as flake8 found them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.flake8_config import BrokenConfig, flake8_section, pyproject_section
from flake8_reqs.options import DEFAULT_DEV_PATHS
from flake8_reqs.project.editor_file import editor_file

# Each of our options, by config name, with the value flake8 gives it when neither the
# command line nor a config file sets it (tests/project/test_editor_config.py checks these).
PATH_OPTIONS = ("reqs-file", "reqs-dev-file", "reqs-system-file", "reqs-lock-file")
VALUE_DEFAULTS: dict[str, Any] = {
    "reqs-dev-paths": list(DEFAULT_DEV_PATHS),
    "reqs-module-map": "",
    "reqs-local-modules": [],
    "reqs-python-version": None,
    "reqs-platform": None,
    "reqs-docker-target": None,
    "reqs-system-ok": [],
    "reqs-runtime-groups": [],
}
_LIST_OPTIONS = ("reqs-dev-paths", "reqs-local-modules", "reqs-system-ok", "reqs-runtime-groups")


def project_options(
    options: argparse.Namespace, start: Path, *, file_paths: bool = False
) -> tuple[argparse.Namespace, Path | None]:
    """For ``flake8 --stdin-display-name FILE -`` (or, with ``file_paths``, ``flake8 FILE``)
    run outside FILE's project: ``options``
    with the reqs-* options of the first flake8 configuration file upwards from FILE (in
    place of those from the file flake8 found from ``start``, the working directory),
    except the ones given on the command line; and that file's folder, which relative
    paths in it start from. Otherwise ``options`` as they are, and None.

    Only a few small files beside FILE and its parent folders are read, and nothing at
    all when flake8 checks no single file (editor_file.py) or was told which configuration
    to use. Raises
    ReqsInputError for a configuration file that cannot be parsed.
    """
    displayed = editor_file(options, start, file_paths=file_paths)
    if displayed is None or _config_was_chosen(options):
        return options, None
    folder = os.path.dirname(os.path.abspath(os.path.join(start, displayed)))
    found = _find_config(folder, until=os.fspath(start))
    if found is None:
        return options, None
    folder, values = found
    if Path(os.path.realpath(folder)) in (start, *start.parents):
        return options, None  # flake8 read this file, or one nearer the working directory
    from_cli = _values_from_cli(options)
    merged = argparse.Namespace(**vars(options))
    for name in PATH_OPTIONS:
        dest = name.replace("-", "_")
        if dest not in from_cli:
            setattr(merged, dest, values.get(name))
    for name, default in VALUE_DEFAULTS.items():
        dest = name.replace("-", "_")
        if dest not in from_cli:
            setattr(merged, dest, values.get(name, default))
    return merged, Path(folder)


def _config_was_chosen(options: argparse.Namespace) -> bool:
    """``--config``, ``--isolated`` or Flake8-pyproject's ``--toml-config``: respected."""
    return bool(
        getattr(options, "config", None)
        or getattr(options, "isolated", False)
        or getattr(options, "toml_config", None)
    )


def _find_config(folder: str, until: str) -> tuple[str, dict[str, Any]] | None:
    """The first folder upwards from ``folder`` with a flake8 configuration file, and our
    options in it; like flake8, the walk stops before the home folder. It stops before
    ``until`` (the working directory) as well: flake8 has searched from there up itself,
    so what the walk could find from there on is what flake8 found (the editor's usual
    case: run from the project's root)."""
    home = os.path.abspath(os.path.expanduser("~"))
    while folder != until:
        values = _config_in(folder)
        if values is not None:
            return folder, values
        parent = os.path.dirname(folder)
        if parent in (folder, home):
            return None
        folder = parent
    return None


def _config_in(folder: str) -> dict[str, Any] | None:
    """Our options in ``folder``'s flake8 configuration file, or None when it has none."""
    # Flake8-pyproject is installed when flake8 has loaded it: then flake8 reads [tool.flake8].
    try:
        section = flake8_section(folder, pyproject="flake8p" in sys.modules)
    except BrokenConfig as broken:
        raise _input_error(broken) from None
    return None if section is None else _normalised(section)


def _input_error(broken: BrokenConfig) -> ReqsInputError:
    """The one-line error of a configuration file that cannot be parsed (flake8 itself stops
    with a traceback on it, run from its folder)."""
    from flake8_reqs.toml_document import TomlError

    error = broken.error
    if isinstance(error, UnicodeDecodeError):
        return ReqsInputError(broken.path, None, "is not valid UTF-8 text")
    if isinstance(error, TomlError):
        return ReqsInputError(broken.path, error.line, error.message)
    from flake8_reqs.declared.sources.setup_cfg import parser_errors

    return parser_errors(broken.path, error)[0]


def _normalised(section: Mapping[str, Any]) -> dict[str, Any]:
    """Our options from a config section, as flake8 would hand them to the plugin; path
    lists joined, so that the plugin anchors them at the config file's folder."""
    from flake8.utils import parse_comma_separated_list

    values: dict[str, Any] = {}
    for key, value in section.items():
        name = key.lower().replace("_", "-")
        if name in PATH_OPTIONS:
            values[name] = value if isinstance(value, str) else ",".join(map(str, value))
        elif name in _LIST_OPTIONS:
            values[name] = (
                parse_comma_separated_list(value) if isinstance(value, str) else list(value)
            )
        elif name in VALUE_DEFAULTS:
            values[name] = value
    return values


def _values_from_cli(options: argparse.Namespace) -> set[str]:
    """The destinations of our options given on the command line.

    Path options given there are marked (``CliPaths``). For the others, flake8 keeps no
    record, so a value is taken as given on the command line when it differs from the one
    flake8's own configuration file (found from the working directory) or the default
    would give; that file is read only when some value is not the default.
    """
    from flake8_reqs.options import CliPaths

    given = {
        name.replace("-", "_")
        for name in PATH_OPTIONS
        if isinstance(getattr(options, name.replace("-", "_"), None), CliPaths)
    }
    changed = [
        name
        for name, default in VALUE_DEFAULTS.items()
        if getattr(options, name.replace("-", "_"), default) != default
    ]
    if changed:
        from_config = _working_directory_values()
        for name in changed:
            dest = name.replace("-", "_")
            if getattr(options, dest) != from_config.get(name, VALUE_DEFAULTS[name]):
                given.add(dest)
    return given


def _working_directory_values() -> dict[str, Any]:
    """Our options in the configuration flake8 found from the working directory."""
    if "flake8p" in sys.modules:
        try:
            values = pyproject_section("pyproject.toml")
        except BrokenConfig as broken:
            raise _input_error(broken) from None
        if values is not None:
            return _normalised(values)
    from flake8.options import config

    parser, _ = config.load_config(None, [], isolated=False)
    return _normalised(parser["flake8"]) if "flake8" in parser else {}


def config_folder(options: argparse.Namespace, start: Path) -> Path:
    """The folder of the config file flake8 read, which relative paths in it start from."""
    from flake8.options import config

    if getattr(options, "isolated", False):
        return start
    toml_config = getattr(options, "toml_config", None)  # Flake8-pyproject's option
    if toml_config:
        return Path(toml_config).resolve().parent
    explicit: Sequence[str] | str | None = getattr(options, "config", None)
    _, cfg_dir = config.load_config(explicit, [], isolated=False)
    return Path(cfg_dir).resolve()
