"""The flake8-reqs command: check, fix and system, over a whole project."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs import __version__
from flake8_reqs.cache import files as cache_files
from flake8_reqs.commands.check.command import run_check
from flake8_reqs.commands.check.report import FORMATS
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.import_path import without_working_directory

if TYPE_CHECKING:
    from flake8_reqs.commands.project import Project

# The rest is imported where it is used: an unchanged project's check is answered from
# run_memo before flake8 or any of our checks is imported.

FAMILIES = ("debian", "alpine", "fedora", "brew")
_UNUSED_OK = "distributions used without an import statement: no REQ201 for them"
_NO_DEFAULT_ENTRIES = (
    "without --entry, use no entry points: not those the project names (its start "
    "commands, [project.scripts], manage.py)"
)
_EXAMPLES = {
    "check": """examples:
  flake8-reqs check                                  the project in this folder
  flake8-reqs check --reqs-file requirements-prod.txt src
  flake8-reqs check --entry main.py --format github  chains from main.py, for CI""",
    "fix": """examples:
  flake8-reqs fix --dry-run                          show the diff, write nothing
  flake8-reqs fix --reqs-file requirements-prod.txt --remove-unused
  flake8-reqs fix --move-dev                         dev requirements runtime code imports
""",
    "system": """examples:
  flake8-reqs system                                 the needs, as the Dockerfile's family
  flake8-reqs system --family alpine --reqs-system-file Dockerfile
""",
    "verify": """examples:
  flake8-reqs verify --entry main.py                 import main.py where only the runtime
                                                     requirements are installed
  flake8-reqs verify --entry app.main:app --venv .verify-venv
""",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status is 0 clean, 1 findings, 2 usage or input error.

    Nothing it imports comes from the project in the working directory (import_path.py).
    """
    with without_working_directory():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A file name that is not UTF-8 is printed as its bytes, as ls does, instead of
        # stopping the run where the locale's encoding is strict.
        sys.stdout.reconfigure(errors="surrogateescape")
    parser, commands = _parser(flake8_help="-h" in arguments or "--help" in arguments)
    args, rest = parser.parse_known_args(arguments)
    args.own_options = [
        option for action in commands[args.command]._actions for option in action.option_strings
    ]
    if getattr(args, "no_cache", False) or getattr(args, "cache_dir", None):
        with cache_files.using_folder(None if args.no_cache else args.cache_dir):
            return _run(args, rest, arguments)
    return _run(args, rest, arguments)


def _run(args: argparse.Namespace, rest: list[str], arguments: list[str]) -> int:
    try:
        if args.command == "check":
            return run_check(args, rest, arguments)
        from flake8_reqs.commands.project import open_project, scan

        project = open_project(rest, args.command, args.own_options)
        if args.command == "fix":
            from flake8_reqs.commands.fix.command import run_fix

            return run_fix(
                project,
                scan(project, args),
                dry_run=args.dry_run,
                remove_unused=args.remove_unused,
                move_dev=args.move_dev,
            )
        if args.command == "verify":
            from flake8_reqs.commands.verify import Index, run_verify

            index = Index(
                tuple(args.find_links), args.no_index, args.index_url, tuple(args.pip_arg)
            )
            return run_verify(
                project,
                args.entry or _default_entries(project, args.no_default_entries),
                index=index,
                python=args.python,
                venv_dir=args.venv,
                timeout=args.timeout,
            )
        from flake8_reqs.commands.system import run_system

        return run_system(project, scan(project, args), family=args.family)
    except ReqsInputError as error:
        from flake8_reqs.errors import report

        report(str(error))
        return 2
    except SystemExit as stop:  # option errors: flake8's parser and our glue exit with 2
        return stop.code if isinstance(stop.code, int) else 2


def _default_entries(project: Project, no_defaults: bool) -> list[str]:
    """verify without --entry: the entry points the project names (as check finds them),
    said on stdout; not the files Django loads by name, which importing would run."""
    if no_defaults:
        return []
    from flake8_reqs.commands.check.entries import default_entries, describe
    from flake8_reqs.commands.project import scan

    state = project.own_state()  # the project verify installs: its own entry points
    parts = scan(project, argparse.Namespace(jobs=os.cpu_count() or 1))
    scanned = [file for part, files in parts if part.state.root == state.root for file in files]
    defaults = default_entries(state, scanned, by_name=False)
    if defaults:
        print(f"flake8-reqs verify: {describe(defaults)}")
    return [entry.spec for entry in defaults]


def _parser(
    *, flake8_help: bool = False
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The command's parser and its subcommands' parsers; ``flake8_help`` adds the flake8
    options the subcommands pass on to their help (it imports flake8: only for --help)."""
    parser = argparse.ArgumentParser(
        prog="flake8-reqs",
        description="Check a whole project's imports against its runtime requirements. "
        "After the command come the paths to check (default: .), and any --reqs-* option "
        "and flake8's --config, --isolated, --select and --exclude, as for flake8.",
    )
    parser.add_argument("--version", action="version", version=f"flake8-reqs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="report every finding, with import chains")
    check.add_argument(
        "--entry",
        action="append",
        default=[],
        metavar="FILE|MODULE[:ATTR]",
        help="an entry point to print import chains from (repeatable)",
    )
    check.add_argument("--no-default-entries", action="store_true", help=_NO_DEFAULT_ENTRIES)
    check.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: %(default)s)"
    )
    check.add_argument("--strict", action="store_true", help="unreachable findings fail too")
    check.add_argument("--reqs-unused-ok", default="", metavar="NAMES", help=_UNUSED_OK)
    fix = commands.add_parser("fix", help="add missing runtime requirements to --reqs-file")
    fix.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    fix.add_argument("--remove-unused", action="store_true", help="also remove REQ201 lines")
    fix.add_argument(
        "--move-dev",
        action="store_true",
        help="also move REQ002's requirements from their dev set to --reqs-file, pin kept",
    )
    fix.add_argument("--reqs-unused-ok", default="", metavar="NAMES", help=_UNUSED_OK)
    system = commands.add_parser("system", help="the OS packages the imports need")
    system.add_argument(
        "--family",
        choices=FAMILIES,
        default=None,
        help="the package manager to name packages for (default: the system file's, else debian)",
    )
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
    verify.add_argument("--no-default-entries", action="store_true", help=_NO_DEFAULT_ENTRIES)
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
        command.add_argument(
            "-j",
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that read files (default: %(default)s)",
        )
        command.add_argument(
            "--cache-dir", type=Path, default=None, help="keep every cache in this folder"
        )
        command.add_argument("--no-cache", action="store_true", help="keep no cache on disk")
    subcommands = {"check": check, "fix": fix, "system": system, "verify": verify}
    for name, command in subcommands.items():
        command.epilog = _EXAMPLES[name]
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        if flake8_help:
            from flake8_reqs.commands.options import add_flake8_help

            add_flake8_help(command)
    return parser, subcommands
