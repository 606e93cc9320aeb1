"""What a folder holds for Python: the modules it puts on sys.path, and whether it is a package."""

from __future__ import annotations

import functools
import os

# Not typing's TYPE_CHECKING: see cache/codec.py.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

MODULE_SUFFIXES = (".py", ".pyi", ".pyc", ".so", ".pyd")


class Listing:
    """One folder's entries as the import system sees them (each folder is listed once)."""

    __slots__ = ("_names", "folder", "has_python", "modules", "subfolders")

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.modules: frozenset[str] = frozenset()  # the names of its module files
        self.subfolders: tuple[str, ...] = ()  # every folder in it that is not hidden
        self.has_python = False  # it holds a .py file of its own
        self._names: frozenset[str] | None = None
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            return
        modules = set()
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == "__pycache__":
                continue
            if _is_dir(entry):
                subfolders.append(name)
            elif name.endswith(MODULE_SUFFIXES):
                self.has_python = self.has_python or name.endswith(".py")
                stem = name.partition(".")[0]
                if stem.isidentifier():
                    modules.add(stem)
        self.modules = frozenset(modules)
        self.subfolders = tuple(subfolders)

    @property
    def names(self) -> frozenset[str]:
        """The top-level names importable from the folder: its modules and its packages
        (a regular package has ``__init__.py``; a namespace package is any folder of
        modules or folders). Each subfolder is looked into on the first use only."""
        if self._names is None:
            packages = (
                name
                for name in self.subfolders
                if name.isidentifier() and _is_package_dir(os.path.join(self.folder, name))
            )
            self._names = self.modules.union(packages)
        return self._names


@functools.lru_cache(maxsize=4096)
def listing(folder: str) -> Listing:
    """The listing of ``folder`` (an absolute path), read once per process or clear_listings()."""
    return Listing(folder)


@functools.lru_cache(maxsize=4096)
def is_package(folder: str) -> bool:
    """Whether ``folder`` (absolute) is a regular package: it holds ``__init__.py``."""
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def clear_listings() -> None:
    """Forget every listing: the next run in this process sees the tree as it is now."""
    listing.cache_clear()
    is_package.cache_clear()


def module_names_in(folder: Path | str) -> frozenset[str]:
    """Top-level names importable from ``folder`` when it is on sys.path."""
    return listing(os.fspath(folder)).names


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
