"""ImportGraph: the project's own imports, and the shortest chain from an entry point."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.imports import ImportRef


@dataclass(frozen=True)
class Step:
    """One importing statement of a chain."""

    path: str  # the importing file, relative to the project root, POSIX separators
    line: int


def module_file(name: str, search_path: Sequence[Path]) -> Path | None:
    """The file Python loads for dotted module ``name``, searching ``search_path`` in order."""
    parts = name.split(".")
    for folder in search_path:
        base = folder.joinpath(*parts)
        for candidate in (base / "__init__.py", base.with_name(parts[-1] + ".py")):
            if candidate.is_file():
                return candidate
    return None


def entry_file(spec: str, root: Path) -> Path:
    """The file of an entry point: a path (``main.py``) or a module (``main:app``, ``pkg.mod``).

    Raises ReqsInputError when it cannot be found.
    """
    path = (root / spec).resolve()
    if spec.endswith(".py") and path.is_file():
        return path
    module = spec.partition(":")[0]
    if all(part.isidentifier() for part in module.split(".")):
        found = module_file(module, [root, root / "src"])
        if found is not None:
            return found.resolve()
    raise ReqsInputError(spec, None, "entry point not found: give a file or a module[:attr]")


class ImportGraph:
    """Which project files each project file imports, by statement."""

    def __init__(self, root: Path, imports: Mapping[Path, Sequence[ImportRef]]) -> None:
        self.root = root
        self.imports = imports
        self._files: dict[tuple[str, tuple[Path, ...]], Path | None] = {}

    def chains(self, entries: Sequence[Path]) -> dict[Path, tuple[Step, ...]]:
        """For each file reachable from ``entries``, the shortest chain of steps to it."""
        found: dict[Path, tuple[Step, ...]] = {}
        queue: deque[tuple[Path, tuple[Path, ...]]] = deque()
        for entry in entries:
            if entry not in found:
                found[entry] = ()
                queue.append((entry, self._search_path(entry)))
        while queue:
            current, search_path = queue.popleft()
            for ref in self.imports.get(current, ()):
                step = Step(Path(os.path.relpath(current, self.root)).as_posix(), ref.line)
                for target in self._targets(current, ref, search_path):
                    if target not in found:
                        found[target] = (*found[current], step)
                        queue.append((target, search_path))
        return found

    def _search_path(self, entry: Path) -> tuple[Path, ...]:
        # Python puts the script's folder first; `python -m` runs from the root; src layout.
        return tuple(dict.fromkeys((entry.parent, self.root, self.root / "src")))

    def _targets(self, current: Path, ref: ImportRef, search_path: tuple[Path, ...]) -> list[Path]:
        module = self._absolute(current, ref, search_path)
        if module is None:
            return []
        parts = module.split(".") if module else []
        targets = [
            self._file(".".join(parts[:depth]), search_path) for depth in range(1, len(parts) + 1)
        ]
        for name in ref.names:
            if name != "*":
                submodule = f"{module}.{name}" if module else name
                targets.append(self._file(submodule, search_path))
        return [target for target in dict.fromkeys(targets) if target is not None]

    def _absolute(self, current: Path, ref: ImportRef, search_path: tuple[Path, ...]) -> str | None:
        if not ref.level:
            return ref.module
        package = self._package_of(current, search_path)
        if package is None:
            return None
        parts = package.split(".") if package else []
        if ref.level - 1 > len(parts):
            return None  # beyond the top-level package
        base = parts[: len(parts) - (ref.level - 1)]
        return ".".join([*base, ref.module] if ref.module else base)

    def _package_of(self, current: Path, search_path: tuple[Path, ...]) -> str | None:
        for folder in search_path:
            try:
                relative = current.relative_to(folder)
            except ValueError:
                continue
            parts = list(relative.parts[:-1])
            if all(part.isidentifier() for part in parts):
                return ".".join(parts)
        return None

    def _file(self, name: str, search_path: tuple[Path, ...]) -> Path | None:
        key = (name, search_path)
        if key not in self._files:
            found = module_file(name, search_path)
            self._files[key] = found.resolve() if found is not None else None
        return self._files[key]
