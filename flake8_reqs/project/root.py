"""The project: its root folder, its first-party module names and its dev-only paths."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from flake8_reqs.settings import SourceFile

# The requirement sources read by default, in order; any of them marks a project root.
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "requirements.txt")
SYSTEM_FILES = ("Dockerfile", "Containerfile", "Aptfile")  # read from the root by default
_MODULE_SUFFIXES = (".py", ".pyi", ".pyc", ".so", ".pyd")


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards holding one of ROOT_MARKERS, else ``start``."""
    for folder in (start, *start.parents):
        if any((folder / marker).is_file() for marker in ROOT_MARKERS):
            return folder
    return start


def repository_root(start: Path) -> Path:
    """The top folder of the git repository holding ``start`` (a ``.git`` folder or file, as
    in a worktree or submodule), else ``start``. Read from the tree: git is not run."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def root_files(root: Path) -> list[Path]:
    """The files in a project root that decide which sources and system files are used."""
    return [root / name for name in (*ROOT_MARKERS, *SYSTEM_FILES)]


def candidate_sources(root: Path, start: Path) -> tuple[SourceFile, ...]:
    """The files looked at, in order, when no --reqs-file is given."""
    return tuple(
        SourceFile(root / marker, os.path.relpath(root / marker, start)) for marker in ROOT_MARKERS
    )


@functools.cache
def module_names_in(folder: Path) -> frozenset[str]:
    """Top-level names importable from ``folder`` when it is on sys.path."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return frozenset()
    names = set()
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name == "__pycache__":
            continue
        if _is_dir(entry):
            if name.isidentifier() and _is_package_dir(Path(entry.path)):
                names.add(name)
        elif name.endswith(_MODULE_SUFFIXES):
            stem = name.partition(".")[0]
            if stem.isidentifier():
                names.add(stem)
    return frozenset(names)


def _is_package_dir(folder: Path) -> bool:
    # A regular package has __init__.py; a namespace package is any folder of modules.
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(_MODULE_SUFFIXES) or _is_dir(entry) for entry in entries)
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop (``a -> a``): nothing can be imported from it
        return False


def first_party_names(root: Path, extra: frozenset[str]) -> frozenset[str]:
    """Names of the project's own top-level modules: in the root, in ``src/``, and ``extra``."""
    return module_names_in(root) | module_names_in(root / "src") | extra


def sibling_names(filename: str) -> frozenset[str]:
    """Modules beside ``filename`` that it can import absolutely.

    Only when its folder is not a package: a script run directly has its own folder on
    sys.path, but inside a package ``import jwt`` is absolute and a sibling ``jwt.py``
    is not what it imports.
    """
    return _siblings_in(os.path.dirname(os.path.abspath(filename)))


@functools.lru_cache(maxsize=4096)
def _siblings_in(folder: str) -> frozenset[str]:
    if os.path.isfile(os.path.join(folder, "__init__.py")):
        return frozenset()
    return module_names_in(Path(folder))


def is_dev_path(filename: str, root: Path, globs: tuple[str, ...]) -> bool:
    """Whether ``filename`` matches a dev glob, against its path from the root or any tail of it."""
    path = Path(os.path.abspath(filename))
    try:
        parts = PurePosixPath(path.relative_to(root).as_posix()).parts
    except ValueError:
        parts = path.parts[-3:]  # outside the project: judge by the last few components
    matches = _glob_matcher(globs)
    return any(matches("/".join(parts[index:])) for index in range(len(parts)))


@functools.lru_cache(maxsize=8)
def _glob_matcher(globs: tuple[str, ...]) -> Callable[[str], object]:
    """fnmatchcase against any of ``globs``, compiled once into one regex."""
    expression = "|".join(f"(?:{fnmatch.translate(glob)})" for glob in globs) or "(?!)"
    return re.compile(expression).match
