"""The project: its root folder, its default sources and its dev-only paths (its first-party
names: first_party.py)."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from flake8_reqs.code.folders import clear_listings, is_package
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
    # The import roots kept by folder, if they were ever asked for: importing the module
    # to clear them would cost an editor's run that needs none.
    import_roots = sys.modules.get("flake8_reqs.project.import_roots")
    if import_roots is not None:
        import_roots.forget()


def repository_root(start: Path) -> Path:
    """The top folder of the git repository holding ``start`` (a ``.git`` folder or file, as
    in a worktree or submodule), else ``start``. Read from the tree: git is not run."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


# Dev requirement files found beside a runtime source without being named (--reqs-dev-file
# names others). In a requirements/ folder: dev*.txt (dev, development), test*.txt, and
# local.txt, the dev set of cookiecutter-django's layout (base.txt, local.txt, production.txt).
DEV_SOURCE_NAMES = (
    "requirements-dev.txt",
    "requirements_dev.txt",
    "dev-requirements.txt",
    "requirements-test.txt",
    "requirements-tests.txt",
    "requirements_test.txt",
    "test-requirements.txt",
)
_DEV_FOLDER_PATTERNS = ("dev*.txt", "test*.txt", "local.txt")


def candidate_dev_sources(
    folders: Iterable[Path], start: Path, runtime: Iterable[Path]
) -> tuple[tuple[SourceFile, ...], tuple[Path, ...]]:
    """The dev requirement files beside the runtime sources in ``folders``, and every path
    looked at (found or not: a file added there later must make a stored state stale)."""
    looked: list[Path] = []
    found: list[Path] = []
    taken = set(runtime)
    for folder in dict.fromkeys(folders):
        for name in DEV_SOURCE_NAMES:
            looked.append(folder / name)
            if (folder / name).is_file():
                found.append(folder / name)
        listed = [folder / "requirements"] + ([folder] if folder.name == "requirements" else [])
        for requirements in listed:
            looked.append(requirements)
            if not requirements.is_dir():
                continue
            for pattern in _DEV_FOLDER_PATTERNS:
                found += sorted(path for path in requirements.glob(pattern) if path.is_file())
    sources = tuple(
        SourceFile(path, os.path.relpath(path, start))
        for path in dict.fromkeys(found)
        if path not in taken
    )
    return sources, tuple(looked)


def root_files(root: Path) -> list[Path]:
    """The files in a project root that decide which sources and system files are used."""
    return [root / name for name in (*ROOT_MARKERS, *SYSTEM_FILES)]


def candidate_sources(root: Path, start: Path) -> tuple[SourceFile, ...]:
    """The files looked at, in order, when no --reqs-file is given."""
    return tuple(
        SourceFile(root / name, os.path.relpath(root / name, start)) for name in DEFAULT_SOURCES
    )


def is_dev_path(filename: str, root: Path, globs: tuple[str, ...]) -> bool:
    """Whether ``filename`` matches a dev glob: a glob with a ``/`` (``tests/*``) against its
    path from the root or any tail of it; one without (``test_*.py``) against its file name;
    one that starts with ``/`` only against the path from the root (``/tasks.py`` is invoke's
    file at the root, not a Celery app's ``app/tasks.py``)."""
    path = os.path.abspath(filename)
    top = os.path.normcase(os.fspath(root))
    prefix = top if top.endswith(os.sep) else top + os.sep
    if os.path.normcase(path) == top or os.path.normcase(path).startswith(prefix):
        # Asked for every file of a project: string work, no Path objects
        parts = tuple(part for part in path[len(prefix) :].split(os.sep) if part)
        inside = True
    else:
        parts = Path(path).parts[-3:]  # outside the project: judge by the last few components
        inside = False
    anchored, names, tails = _dev_matchers(globs)
    if inside and anchored("/".join(parts)):
        return True
    # A glob without a '/' names files: it matches the file name only, since fnmatch's '*'
    # also crosses '/' ("test_*.py" must not match "test_data/app.py").
    return bool(parts) and (names(parts[-1]) is not None or tails("/".join(parts)) is not None)


@functools.lru_cache(maxsize=8)
def _dev_matchers(
    globs: tuple[str, ...],
) -> tuple[Callable[[str], object], Callable[[str], object], Callable[[str], object]]:
    """is_dev_path's three kinds of glob, each compiled once into one regex: those that
    start with '/', those without a '/', and the rest, which match from the start of the
    path or after any '/' in it."""
    anchored = _glob_matcher(tuple(glob[1:] for glob in globs if glob.startswith("/")))
    names = _glob_matcher(tuple(glob for glob in globs if "/" not in glob))
    tails = tuple(glob for glob in globs if "/" in glob and not glob.startswith("/"))
    return anchored, names, _glob_matcher(tails, after_slash=True)


@functools.lru_cache(maxsize=8)
def _glob_matcher(globs: tuple[str, ...], after_slash: bool = False) -> Callable[[str], object]:
    """fnmatchcase against any of ``globs``, compiled once into one regex; with
    ``after_slash``, against the whole text or any tail of it that follows a '/'."""
    expression = "|".join(f"(?:{fnmatch.translate(glob)})" for glob in globs) or "(?!)"
    if after_slash and globs:
        expression = f"(?s:.*/)?(?:{expression})"
    return re.compile(expression).match
