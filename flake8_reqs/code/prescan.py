"""Prescan: the files' imports read by a forked process while the run starts up.

Before ``check`` reads its first file it imports flake8, parses flake8's options (which
loads every plugin) and builds each project's state: a third of a cold run on a project of
a few hundred files, on one core while the others wait (bench/README.md). Which files to
read, and for which target Python, are known only after that. A process forked at the
start guesses both: the ``.py`` files flake8 finds with its default excludes under the
paths on the command line, and an unknown version on Linux. It reads them, largest first,
into an anonymous memory file, one line each; scan_files takes what it has read, and with
two jobs reads the rest from the smallest while it reads on, until they meet
(code/scan.py). It is killed when the files are read.

Its guesses are never taken on trust. A file's result is used only when
- the file still has the stamp the prescan took before reading it (and that stamp was not
  taken so soon after a change that a second change could keep it: cache/stamps.py), and
- the result did not depend on the target (nothing asked the guessed target anything: no
  ``sys.version_info`` or ``sys.platform`` guard), or was read for the run's own target.
So a file is either answered as scan_files would answer it, or read again. Nothing is
executed, and nothing the prescan writes outlives the run.

It is Linux only (``os.fork`` of a process that has no thread yet, ``os.memfd_create``),
and only with more than one job.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from flake8_reqs.cache.codec import BOOL, INT, TEXT, Fixed, Mismatch, Optional, Record, TupleOf
from flake8_reqs.cache.stamps import Stamp
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports_cache import Refs
from flake8_reqs.code.scan import NO_MEMORY, TOO_DEEP, PrescannedFile
from flake8_reqs.code.sys_path import PathAddition

_GUESS = Target(None, "linux", None)
_TARGET = Fixed(Optional(Fixed(INT, INT)), TEXT, Optional(TEXT))
# path, stamp, content digest, the target the result depends on (None: on none), error,
# imports, sys.path additions: one JSON array a line.
_LINE = Fixed(
    TEXT,
    Fixed(INT, INT, INT, INT),
    TEXT,
    Optional(_TARGET),
    Optional(TEXT),
    Refs(),
    TupleOf(Record(PathAddition, INT, BOOL, TEXT)),
)


class Prescan:
    """A prescan under way: its process, and the memory file it writes to."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.read_to = 0  # the end of the last line polled
        self.running = True
        self.killed = False  # it died of a signal this process did not send
        self.reading: str | None = None  # the file it was reading at the last poll

    def poll(self) -> dict[str, PrescannedFile]:
        """The files it has read to the end since the last poll, by path."""
        if self.fd < 0:
            return {}
        if self.running:
            ended, status = os.waitpid(self.pid, os.WNOHANG)
            if ended:
                self.running, self.killed = False, os.WIFSIGNALED(status)
        data = os.pread(self.fd, os.fstat(self.fd).st_size - self.read_to, self.read_to)
        end = data.rfind(b"\n") + 1  # a line still being written is left for the next poll
        self.read_to += end
        found = {}
        for line in data[:end].splitlines():
            try:
                fields = json.loads(line)
                if len(fields) == 1:  # it starts reading this one
                    self.reading = TEXT.decode(fields[0])
                    continue
                path, stamp, digest, target, error, refs, additions = _LINE.decode(fields)
            except (ValueError, TypeError, Mismatch):  # pragma: no cover - it writes them
                continue
            depends = None if target is None else Target(*target)
            found[path] = PrescannedFile(stamp, digest, depends, error, refs, additions)
        return found

    def stop(self) -> dict[str, PrescannedFile]:
        """End the prescan (if it has not ended); the files it read since the last poll."""
        if self.fd < 0:
            return {}
        if self.running:
            import signal

            self.running = False
            os.kill(self.pid, signal.SIGKILL)  # not reaped yet: at worst a zombie
            os.waitpid(self.pid, 0)
        try:
            return self.poll()
        finally:
            os.close(self.fd)
            self.fd = -1


def start(flake8_args: Sequence[str], jobs: int) -> Prescan | None:
    """A prescan of the files ``flake8_args`` name (or of ``.``); None when there is no
    core to spare, or no safe way to fork here."""
    threading = sys.modules.get("threading")
    if (
        jobs < 2
        or sys.platform != "linux"
        or not hasattr(os, "memfd_create")
        or (threading is not None and threading.active_count() > 1)  # fork is unsafe then
    ):
        return None
    try:
        fd = os.memfd_create("flake8-reqs-prescan", os.MFD_CLOEXEC)
    except OSError:
        return None
    paths = [arg for arg in flake8_args if not arg.startswith("-") and os.path.exists(arg)]
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
        try:
            # Not the run's stdin, stdout or stderr: a reader of its output waits for the
            # end of it, which must not wait for this process.
            null = os.open(os.devnull, os.O_RDWR)
            for std in (0, 1, 2):
                os.dup2(null, std)
            _read_all(fd, paths or ["."])
        finally:
            os._exit(0)
    return Prescan(pid, fd)


def _read_all(fd: int, paths: Sequence[str]) -> None:  # pragma: no cover - in the child
    """Read the files under ``paths``, largest first (as scan_files hands them out, and
    as a file too large for memory is met first), one line each to ``fd``."""
    from flake8.defaults import EXCLUDE

    from flake8_reqs.cache.stamps import MISSING, is_racy, stamp_file
    from flake8_reqs.code.discover import discover

    since = time.time_ns()  # a stamp taken after this can only be trusted if not racy
    files = []
    for name in discover(paths, exclude=EXCLUDE, filename_patterns=("*.py",)).files:
        path = os.path.abspath(name)
        stamp = stamp_file(path)
        if stamp != MISSING and not is_racy(stamp[0], since):
            files.append((path, stamp))
    files.sort(key=lambda item: -item[1][1])
    for path, stamp in files:
        _write(fd, json.dumps([path]))  # what it reads: poll knows what killed it
        line = _read_one(path, stamp)
        if line is not None:
            _write(fd, line)


def _write(fd: int, line: str) -> None:  # pragma: no cover - in the child
    view = memoryview((line + "\n").encode())
    while view:
        view = view[os.write(fd, view) :]


_asked: list[bool] = []


class _Watched(Target):
    """The guessed target, noting in ``_asked`` that the reading asked it something."""

    __slots__ = ()

    @property
    def version(self) -> tuple[int, int] | None:
        _asked.append(True)
        return super().version

    @property
    def platform(self) -> str:
        _asked.append(True)
        return super().platform

    @property
    def libc(self) -> str | None:
        _asked.append(True)
        return super().libc


def _read_one(path: str, stamp: Stamp) -> str | None:  # pragma: no cover - in the child
    """The line of the file ``path`` (``stamp`` taken before it is read), or None when its
    result depends on more than the file (how deep this process's stack is)."""
    from flake8_reqs.code.imports_cache import content_digest
    from flake8_reqs.code.scan import parse_file
    from flake8_reqs.inputs import Unreadable, read_file

    try:
        data = read_file(path)
    except Unreadable:
        return None
    _asked.clear()
    scanned = parse_file(Path(path), data, _Watched(*_GUESS))
    if scanned.error in (TOO_DEEP, NO_MEMORY):
        return None
    target = tuple(_GUESS) if _asked else None
    record = (path, stamp, content_digest(data), target, scanned.error, scanned.refs)
    return json.dumps(_LINE.encode((*record, scanned.additions)))
