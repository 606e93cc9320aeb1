"""``flake8-reqs check``: every finding of a project, or the stored answer when nothing changed."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from flake8_reqs import __version__
from flake8_reqs.cache import files as cache_files
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project import run_memo

if TYPE_CHECKING:
    from flake8_reqs.code.prescan import Prescan
    from flake8_reqs.commands.check.report import Finding
    from flake8_reqs.commands.project import Project
    from flake8_reqs.project.state import ProjectState

# The rest is imported where it is used: an unchanged project's check is answered from
# run_memo before flake8 or any of our checks is imported.


def own_options(args: argparse.Namespace) -> tuple[str, ...]:
    """The option strings of the command ``args`` were parsed for (for error hints)."""
    return tuple(getattr(args, "own_options", ()))


def run_check(args: argparse.Namespace, rest: list[str], arguments: list[str]) -> int:
    """``check``, answered from run_memo when nothing it depends on has changed."""
    from flake8_reqs.commands.project import open_project

    cache = cache_files.cache_folder()
    if cache is None:  # --no-cache
        with _prescanning(rest, args.jobs) as prescan:
            project = open_project(rest, "check", own_options(args), prescan)
            return _check(args, project, None, prescan)[0]
    answer = run_memo.lookup(arguments, cache)
    if answer is not None:
        sys.stdout.write(answer.stdout)
        sys.stderr.write(answer.stderr)
        return answer.status
    recorder = run_memo.Recorder()
    with _prescanning(rest, args.jobs) as prescan, recorder.capturing():
        project = open_project(rest, "check", own_options(args), prescan)
        status, entries = _check(args, project, recorder, prescan)
    _record_project(recorder, project, entries)
    run_memo.store(arguments, cache, recorder, status)
    return status


@contextlib.contextmanager
def _prescanning(rest: list[str], jobs: int) -> Iterator[Prescan | None]:
    """A prescan of the files while the run starts up (code/prescan.py); ended on the way
    out if scan has not ended it (an error in the options, nothing to check)."""
    from flake8_reqs.code import prescan

    started = prescan.start(rest, jobs)
    try:
        yield started
    finally:
        if started is not None:
            started.stop()


def _record_project(recorder: run_memo.Recorder, project: Project, entries: Sequence[str]) -> None:
    from flake8_reqs.cache import stamped
    from flake8_reqs.code.graph import entry_file
    from flake8_reqs.project.import_roots import import_root_folders
    from flake8_reqs.project.load import state_key

    # As absolute paths already (the stamps taken are keyed by them): the answer depends on
    # thousands, and working each out again cost milliseconds after the output.
    unlisted = [os.path.abspath(folder) for folder, _ in project.discovery.unlisted]
    recorder.depend_on(
        [*project.files, *project.discovery.stamps, *unlisted, *project.notebooks_found()]
    )
    recorder.stamps.update(project.stamps)
    recorder.stamps.update(project.discovery.stamps)
    for part in project.parts:
        state = part.state
        inputs = stamped.inputs_of("project", state_key(project.settings, state.root))
        if inputs is None:
            return  # not all recorded: the answer is not kept
        files, environ = inputs
        recorder.depend_on([*files, state.root, state.root / "src"])
        recorder.environ.update(environ)
        own = project.settings.local_modules | state.own_names
        recorder.projects.append((state.root, own, state.first_party))
        # The folders that give a file first-party names of its own (its import roots).
        folders = {
            folder
            for path in part.files
            for folder in import_root_folders(str(path), state.root, project.working_directory)
        }
        recorder.depend_on(sorted(folders))
    for entry in entries:  # found from the root: perhaps outside the folders checked
        with contextlib.suppress(ReqsInputError):
            recorder.depend_on([entry_file(entry, project.root)])
    recorder.complete = True


def _report_targets(states: Sequence[ProjectState]) -> None:
    """Which target Python each project is checked against, and what named it."""
    from flake8_reqs.errors import report
    from flake8_reqs.project.target import describe_target

    for state in states:
        report(describe_target(state.target, state.target_source, state.root))


def _check(
    args: argparse.Namespace,
    project: Project,
    recorder: run_memo.Recorder | None,
    prescan: Prescan | None = None,
) -> tuple[int, Sequence[str]]:
    """The exit status, and the entry points used."""
    from flake8_reqs.commands.check.entries import chosen_entries, describe
    from flake8_reqs.commands.check.file_problems import FileProblems
    from flake8_reqs.commands.check.findings import collect
    from flake8_reqs.commands.check.report import from_repository, render
    from flake8_reqs.commands.project import scan
    from flake8_reqs.project.root import repository_root

    if not _checks_anything(project):  # said why; a check that checked nothing is no pass
        from flake8_reqs.errors import report
        from flake8_reqs.full_path import NO_SOURCES

        report(NO_SOURCES)
        return 2, ()
    if not project.verbose:  # with -v, the plugin has said it
        _report_targets([part.state for part in project.parts if part.state.active])
    problems = FileProblems(project.settings, project.working_directory)
    scanned = scan(project, args, prescan, on_file=problems.add)
    projects = [(part.state, files) for part, files in scanned if part.state.active]
    _report_start_notes(projects)
    entries, defaults = chosen_entries(args.entry, args.no_default_entries, projects)
    if recorder is not None:  # the folders files add to sys.path give first-party names too
        recorder.depend_on(
            addition.folder(str(file.path), state.root)
            for state, files in projects
            for file in files
            for addition in file.additions
        )
    findings: list[Finding] = collect(
        projects,
        project.settings,
        project.selection,
        root=project.root,
        working_directory=project.working_directory,
        state_of=project.state_of,
        entries=entries,
        unused_ok=args.reqs_unused_ok.split(","),
        is_whole=project.is_whole,
        notebooks=project.notebooks,
        problems_of=problems,
    )
    if args.format in ("github", "sarif"):
        findings = from_repository(findings, repository_root(project.root))
    sys.stdout.write(render(findings, args.format, tool_version=__version__))
    if defaults and findings and args.format == "text":
        print(describe(defaults))  # which entry points the chains start from, and why
    failing = [f for f in findings if args.strict or f.reachable is not False]
    return (1 if failing else 0), entries


def _report_start_notes(projects: Sequence[tuple[ProjectState, object]]) -> None:
    """What the start commands' files could not say (a compose file the reader cannot
    read): check's alone, since only check reads them."""
    from flake8_reqs.errors import report

    for state, _ in projects:
        for note in state.starts.notes if state.starts is not None else ():
            report(note)


def _checks_anything(project: Project) -> bool:
    """Whether a project of the files checked declares anything (with no file, the run's
    own project): in a monorepo, a project without requirements is said on stderr, and the
    run fails only when none of them has any."""
    if not project.parts:
        return project.own_state().active
    return any(part.state.active for part in project.parts)
