"""The one file an editor has flake8 check, and how a run for it names the project's files.

Editors run flake8 in one of two ways: the buffer on stdin with ``--stdin-display-name
PATH``, or the saved file's path as the only argument, from whatever working directory the
editor has (the workspace, the file's folder, ``/``). Either way the file's own project is
what counts: its flake8 configuration (editor_config.py), its root, and messages that name
its requirement files the way the file itself is named: from the working directory when
the file is named from there and the directory holds the whole project (pre-commit at a
monorepo's root: ``services/api/requirements.txt``, as for several files), else from the
project's root, never as ``tmp/app/requirements.txt`` for an absolute name given in ``/``
nor as ``../../requirements.txt`` from a subfolder.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from flake8_reqs.settings import Settings, SourceFile


def editor_file(options: argparse.Namespace, start: Path, *, file_paths: bool) -> str | None:
    """The file an editor checks, as flake8 names it: the --stdin-display-name of a run on
    stdin, or (when ``file_paths``: plain flake8, not a flake8-reqs command) the one path
    given when it is a file. None for any other run."""
    filenames = list(getattr(options, "filenames", []))
    if filenames == ["-"]:
        display = getattr(options, "stdin_display_name", "stdin")
        return None if display in ("stdin", "-") else str(display)
    if file_paths and len(filenames) == 1 and os.path.isfile(os.path.join(start, filenames[0])):
        return str(filenames[0])
    return None


def search_from(options: argparse.Namespace, start: Path, *, file_paths: bool) -> Path:
    """Where to look for the project root: beside the file an editor checks, else the
    working directory."""
    name = editor_file(options, start, file_paths=file_paths)
    if name is None:
        return start
    # realpath, not Path.resolve: a folder that is a symlink loop raises there; here it
    # stays as written, and the project is looked for from the folders above it.
    return Path(os.path.realpath((start / name).parent))


def shown_from_root(settings: Settings, root: Path, name: str | None) -> Settings:
    """``settings`` for building the state of the project at ``root`` in an editor's run
    for the file flake8 names ``name``: every file named relative to the root, unless the
    working directory holds the project and ``name`` is relative to it. Unchanged for a
    run that is not an editor's (``name`` None)."""
    start = settings.start
    if name is None or (not os.path.isabs(name) and (start == root or start in root.parents)):
        return settings

    def shown(sources: tuple[SourceFile, ...]) -> tuple[SourceFile, ...]:
        return tuple(SourceFile(s.path, os.path.relpath(s.path, root)) for s in sources)

    return settings._replace(
        start=root,
        reqs_files=shown(settings.reqs_files),
        dev_files=shown(settings.dev_files),
        system_files=shown(settings.system_files),
        lock_files=shown(settings.lock_files),
    )
