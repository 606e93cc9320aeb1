"""The name a local project (an ``-e ./path`` line) gives itself in its metadata files."""

from __future__ import annotations

import configparser
from collections.abc import Callable
from pathlib import Path

from flake8_reqs.declared.sources.metadata import SetupCfgParser
from flake8_reqs.declared.sources.poetry import POETRY
from flake8_reqs.declared.sources.setup_py import read_setup_py
from flake8_reqs.inputs import read_text
from flake8_reqs.toml_document import TomlError, TomlReader, load_toml


def read_project_name(folder: Path) -> str | None:
    """The project name in ``folder``: pyproject.toml's ``[project]`` or ``[tool.poetry]``,
    else setup.cfg's ``[metadata]``, else setup.py's literal ``name=``; None if none says.

    Problems inside the files are ignored: a name found is all that matters here. Raises
    ReqsInputError when one of the files exists but cannot be read.
    """
    readers: tuple[tuple[str, Callable[[Path, str], str | None]], ...] = (
        ("pyproject.toml", read_pyproject_name),
        ("setup.cfg", read_setup_cfg_name),
        ("setup.py", _read_setup_py_name),
    )
    for file_name, read_name in readers:
        path = folder / file_name
        name = read_name(path, str(path)) if path.is_file() else None
        if name:
            return name
    return None


def _read_setup_py_name(path: Path, display: str) -> str | None:
    return read_setup_py(path, display).project_name


def read_pyproject_name(path: Path, display: str) -> str | None:
    """``[project].name``, else ``[tool.poetry].name``; None for invalid TOML.

    Reads no other file, unlike read_pyproject: a requirements file that setuptools reads
    for the project may say ``-e .``, and naming that project must not read it again.
    Raises ReqsInputError when the file cannot be read.
    """
    text = read_text(path, display)
    try:
        data = load_toml(text)
    except TomlError:
        return None
    reader = TomlReader(display, text, data)
    return reader.string(("project", "name")) or reader.string((*POETRY, "name"))


def read_setup_cfg_name(path: Path, display: str) -> str | None:
    """``[metadata] name``; None when configparser rejects the file.

    Reads no other file, unlike read_setup_cfg (see read_pyproject_name for why).
    Raises ReqsInputError when the file cannot be read.
    """
    parser = SetupCfgParser()
    try:
        parser.read_string(read_text(path, display), source=display)
    except configparser.Error:
        return None
    return parser.get("metadata", "name", fallback="").strip() or None
