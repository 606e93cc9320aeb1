"""Requirement sources: pick the reader for a file by its name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flake8_reqs.declared.requirements import Declared
from flake8_reqs.settings import SourceFile


def read_source(
    source: SourceFile, environ: Mapping[str, str], project: Path | None = None
) -> Declared:
    """What ``source`` declares, read by the reader its file name calls for.

    A requirements file's ``-r`` include outside ``project`` (a folder) is named in
    messages, never quoted. Raises ReqsInputError when the file itself cannot be read.
    """
    # Imported here so that a flake8 run that never reads a setup.py never imports ast
    # helpers it does not need; each reader is small, but editors start flake8 often.
    name = source.path.name
    if name == "pyproject.toml":
        from flake8_reqs.declared.sources.pyproject import read_pyproject

        return read_pyproject(source.path, source.display, environ)
    if name == "setup.cfg":
        from flake8_reqs.declared.sources.setup_cfg import read_setup_cfg

        return read_setup_cfg(source.path, source.display)
    if name == "setup.py":
        from flake8_reqs.declared.sources.setup_py import read_setup_py

        return read_setup_py(source.path, source.display)
    if name == "Pipfile":
        from flake8_reqs.declared.sources.pipfile import read_pipfile

        return read_pipfile(source.path, source.display)
    if name.endswith((".yml", ".yaml")):  # conda's environment.yml, by any name
        from flake8_reqs.declared.sources.environment_yml import read_environment_yml

        return read_environment_yml(source.path, source.display, environ, project)
    from flake8_reqs.declared.sources.pip import read_requirements_file

    return read_requirements_file(source.path, source.display, environ, project)
