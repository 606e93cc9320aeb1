"""flake8's configuration file in one folder: which file flake8 reads there, its flake8 section.

In each folder, from the working directory up to the home folder, flake8 takes the first of
setup.cfg, tox.ini and .flake8 that has a ``flake8`` (or ``flake8:local-plugins``) section;
Flake8-pyproject, when installed, looks at pyproject.toml's ``[tool.flake8]`` first. Both
the editor's own configuration (project/editor_config.py) and the prescan's guess of the
excludes (code/prescan_files.py) look for it as flake8 does, through this module.
"""

from __future__ import annotations

import configparser
import os
from typing import TYPE_CHECKING, Any

from flake8_reqs.inputs import Unreadable, read_file

if TYPE_CHECKING:
    from flake8_reqs.toml_document import TomlError

INI_FILES = ("setup.cfg", "tox.ini", ".flake8")  # flake8's order within one folder
CONFIG_FILES = ("pyproject.toml", *INI_FILES)  # every name a configuration may have


class BrokenConfig(Exception):
    """A configuration file that cannot be parsed: its path, and the parser's error."""

    def __init__(
        self, path: str, error: configparser.Error | TomlError | UnicodeDecodeError
    ) -> None:
        super().__init__(path, error)
        self.path = path
        self.error = error


def flake8_section(folder: str, *, pyproject: bool) -> dict[str, Any] | None:
    """The flake8 section of ``folder``'s flake8 configuration file, or None when it has
    none: with ``pyproject`` (Flake8-pyproject is installed), pyproject.toml's
    ``[tool.flake8]`` first; then the first of setup.cfg, tox.ini and .flake8 with a flake8
    section. Its values as flake8 hands them on: text, and TOML's lists and tables as they
    are. Raises BrokenConfig for a file that cannot be parsed."""
    if pyproject:
        values = pyproject_section(os.path.join(folder, "pyproject.toml"))
        if values is not None:
            return values
    for name in INI_FILES:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read_string(read_file(path).decode("utf-8"), source=path)
        except Unreadable:
            continue  # gone since isfile, or too large to be a configuration file
        except (UnicodeDecodeError, configparser.Error) as error:
            raise BrokenConfig(path, error) from None
        # flake8's own rule: a file is its configuration when it has a flake8 section.
        if "flake8" in parser or "flake8:local-plugins" in parser:
            return dict(parser["flake8"]) if "flake8" in parser else {}
    return None


def pyproject_section(path: str) -> dict[str, Any] | None:
    """The ``[tool.flake8]`` table of the pyproject.toml at ``path``, as Flake8-pyproject
    hands it on (scalars as text, lists and tables as they are); None when it has none.
    Raises BrokenConfig for a file that cannot be parsed."""
    try:
        data = read_file(path)
    except Unreadable:
        return None
    if b"flake8" not in data:  # most pyproject files: no TOML parser needed
        return None
    from flake8_reqs.toml_document import TomlError, load_toml

    try:
        table = load_toml(data.decode("utf-8")).get("tool", {}).get("flake8")
    except (UnicodeDecodeError, TomlError) as error:  # Flake8-pyproject stops on it
        raise BrokenConfig(path, error) from None
    if not isinstance(table, dict):
        return None
    return {
        key: str(value) if isinstance(value, (bool, int, float)) else value
        for key, value in table.items()
    }
