"""Values kept between processes, each valid while what it was built from is unchanged.

The project state and the index of installed distributions are slow to build and the same on
every editor run. An entry is found by its kind, the settings, the interpreter and the user,
and used only when every file the build read (or looked for and did not find) has the stamp
it had when it was read (``cache/stamps.py``), every environment variable it expanded has the
same value, and every folder on sys.path has the same stamp (installing or removing a
distribution changes its folder), and so has every file of our own package unless it is a
wheel installed in one of those folders (pip replaces it whole).

Entries are JSON data read through the shape the caller gives (``cache/codec.py``), so a
planted entry cannot run code. Environment variables are kept as hashes of their values,
never the values (SECURITY.md). An entry whose inputs changed while it was built is not kept
at all, and one with a racy stamp only in this process: the next run builds it again.
"""

from __future__ import annotations

import os
import sys
import time
import zlib
from itertools import chain

from flake8_reqs import __version__
from flake8_reqs.cache.codec import (
    TEXT,
    Fixed,
    Mismatch,
    Optional,
    Shape,
    TupleOf,
    read_entry,
    write_entry,
)
from flake8_reqs.cache.files import cache_folder
from flake8_reqs.cache.stamps import PathStamps, Stamp, is_racy, stamp_files, unchanged

TYPE_CHECKING = False  # not typing's, which costs milliseconds to import: see cache/codec.py
if TYPE_CHECKING:  # aliases only for the type checker: each costs time on every run
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from flake8_reqs.inputs import Inputs

    # (variable, hash of its value, or None when it was unset), sorted by variable
    Environ = tuple[tuple[str, str | None], ...]
    Build = tuple[int, PathStamps]  # when a build started; the environment's stamps then
    _Entry = tuple[PathStamps, PathStamps, Environ, Any]  # environment, files, environ, value

# 2: the state's values are NamedTuples; 3: SystemPackages.commands; 4: needs;
# 5: SystemPackages.build_packages, base, base_packages and the state's stdlib_needs;
# 6: the workspace members; 7: the state's settings_files and starts; 8: JSON, stamps
# with inode and ctime, hashed environment values; 9: lock files, quiet lines, unknown names;
# 10: the target may be unknown, with where it came from and the requirements its markers
# exclude; 11: native needs that what production installs meets are None; 12: no
# stdlib_elsewhere (REQ004 reads the other versions' lists when it needs them); 13: the
# editor entry keeps the first-party names with the stamps of their folders
_SCHEMA = 13
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Our own code and data: an editable install changes them without changing the version.
# Every folder of the package (tests/cache/test_stamped.py holds this list to the tree).
OWN_FOLDERS = tuple(
    os.path.join(_PACKAGE, *folder.split("/")) if folder else _PACKAGE
    for folder in (
        *("", "cache", "checks", "code", "commands", "commands/check", "commands/fix"),
        *("data", "declared", "declared/sources", "project", "system"),
    )
)
_OWN_SUFFIXES = (".py", ".toml", ".txt", ".json")


def _decode_stamps(data: Any) -> PathStamps:
    """PathStamps from ``[[path, mtime, size, inode, ctime], ...]``. An entry holds a
    hundred or so (sys.path, our own files, the files that decide an editor's file's root),
    read on every editor run: checked column by column in C, not field by field."""
    if type(data) is not list:
        raise Mismatch
    if data:
        if set(map(type, data)) != {list} or set(map(len, data)) != {5}:
            raise Mismatch
        paths, *numbers = zip(*data)
        if set(map(type, paths)) != {str} or set(map(type, chain(*numbers))) != {int}:
            raise Mismatch
    return tuple(map(tuple, data))


STAMPS = Shape(lambda value: [list(stamp) for stamp in value], _decode_stamps)
ENVIRON: Shape = TupleOf(Fixed(TEXT, Optional(TEXT)))
_FRAME = {"key": TEXT, "environment": STAMPS, "files": STAMPS, "environ": ENVIRON}


# Build and _Entry are plain tuples, not NamedTuples: defining one costs a tenth of a
# millisecond, on every editor run (bench/README.md).
_memory: dict[str, _Entry] = {}


def stamp_environment() -> PathStamps:
    """The installed environment (the folders on sys.path) and our own code and data files.

    The working directory is left out: ``python -m flake8`` puts it on sys.path, and
    its modification time changes with every file added to the project.
    """
    here = os.getcwd()
    folders = [entry for entry in sys.path if entry and os.path.abspath(entry) != here]
    own: list[str] = []
    if not _installed_whole(folders):
        for folder in OWN_FOLDERS:
            try:
                with os.scandir(folder) as entries:
                    own += sorted(e.path for e in entries if e.name.endswith(_OWN_SUFFIXES))
            except OSError:
                pass
    return stamp_files([*folders, *own])


def _installed_whole(folders: list[str]) -> bool:
    """Whether our package is a wheel installed in one of ``folders`` (the stamped sys.path
    folders). pip replaces such an install whole, uninstalling first, so any reinstall,
    upgrade or removal changes that folder's stamp: its hundred files need no stamps of
    their own. An editable install or a checkout is edited in place, file by file."""
    parent = os.path.dirname(_PACKAGE)
    record = os.path.join(parent, f"flake8_reqs-{__version__}.dist-info", "RECORD")
    return os.path.isfile(record) and parent in (os.path.abspath(folder) for folder in folders)


def begin() -> Build:
    """Call before building a value to store: stamps taken now make an install during the
    build leave the entry stale rather than wrong."""
    return time.time_ns(), stamp_environment()


def load(kind: str, settings: object, shape: Shape) -> Any:
    """The ``kind`` of value ("project", "installed") stored for ``settings``, if still
    valid; else None."""
    key = _key(kind, settings)
    entry = _memory.get(key)
    if entry is None:
        path = _entry_path(kind, key)
        entry = _read(path, kind, key, shape) if path is not None else None
    if entry is None:
        return None
    environment, files, environ, value = entry
    if stamp_environment() != environment or not unchanged(files) or not environ_holds(environ):
        return None
    _memory[key] = entry
    return value


def store(
    kind: str, settings: object, value: Any, shape: Shape, build: Build, inputs: Inputs
) -> None:
    """Keep ``value``, built since ``build`` from ``inputs``, in memory and, when the cache
    folder can be written and no stamp is racy, on disk."""
    files = tuple((path, *stamp) for path, stamp in inputs.files.items())
    if stamp_files(inputs.files) != files:
        return  # an input changed while it was read: this value may mix old and new
    key = _key(kind, settings)
    started_ns, environment = build
    environ = digest_environ(inputs.environ)
    _memory[key] = (environment, files, environ, value)
    path = _entry_path(kind, key)
    if path is None or any(is_racy(stamp[1], started_ns) for stamp in (*environment, *files)):
        return
    fields = {**_FRAME, "value": shape}
    values = {"key": key, "environment": environment, "files": files, "environ": environ}
    write_entry(path, kind, _SCHEMA, fields, {**values, "value": value})


def inputs_of(kind: str, settings: object) -> tuple[dict[str, Stamp], Environ] | None:
    """The files, each with its stamp when it was read, and the environment variables the
    value loaded in this process was built from; None when it is not known (an input
    changed while it was read: store() kept nothing). A value derived from it and stored
    with these stamps is not kept if a file has changed since (store() stamps them again)."""
    entry = _memory.get(_key(kind, settings))
    if entry is None:
        return None
    _, files, environ, _ = entry
    return {path: (mtime, size, inode, ctime) for path, mtime, size, inode, ctime in files}, environ


def digest_environ(environ: Mapping[str, str | None]) -> Environ:
    """``environ`` as it is stored: each value as a hash."""
    return tuple(sorted((name, _digest(value)) for name, value in environ.items()))


def environ_holds(environ: Environ) -> bool:
    """Whether every variable of ``environ`` has the value it had."""
    return all(_digest(os.environ.get(name)) == digest for name, digest in environ)


def _digest(value: str | None) -> str | None:
    if value is None:
        return None
    import hashlib  # costs milliseconds to import: only for a state that expanded a variable

    data = value.encode("utf-8", "surrogateescape")
    return hashlib.sha256(b"flake8-reqs environ\0" + data).hexdigest()


def _read(path: Path, kind: str, key: str, shape: Shape) -> _Entry | None:
    fields = read_entry(path, kind, _SCHEMA, {**_FRAME, "value": shape})
    # The file name is a 32-bit checksum of the key: the whole key must match as well.
    if fields is None or fields["key"] != key:
        return None
    return fields["environment"], fields["files"], fields["environ"], fields["value"]


def _entry_path(kind: str, key: str) -> Path | None:
    folder = cache_folder()
    name = f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.json"
    return folder / "state" / name if folder is not None else None


def _key(kind: str, settings: object) -> str:
    # One entry per settings, interpreter and user, replaced when it goes stale, so the
    # folder does not grow with every install, and two users of one folder do not share.
    user = os.getuid() if hasattr(os, "getuid") else None
    identity = (kind, __version__, _SCHEMA, sys.executable, sys.path, user)
    return repr((*identity, _canonical(settings)))


def _canonical(value: object) -> object:
    """``value`` with sets sorted, so that its repr is the same in every process
    (the order of a frozenset of strings depends on the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(item)) for item in value))
    if isinstance(value, (tuple, list)):  # NamedTuples (Settings, SourceFile) too
        return (type(value).__name__, *(_canonical(item) for item in value))
    return repr(value)
