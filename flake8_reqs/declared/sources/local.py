"""The name a local project (an ``-e ./path`` line) gives itself in its metadata files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flake8_reqs.sources.pyproject import read_pyproject_name
from flake8_reqs.sources.setup_cfg import read_setup_cfg_name
from flake8_reqs.sources.setup_py import read_setup_py


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
