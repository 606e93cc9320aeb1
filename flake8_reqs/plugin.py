"""The flake8 glue: what one run keeps (the Settings, each project's state), the editor's
run answered from its entry, and run() over one file's AST. The rest of the full path is
full_path.py, imported only when the entry cannot answer."""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from flake8_reqs import __version__
from flake8_reqs.code.imports import extract_imports, lines_mentioning_import
from flake8_reqs.code.settings_uses import lines_uses
from flake8_reqs.import_path import without_working_directory
from flake8_reqs.options import add_options, is_verbose, reads_stdin
from flake8_reqs.project import editor_entry

if TYPE_CHECKING:
    from flake8_reqs.problems import Problem
    from flake8_reqs.project.editor_entry import Answer, Finding
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings


class Plugin:
    name = "flake8-reqs"
    version = __version__
    # Set by the full path (_parse_options); an editor's run answered from its entry never
    # builds it, nor imports settings.py.
    settings: ClassVar[Settings]
    # Each project's state, by its root, built once per process when its first file is seen.
    states: ClassVar[dict[str, ProjectState | None]] = {}
    # The root every file is judged by when --reqs-file is given; None: each file's own.
    fixed_root: Path | None = None
    working_directory: Path | None = None  # on sys.path under ``python -m``; None: editors
    editor: str | None = None  # the one file an editor checks (stdin, or one path), as named
    whole_project_command = False  # set by flake8-reqs check, fix, system and verify
    # An editor's run on stdin answered from project/editor_entry.py, and the options to
    # take the full path with when a file imports something the entry does not know.
    shortcut: editor_entry.Shortcut | None = None
    shortcut_options: argparse.Namespace | None = None
    kept: editor_entry.Shortcut | None = None  # the entry valid in this run, recalled or kept

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        add_options(manager)

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        # What this imports (packaging, importlib_metadata...) comes from the installed
        # environment, never from the project in the working directory (import_path.py).
        with without_working_directory():
            cls.shortcut = cls._recall(options)
            if cls.shortcut is None:
                cls._parse_options(options)
                cls._remember(options)

    @classmethod
    def _recall(cls, options: argparse.Namespace) -> editor_entry.Shortcut | None:
        """An editor's run on stdin: the folder's editor entry, when still valid; its notes
        are reported as the full path reports them. Not with -v, which also names the
        target, nor for the whole-project commands."""
        cls.shortcut_options, cls.kept = options, None  # none from an earlier run in-process
        if cls.whole_project_command or not reads_stdin(options) or is_verbose():
            return None
        shortcut = cls.kept = editor_entry.recall(options, Path.cwd())
        if shortcut is not None and shortcut.notes:
            from flake8_reqs.errors import report

            for note in shortcut.notes:
                report(note)
        return shortcut

    @classmethod
    def _remember(cls, options: argparse.Namespace, answers: Sequence[Answer] = ()) -> None:
        """After the full path of an editor's run on stdin: keep its answer for next time."""
        if cls.whole_project_command or not reads_stdin(options) or not cls.states:
            return
        from flake8_reqs.flake8_config import CONFIG_FILES
        from flake8_reqs.project.editor_keep import remember
        from flake8_reqs.project.root import ROOT_MARKERS

        (key, state), *_ = cls.states.items()
        if state is not None:
            root = Path(key)
            deciding = (*ROOT_MARKERS, *CONFIG_FILES, "__init__.py")
            settings = cls.settings_for(root)
            cls.kept = remember(options, Path.cwd(), settings, root, state, deciding, answers)

    @classmethod
    def _parse_options(cls, options: argparse.Namespace, *, quiet_notes: bool = False) -> None:
        """The full path (full_path.py). ``quiet_notes``: the editor entry has reported
        them this run."""
        from flake8_reqs import full_path
        from flake8_reqs.project.editor_file import editor_file
        from flake8_reqs.project.root import find_root, forget_tree

        start = Path.cwd()
        file_paths = not cls.whole_project_command  # `flake8 FILE` is an editor's run too
        cls.settings = full_path.settings_from(options, start, file_paths=file_paths)
        forget_tree()  # a new run (in-process, as tests and `flake8-reqs` do) sees the tree anew
        cls.states = {}
        cls.editor = editor_file(options, start, file_paths=file_paths)
        # An editor's working directory is its own, not the project's: not an import root.
        cls.working_directory = None if reads_stdin(options) or cls.editor else start
        cls.fixed_root = find_root(cls.settings.search_from) if cls.settings.reqs_files else None
        if multiprocessing.parent_process() is None:
            # In the main process only: read the sources now, so that problems with them
            # are reported once (not once per --jobs worker) and a missing --reqs-file
            # stops the run before any file is checked. Forked workers inherit the states.
            require = full_path.requires_sources(options)
            roots = full_path.roots_to_build(cls.fixed_root, cls.settings, options, require=require)
            for root in roots:
                settings = cls.settings_for(root)
                state = full_path.project_state(
                    settings, root, announce=True, notes=not quiet_notes
                )
                cls.states[os.fspath(root)] = state
            full_path.stop_without_sources(list(cls.states.values()), require=require)

    @classmethod
    def state_of(cls, filename: str) -> ProjectState | None:
        """The state of ``filename``'s project: built (or loaded) when its first file is seen."""
        from flake8_reqs.full_path import root_of

        return cls.state_at(cls.fixed_root or root_of(filename, cls.settings))

    @classmethod
    def state_at(cls, root: Path) -> ProjectState | None:
        """The state of the project at ``root``, built (or loaded) once per process."""
        key = os.fspath(root)
        if key not in cls.states:
            from flake8_reqs.full_path import project_state

            # In the main process (flake8 -j1), this is the one time the project's problems
            # are reported; a --jobs worker loads it silently (the main process has said so).
            announce = multiprocessing.parent_process() is None
            cls.states[key] = project_state(cls.settings_for(root), root, announce=announce)
        return cls.states[key]

    @classmethod
    def settings_for(cls, root: Path) -> Settings:
        """The settings a project's state is built with: in an editor's run, with every
        file named relative to the project's root (editor_file.py)."""
        if cls.editor is None:
            return cls.settings
        from flake8_reqs.project.editor_file import shown_from_root

        return shown_from_root(cls.settings, root, cls.editor)

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        with without_working_directory():  # as in parse_options
            findings = self._findings()
        for line, col, message in findings:
            yield line, col, message, type(self)

    def _findings(self) -> Sequence[tuple[int, int, str]]:
        cls = type(self)
        if cls.shortcut is not None:
            found = self._entry_findings(cls.shortcut)
            if found is not None:
                return found
            options, cls.shortcut = cls.shortcut_options, None  # the full path from here on
            assert options is not None  # set with the shortcut, by _recall
            cls._parse_options(options, quiet_notes=True)
        return [(problem.line, problem.col, problem.message) for problem in self._problems()]

    def _problems(self) -> list[Problem]:
        cls = type(self)
        from flake8_reqs.full_path import check_file

        state = cls.state_of(self.filename)
        if state is None or not state.active:
            return []
        dev_paths = cls.settings.dev_paths
        found = check_file(
            self.tree, self.lines, self.filename, state, cls.working_directory, dev_paths
        )
        if found is None:
            return []
        options = cls.shortcut_options
        if cls.kept is not None and options and reads_stdin(options) and not found.additions:
            from flake8_reqs.project.editor_keep import with_answer

            answers = with_answer(cls.kept, self.filename, found.refs, found.roots, found.problems)
            cls._remember(options, answers)
        return found.problems

    def _entry_findings(self, shortcut: editor_entry.Shortcut) -> Sequence[Finding] | None:
        """What the editor entry tells this file's findings are: none when nothing is
        declared or every import needs no check, those kept for the same file with the same
        imports left to check; None when it cannot tell. The imports are read as the full
        path reads them; a settings module's string uses, and a file that changes sys.path,
        are left to it."""
        if not shortcut.active:
            return ()
        if os.path.abspath(self.filename) in shortcut.settings_files:
            return None
        lines = lines_mentioning_import(self.lines)
        refs = extract_imports(self.tree, shortcut.target, import_lines=lines)
        refs += lines_uses(self.tree, self.lines, shortcut.target)
        if all(ref.top_level in shortcut.known for ref in refs):
            return ()  # the standard library and what needs nothing: the tree is not read
        known = editor_entry.known_names(shortcut)
        if all(ref.top_level in known for ref in refs):
            return ()
        if _mentions_sys_path(self.lines):
            return None
        from flake8_reqs.project.import_roots import file_roots

        roots = file_roots(self.filename, Path(shortcut.root), None)  # None: as on stdin
        imports = editor_entry.left_to_check(refs, known, roots)
        return () if imports == "[]" else editor_entry.answer(shortcut, self.filename, imports)


def _mentions_sys_path(lines: list[str]) -> bool:
    return "sys.path" in "".join(lines)  # one search in C, not a call per line
