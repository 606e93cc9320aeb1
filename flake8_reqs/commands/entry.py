"""The ``flake8-reqs`` command's entry point: a warm check first (warm.py), then the rest."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from flake8_reqs.import_path import without_working_directory


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command (commands/cli.py); the exit status is 0 clean, 1 findings, 2 usage or
    input error. Nothing it imports comes from the project in the working directory."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    with without_working_directory():
        from flake8_reqs.commands.warm import stored_answer

        status = stored_answer(arguments)
    if status is not None:
        return status
    if arguments[:1] != ["check"]:
        from flake8_reqs.commands.cli import main as run

        return run(arguments)
    with without_working_directory():
        from flake8_reqs.code import prescan
    prescan.start_early(arguments[1:])  # the files are read while the rest is imported
    try:
        from flake8_reqs.commands.cli import main as run

        return run(arguments)
    finally:
        prescan.stop_early()
