"""The full path of a flake8 run: what the plugin does when no editor entry answers.

The Settings from flake8's options, the projects whose states the main process builds
before any file is checked, each state built (or loaded) with its problems reported, and one
file's problems from its project's state. plugin.py holds what a run keeps (Plugin's class
attributes) and calls these. An editor's run answered from its entry never imports this
module: every kilobyte of code imported costs that run about 10 microseconds to load and
tear down (bench/README.md, twelfth pass).
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.code.imports import ImportRef, extract_imports, lines_mentioning_import
from flake8_reqs.code.settings_uses import lines_uses
from flake8_reqs.errors import ReqsInputError, report
from flake8_reqs.options import CliPaths, reads_stdin
from flake8_reqs.project.root import project_root
from flake8_reqs.settings import Settings

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.sys_path import PathAddition
    from flake8_reqs.problems import Problem
    from flake8_reqs.project.import_roots import FileRoots
    from flake8_reqs.project.state import ProjectState

LOG = logging.getLogger(__name__)

NO_SOURCES = (
    "a runtime requirement source is required here: name it with --reqs-file "
    "(or reqs-file in the flake8 configuration file)"
)


def settings_from(options: argparse.Namespace, start: Path, *, file_paths: bool) -> Settings:
    """The run's Settings: flake8's ``options``, with the configuration of an editor's file
    (project/editor_config.py) when ``file_paths`` (not a whole-project command). A problem
    with them is reported and stops the run (exit status 2)."""
    from flake8_reqs.project.editor_config import config_folder, project_options
    from flake8_reqs.project.editor_file import search_from
    from flake8_reqs.settings import parse_module_map, parse_python_version, source_files

    try:
        options, project_dir = project_options(options, start, file_paths=file_paths)
        paths = [options.reqs_file, options.reqs_dev_file, options.reqs_system_file]
        paths.append(options.reqs_lock_file)
        from_config = any(value and not isinstance(value, CliPaths) for value in paths)
        # Finding the config file again costs a millisecond: only when a path came from it.
        config_dir = project_dir or (config_folder(options, start) if from_config else start)
        return Settings(
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


def root_of(filename: str, settings: Settings) -> Path:
    """The root of the project ``filename`` (as flake8 names it) belongs to."""
    return project_root(os.path.dirname(os.path.abspath(filename)), settings.search_from)


def roots_to_build(
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
    if reads_stdin(options):
        # flake8 names the file by --stdin-display-name, as given (or "stdin").
        return [root_of(getattr(options, "stdin_display_name", "stdin"), settings)]
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
    return list(dict.fromkeys(root_of(os.path.join(folder, "_"), settings) for folder in folders))


def requires_sources(options: argparse.Namespace) -> bool:
    """--reqs-require-sources, except in an editor (one file on stdin), where a project
    without requirements is normal and stays silent."""
    return bool(getattr(options, "reqs_require_sources", False)) and not reads_stdin(options)


def stop_without_sources(states: Sequence[ProjectState | None], *, require: bool) -> None:
    """With ``require``: stop the run (exit status 2) when none of the projects built
    declares anything."""
    built = [state for state in states if state is not None]
    if require and built and not any(state.active for state in built):
        report(NO_SOURCES)
        raise SystemExit(2)


def project_state(
    settings: Settings, root: Path, *, announce: bool = False, notes: bool = True
) -> ProjectState | None:
    """The project state, or None when it cannot be built. With ``announce``, its problems
    are reported, and one that stops the run (a missing --reqs-file) stops it.

    A bug of ours stops the run too (exit status 2): skipping the REQ checks and exiting 0
    would let CI pass with nothing checked. A bug reading a source other than the runtime
    ones is only named: project.build goes on without that source.
    """
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


class FileCheck:
    """One file checked against its project's state: every import it makes (``refs``), its
    import roots, the folders it adds to sys.path, and its problems."""

    __slots__ = ("additions", "problems", "refs", "roots")

    def __init__(
        self,
        refs: list[ImportRef],
        roots: FileRoots,
        additions: tuple[PathAddition, ...],
        problems: list[Problem],
    ) -> None:
        self.refs = refs
        self.roots = roots
        self.additions = additions
        self.problems = problems


def check_file(
    tree: ast.AST,
    lines: list[str],
    filename: str,
    state: ProjectState,
    working_directory: Path | None,
    dev_paths: tuple[str, ...],
) -> FileCheck | None:
    """The file's problems against ``state`` (an active one); None when every import is
    standard library or first party, as most files' are (then nothing more is read)."""
    from flake8_reqs.project.state import provided_quietly

    refs = extract_imports(tree, state.target, import_lines=lines_mentioning_import(lines))
    named = state.settings_files and os.path.abspath(filename) in state.settings_files
    refs += lines_uses(tree, lines, state.target, settings=bool(named))
    known = state.stdlib | state.first_party
    if state.stdlib_needs:  # tkinter on python:3.12-slim: a standard-library module to check
        known = known - state.stdlib_needs.keys()
    refs_left = [r for r in refs if r.top_level not in known]
    if not refs_left:
        return None
    from flake8_reqs.project.import_roots import file_roots

    additions = _path_additions(tree, lines)
    roots = file_roots(filename, state.root, working_directory, additions)
    problems: list[Problem] = []  # unless the checks have something to say: then only
    if not all(roots.covers(r) or provided_quietly(r, state) for r in refs_left):
        from flake8_reqs.checks import FileContext, check_imports
        from flake8_reqs.project.root import is_dev_path

        is_dev = is_dev_path(filename, state.root, dev_paths)
        problems = list(check_imports(refs, FileContext(is_dev, roots), state))
    return FileCheck(refs, roots, additions, problems)


def _path_additions(tree: ast.AST, lines: list[str]) -> tuple[PathAddition, ...]:
    """The folders the file puts on sys.path; code/sys_path.py is imported only for a file
    that mentions sys.path (most never do)."""
    if "sys.path" not in "".join(lines):  # one search in C, not a call per line
        return ()
    from flake8_reqs.code.sys_path import path_additions

    return path_additions(tree)


def _runs_in_parallel(options: argparse.Namespace) -> bool:
    jobs = getattr(options, "jobs", None)
    if jobs is None:
        return False
    return bool(jobs.is_auto and (os.cpu_count() or 1) > 1) or (
        not jobs.is_auto and jobs.n_jobs > 1
    )


def _canonical_names(names: Sequence[str]) -> frozenset[NormalizedName]:
    if not names:
        return frozenset()
    from packaging.utils import canonicalize_name  # slow to import: only when needed

    return frozenset(canonicalize_name(name) for name in names)
