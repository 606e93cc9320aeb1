"""The files flake8 would check, found the way flake8 finds them, and the folders looked in.

flake8's own discovery matches every pattern with fnmatch one name at a time, which
costs more than a warm ``flake8-reqs check`` of a large project. This is the same walk
with each pattern list compiled once into one regular expression; a test holds it to
flake8's ``expand_paths`` on the same trees. The folders it walked are returned too: a
stored result stays valid only while none of them has gained or lost an entry.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flake8_reqs.cache.stamps import Stamp, stamp_file

Matcher = Callable[[str], object]  # truthy when the text matches
# What a run lists beside the files flake8 checks: the notebooks (REQ201 reads them).
NOTEBOOKS = ("*.ipynb",)


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]  # as flake8 names them: "./pkg/mod.py" for the path "."
    folders: tuple[str, ...]  # every folder walked, excluded ones not included
    # Folders that could not be listed, with why: their files are not among ``files``.
    unlisted: tuple[tuple[str, str], ...] = ()
    also: tuple[str, ...] = ()  # the files found that match discover's ``also`` patterns
    # With stamp_folders: each folder walked (by absolute path), stamped once listed.
    stamps: dict[str, Stamp] = field(default_factory=dict)


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str],
    filename_patterns: Sequence[str],
    also: Sequence[str] = (),
    stamp_folders: bool = False,
) -> Discovery:
    """flake8's ``expand_paths`` for ``paths`` (stdin excluded), with the folders walked;
    and, in the same walk, the files that are not excluded and match ``also``; with
    ``stamp_folders``, each folder's stamp (a stored answer depends on them: taken here,
    while the prescan reads, instead of after the last file is read)."""
    excluded = _matcher(exclude)
    wanted = _matcher(filename_patterns) if filename_patterns else None
    extra = _matcher(also)
    found_also: list[str] = []
    files: list[str] = []
    folders: list[str] = []
    unlisted: list[tuple[str, str]] = []
    stamps: dict[str, Stamp] = {}

    def cannot_list(error: OSError) -> None:
        folder = str(error.filename)
        folders.append(folder)  # a stored answer must not outlive a change to it
        unlisted.append((folder, error.strerror or str(error)))

    def is_excluded(path: str) -> bool:
        if excluded is None:
            return False
        name = os.path.basename(path)
        if name not in {".", ".."} and excluded(name):
            return True
        return bool(excluded(os.path.abspath(path)))

    def is_excluded_in(folder: str, name: str) -> bool:
        """is_excluded(os.path.join(root, name)) for an entry ``name`` of a folder whose
        absolute path is ``folder``: an entry's name has no separator and is never "." or
        "..", so joining it keeps the path normal and abspath is not needed."""
        return excluded is not None and bool(excluded(name) or excluded(os.path.join(folder, name)))

    for path in paths or ["."]:
        if path == "-" or is_excluded(path):
            continue
        if not os.path.isdir(path):
            files.append(path)  # named on the command line: checked whatever its name
            continue
        for root, subdirectories, names in os.walk(path, onerror=cannot_list):
            folders.append(root)
            absolute = os.path.abspath(root)
            if stamp_folders:
                stamps[absolute] = stamp_file(absolute)
            subdirectories[:] = [
                name for name in subdirectories if not is_excluded_in(absolute, name)
            ]
            for name in names:
                joined = os.path.join(root, name)
                if wanted is None or wanted(joined):
                    found = files
                elif extra is not None and extra(joined):
                    found = found_also
                else:
                    continue  # taken by neither: whether it is excluded does not matter
                if not is_excluded_in(absolute, name):
                    found.append(joined)
    return Discovery(tuple(files), tuple(folders), tuple(unlisted), tuple(found_also), stamps)


def _matcher(patterns: Sequence[str]) -> Matcher | None:
    """``fnmatch.fnmatch(text, p)`` for any ``p`` in ``patterns``, as one regex; None when
    there are no patterns. Case is normalised with os.path.normcase, as fnmatch does."""
    if not patterns:
        return None
    alternatives = (fnmatch.translate(os.path.normcase(pattern)) for pattern in patterns)
    expression = re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))
    if os.path.normcase("A") == "A":
        return expression.match
    return lambda text: expression.match(os.path.normcase(text))
