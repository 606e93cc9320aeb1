"""The project: its root folder, its first-party module names and its dev-only paths."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from flake8_reqs.code.folders import clear_listings, is_package, listing, module_names_in
from flake8_reqs.settings import SourceFile

# The requirement sources read by default, in order.
DEFAULT_SOURCES = ("pyproject.toml", "setup.cfg", "setup.py", "requirements.txt")
# Any of these marks a project root (a Pipfile project declares nothing we read, but it is
# a project of its own: its files are not judged by the requirements of a folder above it).
ROOT_MARKERS = (*DEFAULT_SOURCES, "Pipfile")
SYSTEM_FILES = ("Dockerfile", "Containerfile", "Aptfile")  # read from the root by default


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards holding one of ROOT_MARKERS, else ``start``."""
    found = nearest_root(os.fspath(start))
    return start if found is None else Path(found)


@functools.lru_cache(maxsize=4096)
def nearest_root(folder: str) -> str | None:
    """The nearest folder from ``folder`` (absolute) upwards holding one of ROOT_MARKERS, or
    None; each folder is looked at once per process or forget_tree()."""
    found = [marker for marker in ROOT_MARKERS if os.path.isfile(os.path.join(folder, marker))]
    # In or below a package, a setup.py or setup.cfg is one of its modules or its tools'
    # configuration (config/settings/loggers/setup.py), not a project's metadata.
    if any(not name.startswith("setup.") for name in found) or (found and not _in_package(folder)):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else nearest_root(parent)


def project_root(folder: str, search_from: Path) -> Path:
    """The root of the project the files in ``folder`` (absolute) belong to: the nearest
    folder at or above it with one of ROOT_MARKERS, else the one found from ``search_from``
    (the run's own)."""
    found = nearest_root(folder)
    return find_root(search_from) if found is None else Path(found)


def _in_package(folder: str) -> bool:
    while True:
        if is_package(folder):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def forget_tree() -> None:
    """Forget the roots and folder listings seen: a new run sees the tree as it is now."""
    nearest_root.cache_clear()
    clear_listings()


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
        SourceFile(root / name, os.path.relpath(root / name, start)) for name in DEFAULT_SOURCES
    )


def first_party_names(root: Path, extra: frozenset[str]) -> frozenset[str]:
    """Names of the project's own top-level modules: in the root, in ``src/``, beside a
    ``manage.py`` in a folder of the root (Django runs from there, and pytest-django puts
    that folder on sys.path), and ``extra``."""
    names = module_names_in(root) | module_names_in(root / "src") | extra
    for folder in manage_py_folders(root):
        names |= module_names_in(folder)
    return names


def manage_py_folders(root: Path) -> list[Path]:
    """The folders of the root that hold a ``manage.py``: one look per folder, no deeper."""
    return [
        root / name
        for name in listing(os.fspath(root)).subfolders
        if os.path.isfile(os.path.join(root, name, "manage.py"))
    ]


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
