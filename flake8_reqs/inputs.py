"""The user's input files: read whole, and recorded so a state knows what it was built from."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from flake8_reqs.cache.stamps import Stamp, stamp_file
from flake8_reqs.errors import ReqsInputError


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


def read_bytes(path: Path, display: str) -> bytes:
    """The contents of a metadata file.

    Raises ReqsInputError (about the whole file) when it cannot be read.
    """
    note_read(path)
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ReqsInputError(display, None, "no such file") from None
    except IsADirectoryError:
        raise ReqsInputError(display, None, "is a directory, not a file") from None
    except OSError as exc:
        raise ReqsInputError(display, None, f"cannot be read: {exc.strerror or exc}") from None


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
