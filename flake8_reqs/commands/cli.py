"""The flake8-reqs command: check, fix and system, over a whole project."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs import __version__, cache_files, run_memo
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.report import FORMATS

if TYPE_CHECKING:
    from flake8_reqs.discover import Discovery
    from flake8_reqs.findings import Selection
    from flake8_reqs.report import Finding
    from flake8_reqs.scan import ScannedFile
    from flake8_reqs.settings import Settings
    from flake8_reqs.state import ProjectState

# The rest is imported where it is used: an unchanged project's check is answered from
# run_memo before flake8 or any of our checks is imported.

FAMILIES = ("debian", "alpine", "fedora", "brew")


@dataclass(frozen=True)
class Project:
    """A project opened the way flake8 would: its options, settings, state and files."""

    settings: Settings
    state: ProjectState
    files: tuple[Path, ...]
    selection: Selection
    discovery: Discovery


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status is 0 clean, 1 findings, 2 usage or input error."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args, rest = _parser().parse_known_args(arguments)
    if getattr(args, "no_cache", False) or getattr(args, "cache_dir", None):
        with cache_files.using_folder(None if args.no_cache else args.cache_dir):
            return _run(args, rest, arguments)
    return _run(args, rest, arguments)


def _run(args: argparse.Namespace, rest: list[str], arguments: list[str]) -> int:
    try:
        if args.command == "check":
            return _check_memoised(args, rest, arguments)
        project = open_project(rest)
        if args.command == "fix":
            from flake8_reqs.fix_command import run_fix

            return run_fix(
                project, scan(project, args), dry_run=args.dry_run, remove_unused=args.remove_unused
            )
        if args.command == "verify":
            from flake8_reqs.verify import Index, run_verify

            index = Index(
                tuple(args.find_links), args.no_index, args.index_url, tuple(args.pip_arg)
            )
            return run_verify(
                project,
                args.entry,
                index=index,
                python=args.python,
                venv_dir=args.venv,
                timeout=args.timeout,
            )
        from flake8_reqs.system_needs import run_system

        return run_system(project, scan(project, args), family=args.family)
    except ReqsInputError as error:
        from flake8_reqs.plugin import report

        report(str(error))
        return 2
    except SystemExit as stop:  # option errors: flake8's parser and our glue exit with 2
        return stop.code if isinstance(stop.code, int) else 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-reqs",
        description="Check a whole project's imports against its runtime requirements. "
        "After the command come the paths to check (default: .), and any --reqs-* option "
        "and flake8's --config, --isolated, --select and --exclude, as for flake8.",
    )
    parser.add_argument("--version", action="version", version=f"flake8-reqs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="report every finding, with import chains")
    check.add_argument("--entry", action="append", default=[], metavar="FILE|MODULE[:ATTR]")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--strict", action="store_true", help="unreachable findings fail too")
    check.add_argument("--reqs-unused-ok", default="", metavar="NAMES")
    fix = commands.add_parser("fix", help="add missing runtime requirements to --reqs-file")
    fix.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    fix.add_argument("--remove-unused", action="store_true", help="also remove REQ201 lines")
    fix.add_argument("--reqs-unused-ok", default="", metavar="NAMES")
    system = commands.add_parser("system", help="the OS packages the imports need")
    system.add_argument("--family", choices=FAMILIES, default=None)
    verify = commands.add_parser(
        "verify",
        help="install only the runtime requirements in a fresh virtual environment and "
        "import the entry points there (this runs the project's code)",
        description="Make a virtual environment, install only the runtime requirements "
        "there (not the project: its modules are imported from the source tree) and import "
        "each entry point in a subprocess. This RUNS the project's code: whatever its modules "
        "do when imported. No other flake8-reqs command does.",
    )
    verify.add_argument(
        "--entry", action="append", default=[], metavar="FILE|MODULE[:ATTR]", help="repeatable"
    )
    verify.add_argument("--find-links", action="append", default=[], metavar="DIR|URL")
    verify.add_argument("--no-index", action="store_true", help="pip: only --find-links")
    verify.add_argument("--index-url", default=None, metavar="URL")
    verify.add_argument(
        "--pip-arg", action="append", default=[], metavar="ARG", help="passed to pip install"
    )
    verify.add_argument("--python", default=sys.executable, help="(default: this Python)")
    verify.add_argument(
        "--venv",
        type=Path,
        default=None,
        help="make this environment and keep it; reused while the requirements are unchanged",
    )
    verify.add_argument(
        "--timeout", type=float, default=600, metavar="SECONDS", help="per step (default: 600)"
    )
    for command in (check, fix, system):
        command.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
        command.add_argument("--cache-dir", type=Path, default=None)
        command.add_argument("--no-cache", action="store_true")
    return parser


def open_project(flake8_args: Sequence[str]) -> Project:
    """Read flake8's configuration and options (ours included) and find the files to check."""
    from flake8.options.parse_args import parse_args
    from flake8.style_guide import Decision, DecisionEngine

    from flake8_reqs.discover import discover
    from flake8_reqs.findings import Selection
    from flake8_reqs.plugin import Plugin
    from flake8_reqs.state import load_state

    # The paths are among flake8_args: only flake8's parser knows which of its options take a
    # value, so it alone can tell `--reqs-file x.txt src` apart (runs Plugin.parse_options).
    _, options = parse_args(list(flake8_args))
    state = load_state(Plugin.settings)
    discovery = discover(
        options.filenames,
        exclude=[*options.exclude, *options.extend_exclude],
        filename_patterns=options.filename,
    )
    engine = DecisionEngine(options)
    return Project(
        settings=Plugin.settings,
        state=state,
        files=tuple(Path(os.path.abspath(name)) for name in discovery.files),
        selection=Selection(lambda code: engine.decision_for(code) is Decision.Selected),
        discovery=discovery,
    )


def scan(project: Project, args: argparse.Namespace) -> list[ScannedFile]:
    """Every file's imports, in parallel and through the cache; unreadable files noted."""
    from flake8_reqs.plugin import report
    from flake8_reqs.scan import scan_files

    cache = cache_files.cache_folder()
    progress = _Progress(len(project.files)) if sys.stderr.isatty() else None
    scanned = scan_files(
        project.files, project.state.target, jobs=args.jobs, cache_dir=cache, progress=progress
    )
    if progress is not None:
        progress.close()
    for file in scanned:
        if file.error is not None:
            report(f"{os.path.relpath(file.path)}: {file.error}")
    return scanned


def _check_memoised(args: argparse.Namespace, rest: list[str], arguments: list[str]) -> int:
    """``check``, answered from run_memo when nothing it depends on has changed."""
    cache = cache_files.cache_folder()
    if cache is None:  # --no-cache
        return _check(args, open_project(rest))
    answer = run_memo.lookup(arguments, cache)
    if answer is not None:
        sys.stdout.write(answer.stdout)
        sys.stderr.write(answer.stderr)
        return answer.status
    recorder = run_memo.Recorder()
    with recorder.capturing():
        project = open_project(rest)
        status = _check(args, project)
    _record_project(recorder, project, args.entry)
    run_memo.store(arguments, cache, recorder, status)
    return status


def _record_project(recorder: run_memo.Recorder, project: Project, entries: Sequence[str]) -> None:
    from flake8_reqs import state_cache
    from flake8_reqs.graph import entry_file

    files, environ = state_cache.inputs_of("project", project.settings)
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


def _check(args: argparse.Namespace, project: Project) -> int:
    from flake8_reqs.findings import collect
    from flake8_reqs.report import render

    if not project.state.active:
        return 0
    findings: list[Finding] = collect(
        scan(project, args),
        project.settings,
        project.state,
        project.selection,
        entries=args.entry,
        unused_ok=args.reqs_unused_ok.split(","),
    )
    sys.stdout.write(render(findings, args.format, tool_version=__version__))
    failing = [f for f in findings if args.strict or f.reachable is not False]
    return 1 if failing else 0


class _Progress:
    """``parsed 120/3000 files`` on stderr, redrawn in place, once a run has taken a while."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < 0.5:
            return
        sys.stderr.write(f"\rflake8-reqs: parsed {done}/{total} files")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
