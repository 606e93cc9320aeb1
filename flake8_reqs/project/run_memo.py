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
stored then, as git does for its index. Answers are JSON data (cache/codec.py), with the
environment variables kept as hashes of their values.
"""

from __future__ import annotations

import io
import os
import sys
import time
import zlib

from flake8_reqs import __version__
from flake8_reqs.cache import stamped
from flake8_reqs.cache.codec import (
    INT,
    TEXT,
    Fixed,
    FrozenSetOf,
    Record,
    TupleOf,
    read_entry,
    write_entry,
)
from flake8_reqs.cache.stamps import is_racy, stamp_files, unchanged
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.project.first_party import first_party_names

# Not typing's TYPE_CHECKING, nor typing's NamedTuple, nor pathlib: a warm check imports this
# module (commands/warm.py), and each of those costs milliseconds to import.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import contextlib
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from typing import Any, TextIO

    from flake8_reqs.cache.stamps import Stamp

# 2: one entry per project of the run; 3: JSON, stamps with inode and ctime, hashed
# environment values
_SCHEMA = 3
_CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml")


class Answer(NamedTuple):
    """What the check printed and its exit status."""

    stdout: str
    stderr: str
    status: int


# An entry's fields: key, environment, files, environ, projects (each project's root, own
# names and first-party names), answer.
_FIELDS = {
    "key": TEXT,
    "environment": stamped.STAMPS,
    "files": stamped.STAMPS,
    "environ": stamped.ENVIRON,
    "projects": TupleOf(Fixed(TEXT, FrozenSetOf(TEXT), FrozenSetOf(TEXT))),
    "answer": Record(Answer, TEXT, TEXT, INT),
}


def lookup(argv: Sequence[str], cache_dir: str | os.PathLike[str]) -> Answer | None:
    """The stored answer for ``argv`` in the working directory, if still valid."""
    key = _key(argv)
    entry = read_entry(_path(cache_dir, key), "answer", _SCHEMA, _FIELDS)
    if entry is None:  # none, or damaged, foreign or planted: only a miss
        return None
    answer: Answer = entry["answer"]
    return answer if entry["key"] == key and _still_valid(entry) else None


def _still_valid(entry: dict[str, Any]) -> bool:
    return (
        stamped.stamp_environment() == entry["environment"]
        and unchanged(entry["files"])
        and stamped.environ_holds(entry["environ"])
        and all(
            first_party_names(root, own_names) == first_party
            for root, own_names, first_party in entry["projects"]
        )
    )


class Recorder:
    """What a check run printed, and what it depended on."""

    def __init__(self) -> None:
        self.started_ns = time.time_ns()
        self.environment = stamped.stamp_environment()
        self.paths: list[str] = []
        self.environ: dict[str, str | None] = {}  # variable -> hash of its value (stamped)
        # Stamps taken as the files were read (absolute path -> stamp): not taken again.
        self.stamps: dict[str, Stamp] = {}
        self.complete = False  # whether what the run depends on is all recorded
        # Each project's root, own names and first-party names, checked again on lookup.
        self.projects: list[tuple[Path, frozenset[str], frozenset[str]]] = []
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()

    def depend_on(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.paths.extend(os.fspath(path) for path in paths)

    def capturing(self) -> contextlib.ExitStack:
        """A context in which what the run prints is copied into the recorder; a progress
        line is not an answer."""
        import contextlib  # not at the top: a warm check imports this module, not it

        stack = contextlib.ExitStack()
        stack.enter_context(
            contextlib.redirect_stdout(_Tee(sys.stdout, self.stdout, everything=True))
        )
        stack.enter_context(
            contextlib.redirect_stderr(_Tee(sys.stderr, self.stderr, everything=False))
        )
        return stack


def store(argv: Sequence[str], cache_dir: Path, recorder: Recorder, status: int) -> None:
    """Keep the answer, unless a stamp is racy or the recorder misses what it needs."""
    if not recorder.complete:
        return
    from pathlib import Path

    config = [
        folder / name for folder in (Path.cwd(), *Path.cwd().parents) for name in _CONFIG_FILES
    ]
    named = [arg.partition("=")[2] or arg for arg in argv]  # --config=x.cfg, --entry main.py
    paths: list[str | os.PathLike[str]] = [*recorder.paths, *config]
    paths += [arg for arg in named if os.path.isfile(arg)]
    absolute = (path if os.path.isabs(path) else os.path.abspath(path) for path in paths)
    files = stamp_files(absolute, recorder.stamps)
    if any(is_racy(stamp[1], recorder.started_ns) for stamp in files):
        return
    key = _key(argv)
    entry = {
        "key": key,
        "environment": recorder.environment,
        "files": files,
        "environ": tuple(sorted(recorder.environ.items())),
        "projects": tuple((str(root), own, names) for root, own, names in recorder.projects),
        "answer": Answer(recorder.stdout.getvalue(), recorder.stderr.getvalue(), status),
    }
    write_entry(_path(cache_dir, key), "answer", _SCHEMA, _FIELDS, entry)


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
    user = os.getuid() if hasattr(os, "getuid") else None
    return repr((__version__, _SCHEMA, sys.executable, sys.path, user, os.getcwd(), list(argv)))


def _path(cache_dir: str | os.PathLike[str], key: str) -> str:
    name = f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.json"
    return os.path.join(cache_dir, "runs", name)
