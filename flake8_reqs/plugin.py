"""The flake8 glue: Settings and project states from the options, and run() over one file's AST."""

from __future__ import annotations

import argparse
import ast
import logging
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from flake8_reqs import __version__
from flake8_reqs.code.imports import extract_imports, lines_mentioning_import
from flake8_reqs.code.settings_uses import lines_uses
from flake8_reqs.import_path import without_working_directory
from flake8_reqs.options import CliPaths, add_options, is_verbose
from flake8_reqs.project import editor_entry

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.sys_path import PathAddition
    from flake8_reqs.problems import Problem
    from flake8_reqs.project.editor_entry import Answer, Finding
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings

LOG = logging.getLogger(__name__)


NO_SOURCES = (
    "a runtime requirement source is required here: name it with --reqs-file "
    "(or reqs-file in the flake8 configuration file)"
)


def report(message: str) -> None:
    """The one place that writes to stderr: ``flake8-reqs: <message>``."""
    sys.stderr.write(f"flake8-reqs: {message}\n")


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
        if cls.whole_project_command or not _reads_stdin(options) or is_verbose():
            return None
        shortcut = cls.kept = editor_entry.recall(options, Path.cwd())
        for note in shortcut.notes if shortcut is not None else ():
            report(note)
        return shortcut

    @classmethod
    def _remember(cls, options: argparse.Namespace, answers: Sequence[Answer] = ()) -> None:
        """After the full path of an editor's run on stdin: keep its answer for next time."""
        if cls.whole_project_command or not _reads_stdin(options) or not cls.states:
            return
        from flake8_reqs.flake8_config import CONFIG_FILES
        from flake8_reqs.project.root import ROOT_MARKERS

        (key, state), *_ = cls.states.items()
        if state is not None:
            root = Path(key)
            deciding = (*ROOT_MARKERS, *CONFIG_FILES, "__init__.py")
            settings = cls.settings_for(root)
            cls.kept = editor_entry.remember(
                options, Path.cwd(), settings, root, state, deciding, answers
            )

    @classmethod
    def _parse_options(cls, options: argparse.Namespace, *, quiet_notes: bool = False) -> None:
        """The full path. ``quiet_notes``: the editor entry has reported them this run."""
        from flake8_reqs.errors import ReqsInputError
        from flake8_reqs.project.editor_config import config_folder, project_options
        from flake8_reqs.project.editor_file import editor_file, search_from
        from flake8_reqs.project.root import find_root, forget_tree
        from flake8_reqs.settings import (
            Settings,
            parse_module_map,
            parse_python_version,
            source_files,
        )

        start = Path.cwd()
        file_paths = not cls.whole_project_command  # `flake8 FILE` is an editor's run too
        try:
            options, project_dir = project_options(options, start, file_paths=file_paths)
            paths = [options.reqs_file, options.reqs_dev_file, options.reqs_system_file]
            paths.append(options.reqs_lock_file)
            from_config = any(value and not isinstance(value, CliPaths) for value in paths)
            # Finding the config file again costs a millisecond: only when a path came from it.
            config_dir = project_dir or (config_folder(options, start) if from_config else start)
            cls.settings = Settings(
                reqs_files=source_files(options.reqs_file, start, config_dir),
                dev_files=source_files(options.reqs_dev_file, start, config_dir),
                dev_paths=tuple(options.reqs_dev_paths),
                module_map=parse_module_map(options.reqs_module_map),
                local_modules=frozenset(options.reqs_local_modules),
                python_version=parse_python_version(options.reqs_python_version),
                platform=options.reqs_platform,
                start=start,
                search_from=search_from(options, start, file_paths=file_paths),
                system_files=source_files(options.reqs_system_file, start, config_dir),
                docker_target=options.reqs_docker_target or None,
                system_ok=_canonical_names(options.reqs_system_ok),
                runtime_groups=_canonical_names(options.reqs_runtime_groups),
                lock_files=source_files(options.reqs_lock_file, start, config_dir),
            )
        except ReqsInputError as error:
            report(str(error))
            raise SystemExit(2) from None
        forget_tree()  # a new run (in-process, as tests and `flake8-reqs` do) sees the tree anew
        cls.states = {}
        stdin = _reads_stdin(options)
        cls.editor = editor_file(options, start, file_paths=file_paths)
        # An editor's working directory is its own, not the project's: not an import root.
        cls.working_directory = None if stdin or cls.editor else start
        cls.fixed_root = find_root(cls.settings.search_from) if cls.settings.reqs_files else None
        if multiprocessing.parent_process() is None:
            # In the main process only: read the sources now, so that problems with them
            # are reported once (not once per --jobs worker) and a missing --reqs-file
            # stops the run before any file is checked. Forked workers inherit the states.
            require = _requires_sources(options)
            for root in _roots_to_build(cls.fixed_root, cls.settings, options, require=require):
                settings = cls.settings_for(root)
                state = _state(settings, root, announce=True, notes=not quiet_notes)
                cls.states[os.fspath(root)] = state
            built = [state for state in cls.states.values() if state is not None]
            if require and built and not any(state.active for state in built):
                report(NO_SOURCES)
                raise SystemExit(2)

    @classmethod
    def state_of(cls, filename: str) -> ProjectState | None:
        """The state of ``filename``'s project: built (or loaded) when its first file is seen."""
        return cls.state_at(cls.fixed_root or _root_of(filename, cls.settings))

    @classmethod
    def state_at(cls, root: Path) -> ProjectState | None:
        """The state of the project at ``root``, built (or loaded) once per process."""
        key = os.fspath(root)
        if key not in cls.states:
            # In the main process (flake8 -j1), this is the one time the project's problems
            # are reported; a --jobs worker loads it silently (the main process has said so).
            announce = multiprocessing.parent_process() is None
            cls.states[key] = _state(cls.settings_for(root), root, announce=announce)
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
        from flake8_reqs.project.state import provided_quietly

        state = cls.state_of(self.filename)
        if state is None or not state.active:
            return []
        lines = lines_mentioning_import(self.lines)
        refs = extract_imports(self.tree, state.target, import_lines=lines)
        named = state.settings_files and os.path.abspath(self.filename) in state.settings_files
        refs += lines_uses(self.tree, self.lines, state.target, settings=bool(named))
        known = state.stdlib | state.first_party
        if state.stdlib_needs:  # tkinter on python:3.12-slim: a standard-library module to check
            known = known - state.stdlib_needs.keys()
        refs_left = [r for r in refs if r.top_level not in known]
        if not refs_left:
            return []
        # Only now: most files import nothing outside the standard library and the project.
        from flake8_reqs.project.import_roots import file_roots

        additions = _path_additions(self.tree, self.lines)
        roots = file_roots(self.filename, state.root, cls.working_directory, additions)
        problems: list[Problem] = []  # unless the checks have something to say: then only
        if not all(roots.covers(r) or provided_quietly(r, state) for r in refs_left):
            from flake8_reqs.checks import FileContext, check_imports
            from flake8_reqs.project.root import is_dev_path

            is_dev = is_dev_path(self.filename, state.root, self.settings.dev_paths)
            problems = list(check_imports(refs, FileContext(is_dev, roots), state))
        options = cls.shortcut_options
        if cls.kept is not None and options and _reads_stdin(options) and not additions:
            answers = editor_entry.with_answer(cls.kept, self.filename, refs, roots, problems)
            cls._remember(options, answers)
        return problems

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


def _reads_stdin(options: argparse.Namespace) -> bool:
    return list(getattr(options, "filenames", [])) == ["-"]


def _mentions_sys_path(lines: list[str]) -> bool:
    return "sys.path" in "".join(lines)  # one search in C, not a call per line


def _path_additions(tree: ast.AST, lines: list[str]) -> tuple[PathAddition, ...]:
    """The folders the file puts on sys.path; code/sys_path.py is imported only for a file
    that mentions sys.path (most never do, and an editor run pays for every import)."""
    if not _mentions_sys_path(lines):
        return ()
    from flake8_reqs.code.sys_path import path_additions

    return path_additions(tree)


def _root_of(filename: str, settings: Settings) -> Path:
    """The root of the project ``filename`` (as flake8 names it) belongs to."""
    from flake8_reqs.project.root import project_root

    return project_root(os.path.dirname(os.path.abspath(filename)), settings.search_from)


def _roots_to_build(
    fixed_root: Path | None, settings: Settings, options: argparse.Namespace, *, require: bool
) -> list[Path]:
    """The projects whose states the main process builds before any file is checked.

    With --reqs-file, the one project; for stdin (an editor), the displayed file's. For
    --jobs, every project of the files flake8 will check, so that each project's problems
    are reported once, not once per worker; the same when ``require`` (--reqs-require-
    sources: the run fails before any file is checked when none of them declares anything).
    Otherwise none: each is built, and its problems reported, when its first file is
    checked. Explicit --reqs-dev-file paths are read now, so that a missing one stops the
    run before any file is checked.
    """
    if fixed_root is not None:
        return [fixed_root]
    if _reads_stdin(options):
        # flake8 names the file by --stdin-display-name, as given (or "stdin").
        return [_root_of(getattr(options, "stdin_display_name", "stdin"), settings)]
    from flake8_reqs.errors import ReqsInputError
    from flake8_reqs.inputs import read_bytes

    try:
        for source in settings.dev_files:
            read_bytes(source.path, source.display)
    except ReqsInputError as error:
        report(str(error))
        raise SystemExit(2) from None
    if not (require or _runs_in_parallel(options)):
        return []
    from flake8_reqs.code.discover import discover

    found = discover(
        getattr(options, "filenames", []),
        exclude=[*options.exclude, *options.extend_exclude],
        filename_patterns=options.filename,
    )
    folders = dict.fromkeys(os.path.dirname(name) or "." for name in found.files)
    return list(dict.fromkeys(_root_of(os.path.join(folder, "_"), settings) for folder in folders))


def _runs_in_parallel(options: argparse.Namespace) -> bool:
    jobs = getattr(options, "jobs", None)
    if jobs is None:
        return False
    return bool(jobs.is_auto and (os.cpu_count() or 1) > 1) or (
        not jobs.is_auto and jobs.n_jobs > 1
    )


def _state(
    settings: Settings, root: Path, *, announce: bool = False, notes: bool = True
) -> ProjectState | None:
    """The project state, or None when it cannot be built. With ``announce``, its problems
    are reported, and one that stops the run (a missing --reqs-file) stops it.

    A bug of ours stops the run too (exit status 2): skipping the REQ checks and exiting 0
    would let CI pass with nothing checked. A bug reading a source other than the runtime
    ones is only named: project.build goes on without that source.
    """
    from flake8_reqs.errors import ReqsInputError
    from flake8_reqs.project.load import load_state
    from flake8_reqs.project.state import verbose_target

    try:
        state = load_state(settings, root)
    except ReqsInputError as error:
        if announce:
            report(str(error))
            raise SystemExit(2) from None
        return None  # the main process has reported it and stopped the run
    except Exception as error:
        LOG.debug("flake8-reqs failed", exc_info=True)
        if announce:
            report(f"internal error: {error!r}; please report it (-v shows more)")
            raise SystemExit(2) from None
        return None
    for note in [*verbose_target(state), *(state.notes if notes else ())] if announce else ():
        report(note)
    return state


def _requires_sources(options: argparse.Namespace) -> bool:
    """--reqs-require-sources, except in an editor (one file on stdin), where a project
    without requirements is normal and stays silent."""
    return bool(getattr(options, "reqs_require_sources", False)) and not _reads_stdin(options)


def _canonical_names(names: Sequence[str]) -> frozenset[NormalizedName]:
    if not names:
        return frozenset()
    from packaging.utils import canonicalize_name  # slow to import: only when needed

    return frozenset(canonicalize_name(name) for name in names)
