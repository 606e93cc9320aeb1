"""File stamps: what tells that a file or folder is still the one a cache entry was built from.

A stamp is the modification time, size, inode and change time. Modification time and size
alone miss a file replaced by one of the same size with its old time put back (``cp -p``,
``tar -x``, a checkout restored from a cache); the inode and the change time, which no user
can set, do not. A stamp taken within a second of a change is "racy": the file system may
change the file again within the same tick of its clock without changing the stamp, so an
entry with such a stamp is not written to disk (git does the same for its index).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

Stamp = tuple[int, int, int, int]  # (st_mtime_ns, st_size, st_ino, st_ctime_ns)
PathStamps = tuple[tuple[str, int, int, int, int], ...]  # (path, *Stamp) per path

MISSING: Stamp = (-1, -1, -1, -1)  # nothing there, or nothing that can be looked at
RACY_NS = 1_000_000_000


def stamp_file(path: str | os.PathLike[str]) -> Stamp:
    """The stamp of ``path`` now (a folder's changes when an entry is added or removed)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return MISSING
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns


def stamp_files(
    paths: Iterable[str | os.PathLike[str]], taken: Mapping[str, Stamp] | None = None
) -> PathStamps:
    """Each path (once, in order) with its stamp now, or the one ``taken`` before what was
    read of it was read (a file changed since then will not match it: never too new)."""
    unique = dict.fromkeys(os.fspath(path) for path in paths)
    if not taken:
        return tuple((path, *stamp_file(path)) for path in unique)
    return tuple((path, *(taken.get(path) or stamp_file(path))) for path in unique)


def unchanged(stamps: PathStamps) -> bool:
    """Whether every path of ``stamps`` still has its stamp: ``stamp_files`` of the same
    paths compared with ``stamps``, without building a stamp, stopping at the first change.
    A warm check compares thousands (each folder walked is one): this is most of its work.
    """
    stat, exists = os.stat, os.access
    for path, mtime, size, inode, ctime in stamps:
        if (mtime, size, inode, ctime) == MISSING:
            # Most stamps of an editor's entry are files looked for and not found (a root
            # marker or configuration file in each folder above): access() tells without
            # the exception a failed stat() raises, in half the time or less. It fails
            # where stat() does (nothing there, a folder on the way that cannot be searched).
            try:
                if exists(path, os.F_OK):
                    return False
            except ValueError:  # a NUL in the name: never there
                pass
            continue
        try:
            status = stat(path)
        except (OSError, ValueError):  # as in stamp_file: MISSING
            return False
        if (
            status.st_mtime_ns != mtime
            or status.st_size != size
            or status.st_ino != inode
            or status.st_ctime_ns != ctime
        ):
            return False
    return True


def is_racy(mtime_ns: int, since_ns: int) -> bool:
    """Whether a modification time is less than RACY_NS before ``since_ns``, or after it."""
    return mtime_ns > since_ns - RACY_NS
