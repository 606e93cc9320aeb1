"""The entry points a project already names, for ``check`` and ``verify`` without ``--entry``.

They are the modules and ``module:attr`` paths its start commands run (CMD, ENTRYPOINT,
Procfile, compose services, gunicorn's configuration), ``[project.scripts]`` and
``[project.gui-scripts]``, ``manage.py``, and the WSGI and ASGI modules its Django settings
name. For ``check``, also the files Django loads by name from an app's folders (management
commands, template tags, migrations), which no import statement reaches. An entry that is not
a file of the project is left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from flake8_reqs.code.graph import entry_file
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.project.state import ProjectState

BY_NAME = "Django loads it by name"
_APPLICATION_SETTINGS = ("WSGI_APPLICATION", "ASGI_APPLICATION")
_CALL = re.compile(r"\(.*\)$")  # app:create_app(): the factory is the attribute
# The folders of a Django app whose modules Django loads by name.
_BY_NAME = re.compile(r"(?:^|/)(?:management/commands|templatetags|migrations)/[^/]+\.py$")


class Entry(NamedTuple):
    """An entry point, where the project names it (as the text output says it), and its file."""

    spec: str  # as --entry takes it, from its project's root: "app.main:app", "manage.py"
    origin: str  # "Dockerfile:12, CMD"; "pyproject.toml, [project.scripts]"
    path: Path


def default_entries(
    state: ProjectState, scanned: Sequence[ScannedFile], *, by_name: bool = True
) -> list[Entry]:
    """The entry points the project names, each once, in the order met; ``by_name`` adds the
    files Django loads by name when the project has Django settings."""
    found: dict[Path, Entry] = {}
    starts = state.starts.uses if state.starts is not None else ()
    for use in starts:
        if use.kind == "entry":
            origin = use.where if not use.line else f"{_shown(use.path)}:{use.line}, {use.where}"
            if use.where.startswith("[project."):
                origin = f"{_shown(use.path)}, {use.where}"
            _add(found, state.root, _CALL.sub("", use.name), origin)
    settings = False
    for file in scanned:
        for ref in file.refs:
            setting = ref.use.removeprefix("is named in ")
            if setting in _APPLICATION_SETTINGS:
                settings = True
                _add(found, state.root, ref.module, f"{_shown(file.path)}:{ref.line}, {setting}")
            elif setting == "INSTALLED_APPS":
                settings = True
    if by_name and settings:
        for file in scanned:
            relative = PurePosixPath(os.path.relpath(file.path, state.root)).as_posix()
            if _BY_NAME.search(relative) and file.path not in found:
                found[file.path] = Entry(relative, BY_NAME, file.path)
    return list(found.values())


def chosen_entries(
    given: Sequence[str],
    no_defaults: bool,
    projects: Sequence[tuple[ProjectState, Sequence[ScannedFile]]],
) -> tuple[list[str], list[Entry]]:
    """The entry points to use: those given with --entry, else (unless
    --no-default-entries) those each project of the run names, as the paths of their files
    (each project names its own from its own root); and the defaults used, to describe."""
    if given or no_defaults:
        return list(given), []
    found: dict[Path, Entry] = {}
    for state, scanned in projects:
        for entry in default_entries(state, scanned):
            found.setdefault(entry.path, entry)
    defaults = list(found.values())
    return [str(entry.path) for entry in defaults], defaults


def describe(entries: Sequence[Entry]) -> str:
    """``entry points: app.main:app (Dockerfile:12, CMD), manage.py (manage.py)``, with the
    files Django loads by name counted rather than listed."""
    by_name = [entry for entry in entries if entry.origin == BY_NAME]
    named = [f"{entry.spec} ({entry.origin})" for entry in entries if entry not in by_name]
    if by_name:
        count = len(by_name)
        named.append(f"{count} file{'s' if count > 1 else ''} Django loads by name")
    return "entry points found in the project: " + ", ".join(named)


def _add(found: dict[Path, Entry], root: Path, spec: str, origin: str) -> None:
    try:
        path = entry_file(spec, root)
    except ReqsInputError:
        return  # not a file of the project: a path inside the image, a typo
    found.setdefault(path, Entry(spec, origin, path))


def _shown(path: str | Path) -> str:
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()
