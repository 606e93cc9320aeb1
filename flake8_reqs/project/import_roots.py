"""Import roots: the folders Python puts on sys.path for a file, and the names they give it.

A script run directly has its own folder on sys.path (``python tools/train.py`` puts
``tools/`` there), ``python -m`` the working directory, and a module may add folders
itself (``sys.path.insert(0, ...)``). So, for a file of a project, these folders hold
first-party modules too:

- its own folder, when that is not a package (inside a package, ``import jwt`` is
  absolute: a sibling ``jwt.py`` does not hide an undeclared distribution);
- each folder between the project root and it that is not a package, holds Python
  files and is not inside a package (``tools/`` for ``tools/datasets/coco.py``);
- the working directory flake8 runs in, when the file is below it and it is not a package;
- the folders the file adds to sys.path, for the imports after that line.

The project root, its ``src/`` and the folders beside a ``manage.py`` count for every
file of the project (project/root.py, first_party_names).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.code.folders import is_package, listing, module_names_in

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.code.sys_path import PathAddition


class FileRoots:
    """The first-party names a file's own import roots give its imports.

    A plain class: it is defined on every editor run, and a NamedTuple costs several times
    as much to define (bench/README.md, editor latency); it is never stored.
    """

    __slots__ = ("added", "names")

    def __init__(
        self,
        names: frozenset[str] = frozenset(),
        added: tuple[tuple[int, frozenset[str]], ...] = (),
    ) -> None:
        self.names = names  # for every import of the file
        self.added = added  # (line, names): for the imports after that line

    def covers(self, ref: ImportRef) -> bool:
        """Whether ``ref`` imports a module of the file's import roots."""
        top = ref.top_level
        return (
            ref.fallback
            or top in self.names
            or any(ref.line > line and top in names for line, names in self.added)
        )


def import_root_folders(filename: str, root: Path, working_directory: Path | None) -> list[str]:
    """The folders (absolute) that put modules on sys.path for ``filename`` in the project
    at ``root``, besides the project's own (see the module docstring); nearest first."""
    folder = os.path.dirname(os.path.abspath(filename))
    return list(folder_roots(folder, root, working_directory))


# The files of a folder share their import roots, and a whole-project check asks for each
# file twice. Kept as the folder listings are (code/folders.py), and forgotten with them
# (project/root.py, forget_tree).
@functools.lru_cache(maxsize=4096)
def folder_roots(folder: str, root: Path, working_directory: Path | None) -> tuple[str, ...]:
    """import_root_folders of the files in ``folder`` (absolute)."""
    found = [] if is_package(folder) else [folder]
    relative = os.path.relpath(folder, root)
    if relative != "." and not relative.startswith(".."):
        current = os.fspath(root)
        between = []
        for part in relative.split(os.sep)[:-1]:
            current = os.path.join(current, part)
            if is_package(current):
                break  # everything below is inside this package
            if listing(current).has_python:
                between.append(current)
        found += reversed(between)
    if working_directory is not None:
        cwd = os.fspath(working_directory)
        below = os.path.relpath(folder, cwd)
        is_below = below == "." or not below.startswith("..")
        if is_below and cwd not in found and not is_package(cwd):
            found.append(cwd)
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def folder_names(folder: str, root: Path, working_directory: Path | None) -> frozenset[str]:
    """The names the import roots of the files in ``folder`` (absolute) give them: the same
    for every file there, and kept with folder_roots."""
    found = (module_names_in(one) for one in folder_roots(folder, root, working_directory))
    return frozenset().union(*found)


def forget() -> None:
    """Forget the import roots and names kept by folder (project/root.py, forget_tree)."""
    folder_roots.cache_clear()
    folder_names.cache_clear()


def file_roots(
    filename: str,
    root: Path,
    working_directory: Path | None,
    additions: Sequence[PathAddition] = (),
) -> FileRoots:
    """The names ``filename``'s import roots give it (its project's root at ``root``)."""
    folder = os.path.dirname(os.path.abspath(filename))
    names = folder_names(folder, root, working_directory)
    added = tuple(
        (addition.line, module_names_in(addition.folder(filename, root))) for addition in additions
    )
    return FileRoots(names, added)
