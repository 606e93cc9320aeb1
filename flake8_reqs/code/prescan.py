"""Prescan: the files' imports read by a forked process while the run starts up.

Before ``check`` reads its first file it imports flake8, parses flake8's options (which
loads every plugin) and builds each project's state: a third of a cold run on a project of
a few hundred files, on one core while the others wait (bench/README.md). Which files to
read, and for which target Python, are known only after that. A process forked at the
start guesses both: the ``.py`` files flake8 finds under the paths on the command line,
with the excludes of the command line and of flake8's configuration file as far as they
can be read without flake8 (prescan_files.guessed_excludes), and an unknown version on
Linux. It reads them, largest first,
into an anonymous memory file, one line each; scan_files takes what it has read, and with
two jobs reads the rest from the smallest while it reads on, until they meet
(code/scan.py). It is killed when the files are read. Its walk of the folders comes first,
in a line of its own: the run takes it instead of walking again when it would have walked
with the same arguments (the paths, the excludes and the file name patterns: ``listed``).

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

import contextlib
import os
import sys

# This module is imported before the command line is parsed (commands/entry.py): what the
# prescan needs is imported by the process that reads, after the fork; not typing's
# TYPE_CHECKING, which costs milliseconds to import (cache/codec.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_reqs.code.discover import Discovery
    from flake8_reqs.code.prescan_files import Listing, Walk
    from flake8_reqs.code.scan import PrescannedFile


class Prescan:
    """A prescan under way: its process, and the memory file it writes to."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.read_to = 0  # the end of the last line polled
        self.running = True
        self.killed = False  # it died of a signal this process did not send
        self.reading: str | None = None  # the file it was reading at the last poll
        # Every file read to the end by the last poll: a run's projects of other targets
        # are read later, from what was polled before.
        self.answers: dict[str, PrescannedFile] = {}
        self.listing: Listing | None = None  # what its walk found, once it has said

    def listed(self, walk: Walk) -> Discovery | None:
        """What its walk of the folders found, if it walked with the arguments ``walk``
        (code/discover.py's paths, excludes, filename patterns and other patterns) and has
        finished walking; else None (it is not waited for)."""
        if self.listing is None:
            self.poll()
        listing = self.listing
        return listing.discovery if listing is not None and listing.walk == walk else None

    def poll(self) -> dict[str, PrescannedFile]:
        """The files it has read to the end since the last poll, by path."""
        from flake8_reqs.cache.codec import Mismatch
        from flake8_reqs.code.prescan_files import Listing, decoded

        if self.fd < 0:
            return {}
        if self.running:
            try:
                ended, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by something else: it has ended
                ended, status = self.pid, 0
            if ended:
                self.running, self.killed = False, os.WIFSIGNALED(status)
        data = os.pread(self.fd, os.fstat(self.fd).st_size - self.read_to, self.read_to)
        end = data.rfind(b"\n") + 1  # a line still being written is left for the next poll
        self.read_to += end
        found = {}
        for line in data[:end].splitlines():
            try:
                item = decoded(line)
            except (ValueError, TypeError, Mismatch):  # pragma: no cover - it writes them
                continue
            if isinstance(item, str):  # it starts reading this one
                self.reading = item
            elif isinstance(item, Listing):
                self.listing = item
            else:
                found[item.path] = item
        self.answers.update(found)
        return found

    def stop(self) -> dict[str, PrescannedFile]:
        """End the prescan (if it has not ended); the files it read since the last poll."""
        if self.fd < 0:
            return {}
        if self.running:
            import signal

            self.running = False
            # Not reaped yet (SIGCHLD is not ignored: _start), so the pid is still its own.
            os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        try:
            return self.poll()
        finally:
            os.close(self.fd)
            self.fd = -1


_handed: Prescan | None = None  # started by start_early, for start to hand over


def start_early(options: Sequence[str]) -> None:
    """Start the prescan of ``flake8-reqs check`` before its command line (``options``,
    after ``check``) is parsed, for start to hand over; not when -j asks for one process."""
    global _handed
    jobs = 2
    for position, option in enumerate(options):
        value = None
        if option in ("-j", "--jobs") and position + 1 < len(options):
            value = options[position + 1]
        elif option.startswith("--jobs="):
            value = option.partition("=")[2]
        elif option.startswith("-j") and not option.startswith("--"):
            value = option[2:]
        if value is not None:
            jobs = int(value) if value.strip().isdigit() else 2  # argparse decides the rest
    _handed = _start(options, jobs)


def stop_early() -> None:
    """Stop a prescan start_early started that start did not hand over (a usage error)."""
    global _handed
    if _handed is not None:
        _handed.stop()
        _handed = None


def start(flake8_args: Sequence[str], jobs: int) -> Prescan | None:
    """A prescan of the files ``flake8_args`` name (or of ``.``), or the one start_early
    started; None when there is no core to spare, or no safe way to fork here."""
    global _handed
    early, _handed = _handed, None
    if early is None:
        return _start(flake8_args, jobs)
    if jobs < 2:
        early.stop()
        return None
    return early


def _start(flake8_args: Sequence[str], jobs: int) -> Prescan | None:
    import signal

    threading = sys.modules.get("threading")
    if (
        jobs < 2
        or sys.platform != "linux"
        or not hasattr(os, "memfd_create")
        or (threading is not None and threading.active_count() > 1)  # fork is unsafe then
        # With SIGCHLD ignored the child is reaped as it ends, and its pid may be reused
        # before stop sends it SIGKILL.
        or signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN
    ):
        return None
    try:
        fd = os.memfd_create("flake8-reqs-prescan", os.MFD_CLOEXEC)
    except OSError:
        return None
    run = os.getpid()
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
            from flake8_reqs.import_path import drop_working_directory

            drop_working_directory()  # nothing it imports may come from the project
            from flake8_reqs.code.prescan_files import read_all

            read_all(fd, flake8_args, run)
        finally:
            os._exit(0)
    return Prescan(pid, fd)
