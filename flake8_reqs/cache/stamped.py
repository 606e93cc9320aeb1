"""The project state kept between processes, valid while what it was built from is unchanged.

An entry is found by the settings and the interpreter; it is used only when every file
the build read (or looked for and did not find) has the same modification time and size,
every environment variable it expanded has the same value, and every folder on sys.path
has the same modification time (installing or removing a distribution changes its
folder). Entries are pickles written to a temporary file and renamed into place, so a
reader never sees half of one; an entry that cannot be read is built again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flake8_reqs import __version__
from flake8_reqs.cache.files import cache_folder, write_cache_file
from flake8_reqs.inputs import Inputs

Stamp = tuple[tuple[str, int, int], ...]  # (path, mtime in ns, size); -1, -1 when missing

# 2: the state's values are NamedTuples; 3: SystemPackages.commands; 4: needs;
# 5: SystemPackages.build_packages, base, base_packages and the state's stdlib_needs;
# 6: the workspace members; 7: the state's settings_files and starts; 8: lock files,
# the runtime set's quiet lines, unknown names
_SCHEMA = 8
_PACKAGE = Path(__file__).parent.parent
# Our own code and data: an editable install changes them without changing the version.
# Every folder of the package (tests/cache/test_stamped.py holds this list to the tree).
OWN_FOLDERS = tuple(
    _PACKAGE / folder
    for folder in (
        *("", "cache", "checks", "code", "commands", "commands/check", "commands/fix"),
        *("data", "declared", "declared/sources", "project", "system"),
    )
)

_memory: dict[str, tuple[Stamp, Stamp, tuple[tuple[str, str | None], ...], Any]] = {}


def stamp_files(paths: Iterable[str | os.PathLike[str]]) -> Stamp:
    stamps = []
    for path in dict.fromkeys(os.fspath(path) for path in paths):
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            stamps.append((path, -1, -1))
        else:
            stamps.append((path, status.st_mtime_ns, status.st_size))
    return tuple(stamps)


def stamp_environment() -> Stamp:
    """The installed environment (the folders on sys.path) and our own code and data files.

    The working directory is left out: ``python -m flake8`` puts it on sys.path, and
    its modification time changes with every file added to the project.
    """
    here = os.getcwd()
    folders = [entry for entry in sys.path if entry and os.path.abspath(entry) != here]
    own = []
    for folder in OWN_FOLDERS:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            own += sorted(
                entry.path for entry in entries if entry.name.endswith((".py", ".toml", ".txt"))
            )
    return stamp_files([*folders, *own])


def load(kind: str, settings: object) -> Any:
    """The ``kind`` of state ("project", "installed") stored for ``settings``, if still
    valid; else None."""
    key = _key(kind, settings)
    entry = _memory.get(key)
    if entry is None:
        # Whatever a damaged, truncated or foreign entry raises, it is only a miss.
        path = _entry_path(kind, key)
        with contextlib.suppress(Exception):
            entry = _read(path, key) if path is not None else None
    if entry is None:
        return None
    environment, files, environ, state = entry
    if stamp_environment() != environment or stamp_files(path for path, _, _ in files) != files:
        return None
    if any(os.environ.get(name) != value for name, value in environ):
        return None
    _memory[key] = entry
    return state


def store(kind: str, settings: object, inputs: Inputs, state: Any, environment: Stamp) -> None:
    """Keep ``state`` in memory and, when the cache folder can be written, on disk.

    ``environment`` is stamp_environment() from before the build, so that an install
    during the build makes the entry stale rather than wrong.
    """
    key = _key(kind, settings)
    environ = tuple(sorted(inputs.environ.items()))
    entry = (environment, stamp_files(inputs.files), environ, state)
    _memory[key] = entry
    path = _entry_path(kind, key)
    if path is not None:
        write_cache_file(path, pickle.dumps((_SCHEMA, key, entry), pickle.HIGHEST_PROTOCOL))


def inputs_of(kind: str, settings: object) -> tuple[list[str], dict[str, str | None]]:
    """The files and environment variables the state loaded in this process was built from."""
    entry = _memory.get(_key(kind, settings))
    if entry is None:
        return [], {}
    _, files, environ, _ = entry
    return [path for path, _, _ in files], dict(environ)


def _read(path: Path, key: str) -> Any:
    with path.open("rb") as file:
        schema, stored_key, entry = pickle.load(file)
    # The file name is a 32-bit checksum of the key: the whole key must match as well.
    return entry if schema == _SCHEMA and stored_key == key else None


def _entry_path(kind: str, key: str) -> Path | None:
    folder = cache_folder()
    name = f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.pickle"
    return folder / "state" / name if folder is not None else None


def _key(kind: str, settings: object) -> str:
    # One entry per settings and interpreter, replaced when it goes stale, so the folder
    # does not grow with every install.
    return repr((kind, __version__, _SCHEMA, sys.executable, sys.path, _canonical(settings)))


def _canonical(value: object) -> object:
    """``value`` with sets sorted, so that its repr is the same in every process
    (the order of a frozenset of strings depends on the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(item)) for item in value))
    if isinstance(value, (tuple, list)):  # NamedTuples (Settings, SourceFile) too
        return (type(value).__name__, *(_canonical(item) for item in value))
    return repr(value)
