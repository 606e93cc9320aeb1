"""Writing an edited requirements source: whole or not at all, and never over what it must not.

``fix`` replaces the file by a temporary file renamed into place, so an interrupted run
leaves the old file whole. Before it does, it refuses what would lose or damage something:
a path that is (or links to) a device, FIFO or socket, a read-only file, a file whose owner
it cannot keep, and a file that changed since it was read (an editor saved it meanwhile).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import Unreadable, read_file

_TEMPORARY = ".{name}.flake8-reqs-{pid}-"  # then mkstemp's random letters and ".tmp"
_TEMPORARY_PID = re.compile(r"\.flake8-reqs-(\d+)-[^.]*\.tmp$")
_CHANGED = "changed while fix was editing it; nothing was written: run fix again"


def write_atomically(
    path: Path, text: str, *, display: str | None = None, expected: str | None = None
) -> list[str]:
    """Write ``text`` (UTF-8, line endings as given) to ``path`` through a temporary file
    in the same folder, with the file's mode and owner, fsynced, then renamed into place.

    A symlink is followed, not replaced. With ``expected`` (the text the edit was made
    from), the file is read again just before the rename and left alone if it changed.
    Returns notes for the user: hard links that now keep the old text. Raises
    ReqsInputError, naming the file as ``display``, when it must not or cannot be written.
    """
    shown = str(path) if display is None else display
    target = Path(os.path.realpath(path))
    try:
        return _replace(target, shown, text, expected)
    except OSError as exc:
        message = f"cannot be written: {exc.strerror or exc}"
        raise ReqsInputError(shown, None, message) from None


def _replace(target: Path, shown: str, text: str, expected: str | None) -> list[str]:
    try:
        status: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        if expected is not None:
            raise ReqsInputError(shown, None, _CHANGED) from None
        status = None
    if status is not None:
        _check_writable(status, target, shown)
    _remove_stale_temporaries(target)
    prefix = _TEMPORARY.format(name=target.name, pid=os.getpid())
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            _keep_mode_and_owner(file.fileno(), status, shown)
            os.fsync(file.fileno())
        if expected is not None and _read_now(target) != expected.encode("utf-8"):
            raise ReqsInputError(shown, None, _CHANGED)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    if status is not None and status.st_nlink > 1:
        others = status.st_nlink - 1
        links = "hard link keeps" if others == 1 else "hard links keep"
        return [f"{shown}: its other {others} {links} the old text; only this name was edited"]
    return []


def _check_writable(status: os.stat_result, target: Path, shown: str) -> None:
    """Refuse anything but a regular file, and a file its mode says is read-only."""
    if not stat.S_ISREG(status.st_mode):
        # Renaming over a device node (/dev/null, as root) would replace the device.
        raise ReqsInputError(shown, None, "is not a regular file; fix writes regular files only")
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        # The rename would replace it all the same: the folder is writable, the file not.
        message = "is read-only; fix does not write through a read-only mode"
        raise ReqsInputError(shown, None, message)


def _keep_mode_and_owner(descriptor: int, status: os.stat_result | None, shown: str) -> None:
    """Give the temporary file the old file's mode (mkstemp makes it 0600) and owner."""
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, 0o644 if status is None else stat.S_IMODE(status.st_mode))
    if status is None or not hasattr(os, "fchown"):
        return
    made = os.fstat(descriptor)
    if (made.st_uid, made.st_gid) == (status.st_uid, status.st_gid):
        return
    try:
        os.fchown(descriptor, status.st_uid, status.st_gid)
    except PermissionError:
        message = (
            f"belongs to uid {status.st_uid}, gid {status.st_gid}, which fix cannot give the "
            "edited file; nothing was written: run fix as its owner"
        )
        raise ReqsInputError(shown, None, message) from None


def _read_now(target: Path) -> bytes | None:
    try:
        return read_file(target)
    except Unreadable:
        return None  # gone, or no longer a regular file: changed


def _remove_stale_temporaries(target: Path) -> None:
    """Delete the temporary files that a fix killed mid-write left beside ``target``.

    Each holds its writer's process id; one whose writer still runs is another fix at
    work, and is left alone.
    """
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        found = _TEMPORARY_PID.search(name)
        if name.startswith(f".{target.name}.") and found and not _is_running(int(found[1])):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # no safe way to ask; a stale file stays, harmless
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so that the rename itself survives a power cut (POSIX only)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
