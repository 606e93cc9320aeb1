"""ImportGraph: the project's own imports, and the shortest chain from an entry to each file."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.machinery import BYTECODE_SUFFIXES, EXTENSION_SUFFIXES, SOURCE_SUFFIXES
from pathlib import Path

from flake8_reqs.code.imports import ImportRef
from flake8_reqs.errors import ReqsInputError

# FileFinder's order: in one folder an extension module wins over source, source over bytecode.
_SUFFIXES = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES, *BYTECODE_SUFFIXES)
_NOT_FOUND = "entry point not found; give a file (main.py) or a module (main:app, package.module)"


@dataclass(frozen=True)
class Step:
    """One importing statement of a chain."""

    path: str  # the importing file, relative to the project root, POSIX separators
    line: int


@dataclass(frozen=True)
class _Spec:
    """Where a module is: its file (None for a namespace package) and its ``__path__``."""

    file: Path | None
    locations: tuple[Path, ...] | None  # None for a plain module, which has no submodules


class _Finder:
    """Python's path-based finder on the file system, each folder listed once."""

    def __init__(self) -> None:
        self._listings: dict[Path, tuple[frozenset[str], frozenset[str]]] = {}
        self._specs: dict[tuple[str, tuple[Path, ...]], _Spec | None] = {}

    def find(self, name: str, search_path: tuple[Path, ...]) -> _Spec | None:
        key = (name, search_path)
        if key not in self._specs:
            self._specs[key] = self._find(name, search_path)
        return self._specs[key]

    def _find(self, name: str, search_path: tuple[Path, ...]) -> _Spec | None:
        parent, _, tail = name.rpartition(".")
        locations = search_path
        if parent:
            # A submodule is looked for only in its parent package's __path__.
            found = self.find(parent, search_path)
            if found is None or found.locations is None:
                return None
            locations = found.locations
        portions = []
        for folder in locations:
            files, folders = self._listing(folder)
            if tail in folders:
                package = folder / tail
                package_files = self._listing(package)[0]
                for suffix in _SUFFIXES:
                    if "__init__" + suffix in package_files:
                        return _Spec(package / ("__init__" + suffix), (package,))
            for suffix in _SUFFIXES:
                if tail + suffix in files:
                    return _Spec(folder / (tail + suffix), None)
            if tail in folders:
                portions.append(folder / tail)  # a namespace package, unless a later folder wins
        return _Spec(None, tuple(portions)) if portions else None

    def _listing(self, folder: Path) -> tuple[frozenset[str], frozenset[str]]:
        """The names of the files and of the folders in ``folder``, exactly as cased."""
        if folder not in self._listings:
            files: set[str] = set()
            folders: set[str] = set()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        (folders if entry.is_dir() else files).add(entry.name)
            except OSError:
                pass
            self._listings[folder] = (frozenset(files), frozenset(folders))
        return self._listings[folder]


def module_file(name: str, search_path: Sequence[Path]) -> Path | None:
    """The file Python would load for dotted module ``name``, searching ``search_path`` in order.

    A package's ``__init__.py`` or a module's own file; None when the module is missing or
    is a namespace package (a folder without ``__init__.py``, which has no file to run).
    """
    found = _Finder().find(name, tuple(search_path))
    return None if found is None else found.file


def entry_file(spec: str, root: Path) -> Path:
    """The file of an entry point: a path (``main.py``) or a module (``main:app``, ``pkg.mod``).

    Modules are looked for from ``root`` and ``root/src``; a package given without an
    attribute is run by ``python -m``, so its ``__main__.py`` is the entry when it has one.
    Raises ReqsInputError when there is no such file or module.
    """
    module, _, attr = spec.partition(":")
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        path = Path(os.path.normpath(root / spec))
        if path.is_file():
            return path
    elif all(part.isidentifier() for part in module.split(".")):
        found = _Finder().find(module, (root, root / "src"))
        if found is not None and found.file is not None:
            main = found.file.parent / "__main__.py"
            is_run_package = not attr and found.locations is not None and main.is_file()
            return main if is_run_package else found.file
    raise ReqsInputError(spec, None, _NOT_FOUND)


# A module as the BFS sees it: its file, the name it was imported as, and which sys.path
# (an index into ImportGraph._search_paths: states are hashed often, paths hash slowly).
_State = tuple[Path, str, int]


class ImportGraph:
    """Which project files each project file's import statements run, as Python runs them."""

    def __init__(
        self,
        root: Path,
        imports: Mapping[Path, Sequence[ImportRef]],
        load: Callable[[Path], Sequence[ImportRef] | None] | None = None,
        roots: Callable[[Path, int], tuple[Path, ...]] | None = None,
    ) -> None:
        """``imports``: every project file (absolute, in the same form as ``root``) and its
        imports, extracted with ``relative=True``. A file not in it is reached only when
        ``load`` gives its imports (None: not a file to follow), as for an entry point
        outside the folders checked. ``roots(file, line)``: more folders the absolute
        imports of ``file`` at ``line`` are looked for in, after the entry's (the import
        roots that make them first party: project/import_roots.py)."""
        self.root = root
        self.imports = dict(imports)
        self._load = load
        self._roots = roots
        self._loaded: set[Path] = set()
        self._finder = _Finder()
        self._search_paths: list[tuple[Path, ...]] = []
        self._targets_of: dict[tuple[str, tuple[str, ...], int, int], list[_State]] = {}

    def chains(self, entries: Sequence[Path]) -> dict[Path, tuple[Step, ...]]:
        """For each file reachable from ``entries``, the shortest chain of steps to it.

        Entries map to ``()``, and so do the ``__init__.py`` files an entry run as a module
        runs first; unreachable files are absent. Between chains of equal length the first
        found wins: imports in source order, then entries in the order given.
        """
        found: dict[Path, tuple[Step, ...]] = {}
        # The same file imported under two names is two modules (and may resolve its
        # relative imports differently), so states, not files, are visited once.
        seen: set[tuple[str, int]] = set()
        queue: deque[tuple[_State, tuple[Step, ...]]] = deque()
        for entry in entries:
            self._is_followed(entry)
            search_path = self._search_path(entry)
            name = self._entry_name(entry, search_path)
            # An entry run as a module (`uvicorn app.main:app`) runs its packages first.
            package = name.rpartition(".")[0]
            parents = self._targets(package, (), search_path, search_path) if package else []
            for state in (*parents, (entry, name, search_path)):
                if (state[1], search_path) not in seen:
                    seen.add((state[1], search_path))
                    found.setdefault(state[0], ())
                    queue.append((state, ()))
        while queue:
            (path, name, search_path), chain = queue.popleft()
            shown = Path(os.path.relpath(path, self.root)).as_posix()
            is_package = path.name.startswith("__init__.")
            for ref in self.imports.get(path, ()):
                module = _absolute(ref, name, is_package=is_package)
                if module is None:
                    continue
                looked_in = self._looked_in(search_path, path, ref)
                for target in self._targets(module, ref.names, search_path, looked_in):
                    if (target[1], search_path) not in seen:
                        seen.add((target[1], search_path))
                        steps = (*chain, Step(shown, ref.line))
                        found.setdefault(target[0], steps)
                        queue.append((target, steps))
        return found

    def _search_path(self, entry: Path) -> int:
        # Python puts the script's folder first; `python -m` runs from the root; src layout.
        return self._index(tuple(dict.fromkeys((entry.parent, self.root, self.root / "src"))))

    def _index(self, folders: tuple[Path, ...]) -> int:
        if folders not in self._search_paths:
            self._search_paths.append(folders)
        return self._search_paths.index(folders)

    def _looked_in(self, search_path: int, path: Path, ref: ImportRef) -> int:
        """The search path of an import: the entry's, then the importing file's roots (a
        relative import of a module found through those roots needs them again)."""
        if self._roots is None:
            return search_path
        more = self._roots(path, ref.line)
        if not more:
            return search_path
        return self._index(tuple(dict.fromkeys((*self._search_paths[search_path], *more))))

    def _entry_name(self, entry: Path, search_path: int) -> str:
        """The module name of an entry: what its relative imports are resolved against."""
        folders = self._search_paths[search_path]
        if (entry.parent / "__init__.py").is_file():
            # A script inside a package only runs its relative imports as a module
            # (`python -m pkg.main`, `uvicorn pkg.main:app`): name it from the root.
            folders = tuple(folder for folder in folders if folder != entry.parent)
        for folder in folders:
            name = _module_name(entry, folder)
            if name is None:
                continue
            found = self._finder.find(name, self._search_paths[search_path])
            if found is not None and found.file == entry:
                return name
        return entry.stem

    def _targets(
        self, module: str, names: tuple[str, ...], search_path: int, looked_in: int
    ) -> list[_State]:
        """The project modules an import of ``module`` (``from module import names``) runs,
        looked for in ``looked_in`` by a module of the entry's ``search_path``."""
        key = (module, names, search_path, looked_in)
        if key not in self._targets_of:
            imported = self._imported(module, names, self._search_paths[looked_in])
            self._targets_of[key] = [
                (file, name, search_path)
                for name, file in imported
                if file is not None and self._is_followed(file)
            ]
        return self._targets_of[key]

    def _is_followed(self, file: Path) -> bool:
        if file in self.imports:
            return True
        if self._load is None or file in self._loaded:
            return False
        self._loaded.add(file)
        refs = self._load(file)
        if refs is None:
            return False
        self.imports[file] = refs
        return True

    def _imported(
        self, module: str, names: tuple[str, ...], search_path: tuple[Path, ...]
    ) -> list[tuple[str, Path | None]]:
        imported: list[tuple[str, Path | None]] = []
        found = None
        parts = module.split(".")
        # `import a.b.c` runs a/__init__.py, then a/b/__init__.py, then a/b/c; the first
        # missing one raises, and nothing after it runs.
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            found = self._finder.find(prefix, search_path)
            if found is None:
                return imported
            imported.append((prefix, found.file))
        if found is None or found.locations is None:
            return imported  # a plain module has no submodules to import
        # `from package import name` imports package.name when it is a submodule.
        for name in (f"{module}.{name}" for name in names if name != "*"):
            submodule = self._finder.find(name, search_path)
            if submodule is not None:
                imported.append((name, submodule.file))
        return imported


def _absolute(ref: ImportRef, importer: str, *, is_package: bool) -> str | None:
    """The absolute module ``ref`` names, from module ``importer``; None beyond the top."""
    if not ref.level:
        return ref.module
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".") if package else []
    if ref.level > len(parts):
        return None  # no parent package (a script), or beyond the top-level package
    base = ".".join(parts[: len(parts) - ref.level + 1])
    return f"{base}.{ref.module}" if ref.module else base


def _module_name(path: Path, folder: Path) -> str | None:
    """The dotted name ``path`` has when ``folder`` is on sys.path; None when it has none."""
    try:
        parts = list(path.relative_to(folder).parts)
    except ValueError:
        return None
    parts[-1] = path.name.partition(".")[0]
    if parts[-1] == "__init__":
        parts.pop()
    if parts and all(part.isidentifier() for part in parts):
        return ".".join(parts)
    return None
