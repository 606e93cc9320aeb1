"""``flake8-reqs check``: every finding of a project, or the stored answer when nothing changed."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from flake8_reqs import __version__
from flake8_reqs.cache import files as cache_files
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project import run_memo

if TYPE_CHECKING:
    from flake8_reqs.commands.check.report import Finding
    from flake8_reqs.commands.project import Project

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
        return _check(args, open_project(rest, "check", own_options(args)))[0]
    answer = run_memo.lookup(arguments, cache)
    if answer is not None:
        sys.stdout.write(answer.stdout)
        sys.stderr.write(answer.stderr)
        return answer.status
    recorder = run_memo.Recorder()
    with recorder.capturing():
        project = open_project(rest, "check", own_options(args))
        status, entries = _check(args, project)
    _record_project(recorder, project, entries)
    run_memo.store(arguments, cache, recorder, status)
    return status


def _record_project(recorder: run_memo.Recorder, project: Project, entries: Sequence[str]) -> None:
    from flake8_reqs.cache import stamped
    from flake8_reqs.code.graph import entry_file

    files, environ = stamped.inputs_of("project", project.settings)
    recorder.depend_on([*project.discovery.files, *project.discovery.folders, *files])
    root = project.state.root
    recorder.depend_on([root, root / "src"])
    for entry in entries:  # found from the root: perhaps outside the folders checked
        with contextlib.suppress(ReqsInputError):
            recorder.depend_on([entry_file(entry, root)])
    recorder.environ.update(environ)
    recorder.root = root
    recorder.own_names = project.settings.local_modules | project.state.own_names
    recorder.first_party = project.state.first_party


def _check(args: argparse.Namespace, project: Project) -> tuple[int, Sequence[str]]:
    """The exit status, and the entry points used."""
    from flake8_reqs.commands.check.entries import chosen_entries, describe
    from flake8_reqs.commands.check.findings import collect
    from flake8_reqs.commands.check.report import from_repository, render
    from flake8_reqs.commands.project import scan
    from flake8_reqs.project.root import repository_root

    if not project.state.active:  # said why; a check that checked nothing is no pass
        from flake8_reqs.plugin import NO_SOURCES, report

        report(NO_SOURCES)
        return 2, ()
    if project.state.starts is not None:
        from flake8_reqs.plugin import report

        for note in project.state.starts.notes:  # the start commands are check's alone
            report(note)
    scanned = scan(project, args)
    entries, defaults = chosen_entries(args.entry, args.no_default_entries, project, scanned)
    findings: list[Finding] = collect(
        scanned,
        project.settings,
        project.state,
        project.selection,
        entries=entries,
        unused_ok=args.reqs_unused_ok.split(","),
    )
    if args.format in ("github", "sarif"):
        findings = from_repository(findings, repository_root(project.state.root))
    sys.stdout.write(render(findings, args.format, tool_version=__version__))
    if defaults and findings and args.format == "text":
        print(describe(defaults))  # which entry points the chains start from, and why
    failing = [f for f in findings if args.strict or f.reachable is not False]
    return (1 if failing else 0), entries
