"""What a folder holds for Python: the modules it puts on sys.path, and whether it is a package."""

from __future__ import annotations

import functools
import os
from pathlib import Path

MODULE_SUFFIXES = (".py", ".pyi", ".pyc", ".so", ".pyd")


class Listing:
    """One folder's entries as the import system sees them (each folder is listed once)."""

    __slots__ = ("has_init", "has_python", "names", "subfolders")

    def __init__(self, folder: str) -> None:
        self.names: frozenset[str] = frozenset()  # importable top-level names
        self.subfolders: tuple[str, ...] = ()  # every folder in it that is not hidden
        self.has_init = False  # a regular package: it holds __init__.py
        self.has_python = False  # it holds a .py file of its own
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            return
        names = set()
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == "__pycache__":
                continue
            if _is_dir(entry):
                subfolders.append(name)
                if name.isidentifier() and _is_package_dir(entry.path):
                    names.add(name)
            elif name.endswith(MODULE_SUFFIXES):
                stem = name.partition(".")[0]
                self.has_python = self.has_python or name.endswith(".py")
                self.has_init = self.has_init or name == "__init__.py"
                if stem.isidentifier():
                    names.add(stem)
        self.names = frozenset(names)
        self.subfolders = tuple(subfolders)


@functools.lru_cache(maxsize=4096)
def listing(folder: str) -> Listing:
    """The listing of ``folder`` (an absolute path), read once per process or clear_listings()."""
    return Listing(folder)


def clear_listings() -> None:
    """Forget every listing: the next run in this process sees the tree as it is now."""
    listing.cache_clear()


def module_names_in(folder: Path | str) -> frozenset[str]:
    """Top-level names importable from ``folder`` when it is on sys.path."""
    return listing(os.fspath(folder)).names


def is_package(folder: Path | str) -> bool:
    """Whether ``folder`` is a regular package (it holds ``__init__.py``)."""
    return listing(os.fspath(folder)).has_init


def _is_package_dir(folder: str) -> bool:
    # A regular package has __init__.py; a namespace package is any folder of modules.
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(MODULE_SUFFIXES) or _is_dir(entry) for entry in entries)
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop (``a -> a``): nothing can be imported from it
        return False
