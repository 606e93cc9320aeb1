"""A whole ``flake8-reqs check`` answer, kept until anything it depends on changes.

Run twice on an unchanged tree (a pre-commit hook, CI re-runs, an editor task), the
second run prints the first one's output without reading a source file or flake8's
configuration. The answer depends on: the command line and working directory (the key);
every file checked, every folder walked (a folder's modification time changes when an
entry is added, removed or renamed), the flake8 configuration files that could apply,
the files and environment variables the project states were built from, the installed
environment (stamped.stamp_environment), the folders that give files first-party names
(their import roots) and each project's first-party module names. A stored
answer is used only when all of these are as they were; otherwise the check runs in full.

A file changed less than a second before the run is a "racy" stamp (a file system with
coarse modification times could change it again within the same tick): the answer is not
stored then, as git does for its index.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from flake8_reqs import __version__
from flake8_reqs.cache import stamped
from flake8_reqs.cache.files import write_cache_file
from flake8_reqs.project.root import first_party_names

_SCHEMA = 2  # 2: one entry per project of the run
_CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml")
_RACY_NS = 1_000_000_000


@dataclass(frozen=True)
class Answer:
    stdout: str
    stderr: str
    status: int


@dataclass(frozen=True)
class _Entry:
    key: str
    environment: stamped.Stamp
    files: stamped.Stamp
    environ: tuple[tuple[str, str | None], ...]
    projects: tuple[tuple[str, frozenset[str], frozenset[str]], ...]  # root, own, first party
    answer: Answer


def lookup(argv: Sequence[str], cache_dir: Path) -> Answer | None:
    """The stored answer for ``argv`` in the working directory, if still valid."""
    key = _key(argv)
    with contextlib.suppress(Exception):  # a damaged or foreign entry is only a miss
        with _path(cache_dir, key).open("rb") as file:
            schema, entry = pickle.load(file)
        if schema == _SCHEMA and isinstance(entry, _Entry) and entry.key == key:
            return entry.answer if _still_valid(entry) else None
    return None


def _still_valid(entry: _Entry) -> bool:
    return (
        stamped.stamp_environment() == entry.environment
        and stamped.stamp_files(path for path, _, _ in entry.files) == entry.files
        and all(os.environ.get(name) == value for name, value in entry.environ)
        and all(
            first_party_names(Path(root), own_names) == first_party
            for root, own_names, first_party in entry.projects
        )
    )


class Recorder:
    """What a check run printed, and what it depended on."""

    def __init__(self) -> None:
        self.started_ns = time.time_ns()
        self.environment = stamped.stamp_environment()
        self.paths: list[str] = []
        self.environ: dict[str, str | None] = {}
        self.complete = False  # whether what the run depends on is all recorded
        # Each project's root, own names and first-party names, checked again on lookup.
        self.projects: list[tuple[Path, frozenset[str], frozenset[str]]] = []
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()

    def depend_on(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.paths.extend(os.fspath(path) for path in paths)

    @contextlib.contextmanager
    def capturing(self) -> Iterator[None]:
        """Copy what the run prints into the recorder; a progress line is not an answer."""
        out = _Tee(sys.stdout, self.stdout, everything=True)
        err = _Tee(sys.stderr, self.stderr, everything=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield


def store(argv: Sequence[str], cache_dir: Path, recorder: Recorder, status: int) -> None:
    """Keep the answer, unless a stamp is racy or the recorder misses what it needs."""
    if not recorder.complete:
        return
    config = [
        folder / name for folder in (Path.cwd(), *Path.cwd().parents) for name in _CONFIG_FILES
    ]
    named = [arg.partition("=")[2] or arg for arg in argv]  # --config=x.cfg, --entry main.py
    paths: list[str | os.PathLike[str]] = [*recorder.paths, *config]
    paths += [arg for arg in named if os.path.isfile(arg)]
    files = stamped.stamp_files(os.path.abspath(path) for path in paths)
    if any(mtime > recorder.started_ns - _RACY_NS for _, mtime, _ in files):
        return
    key = _key(argv)
    entry = _Entry(
        key=key,
        environment=recorder.environment,
        files=files,
        environ=tuple(sorted(recorder.environ.items())),
        projects=tuple((str(root), own, names) for root, own, names in recorder.projects),
        answer=Answer(recorder.stdout.getvalue(), recorder.stderr.getvalue(), status),
    )
    data = pickle.dumps((_SCHEMA, entry), protocol=pickle.HIGHEST_PROTOCOL)
    write_cache_file(_path(cache_dir, key), data)


class _Tee(io.TextIOBase):
    def __init__(self, through: TextIO, copy: io.StringIO, *, everything: bool) -> None:
        self.through = through
        self.copy = copy
        self.everything = everything

    def write(self, text: str) -> int:
        if self.everything or text.startswith("flake8-reqs: "):
            self.copy.write(text)
        return self.through.write(text)

    def flush(self) -> None:
        self.through.flush()

    def isatty(self) -> bool:
        return self.through.isatty()


def _key(argv: Sequence[str]) -> str:
    return repr((__version__, _SCHEMA, sys.executable, sys.path, os.getcwd(), list(argv)))


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "runs" / f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.pickle"
