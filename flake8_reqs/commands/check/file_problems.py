"""FileProblems: each checked file's problems, worked out as soon as its imports are read.

scan hands each file over as it lands (code/scan.py), while the other processes are still
reading; collect then finds the work done, instead of doing it for every file after the
last one is read, on one core (bench/README.md). A file whose imports changed after it
was handed over (a Django settings module's string uses are added then) is worked out
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flake8_reqs.checks import FileContext, Memo, check_imports
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.problems import Problem
from flake8_reqs.project.import_roots import file_roots
from flake8_reqs.project.root import is_dev_path
from flake8_reqs.project.state import ProjectState
from flake8_reqs.settings import Settings


class FileProblems:
    """check_imports of each file, with one memo per project."""

    def __init__(self, settings: Settings, working_directory: Path | None) -> None:
        self.settings = settings
        self.working_directory = working_directory
        self.memos: dict[Path, Memo] = {}
        # path -> (the refs handed over, whether it is a dev file, its problems)
        self.found: dict[Path, tuple[tuple[ImportRef, ...], bool, tuple[Problem, ...]]] = {}

    def add(self, state: ProjectState, file: ScannedFile) -> None:
        """Work out ``file``'s problems now (scan's on_file), if its project is checked."""
        if state.active:
            self.found[file.path] = (file.refs, *self._worked_out(state, file))

    def of(self, state: ProjectState, file: ScannedFile) -> tuple[bool, Sequence[Problem]]:
        """Whether ``file`` is a dev file, and its problems (its absolute imports')."""
        known = self.found.get(file.path)
        if known is not None and known[0] is file.refs:
            return known[1], known[2]
        return self._worked_out(state, file)

    def _worked_out(
        self, state: ProjectState, file: ScannedFile
    ) -> tuple[bool, tuple[Problem, ...]]:
        path = str(file.path)
        context = FileContext(
            is_dev=is_dev_path(path, state.root, self.settings.dev_paths),
            roots=file_roots(path, state.root, self.working_directory, file.additions),
        )
        memo = self.memos.setdefault(state.root, {})
        refs = [ref for ref in file.refs if ref.level == 0]
        return context.is_dev, tuple(check_imports(refs, context, state, memo))
