"""The user's input files: read whole, and recorded so a state knows what it was built from."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from flake8_reqs.cache.stamps import Stamp, stamp_file
from flake8_reqs.errors import ReqsInputError

# No input of ours is near this: the largest requirements file we have seen is a few MB, and
# a generated Python module of 100 MB would take gigabytes to parse. Past it, or from
# /dev/zero, reading on would only exhaust memory.
MAX_BYTES = 100_000_000
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# Opening a FIFO for reading waits for a writer; O_NONBLOCK makes open return at once, so
# that fstat can refuse it. It changes nothing for a regular file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Unreadable(Exception):
    """Why a path cannot be read as an input file; ``reason`` reads after the file's name."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing  # there is nothing at the path


class Inputs:
    """What a build read: files (found or not), each with its stamp from just before it was
    first read, and environment variables."""

    def __init__(self) -> None:
        self.files: dict[str, Stamp] = {}
        self.environ: dict[str, str | None] = {}


_recording: list[Inputs] = []


@contextlib.contextmanager
def recording() -> Iterator[Inputs]:
    """Collect what note_read and note_environ report while the block runs."""
    inputs = Inputs()
    _recording.append(inputs)
    try:
        yield inputs
    finally:
        _recording.remove(inputs)


def note_read(path: str | os.PathLike[str]) -> None:
    """Called by every reader before it opens (or fails to open) an input file.

    The stamp is taken now, before the read: a file changed while it is read, or later,
    no longer matches it, so an entry built from it is not used again.
    """
    if not _recording:
        return
    path = os.path.abspath(path)
    stamp = stamp_file(path)
    for inputs in _recording:
        inputs.files.setdefault(path, stamp)


def note_environ(name: str, value: str | None) -> None:
    """Called when a requirement file expands ``${name}``."""
    for inputs in _recording:
        inputs.environ[name] = value


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at ``path`` (a symlink is followed), at most MAX_BYTES.

    Never waits on a FIFO nor reads a device: anything but a regular file is refused, and
    so is a file larger than MAX_BYTES. Raises Unreadable.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: NUL in the name
        raise Unreadable("no such file", missing=True) from None
    except IsADirectoryError:
        raise Unreadable("is a directory, not a file") from None
    except OSError as exc:
        # A socket cannot be opened at all (ENXIO): say what it is rather than why not.
        raise Unreadable(_kind_of(path) or f"cannot be read: {exc.strerror or exc}") from None
    with open(descriptor, "rb", closefd=True) as file:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise Unreadable("is a directory, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(_not_regular(status.st_mode))
        if status.st_size > MAX_BYTES:
            raise Unreadable(_too_large())
        try:
            # As many bytes as fstat said and one more (a buffer of MAX_BYTES for each file
            # cost more than reading it); a file that has grown since is read on.
            data = file.read(status.st_size + 1)
            if len(data) > status.st_size:
                data += file.read(MAX_BYTES + 1 - len(data))
        except OSError as exc:
            raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise Unreadable(_too_large())
    return data


def _kind_of(path: str | os.PathLike[str]) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else _not_regular(mode)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"is {kind}, not a regular file"


def _too_large() -> str:
    return f"is larger than {MAX_BYTES // 1_000_000} MB, the most flake8-reqs reads"


def read_bytes(path: Path, display: str) -> bytes:
    """The contents of a metadata file.

    Raises ReqsInputError (about the whole file) when it cannot be read.
    """
    note_read(path)
    try:
        return read_file(path)
    except Unreadable as exc:
        raise ReqsInputError(display, None, exc.reason) from None


def read_text(path: Path, display: str) -> str:
    """The UTF-8 text of a metadata file, with '\\n' line endings.

    Raises ReqsInputError (about the whole file) when it cannot be read or is not UTF-8.
    """
    data = read_bytes(path, display)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"is not valid UTF-8 text (line {line}); save it as UTF-8"
        raise ReqsInputError(display, None, message) from None
    # Line numbers count what the parsers count: normalise line endings.
    return text.replace("\r\n", "\n")
