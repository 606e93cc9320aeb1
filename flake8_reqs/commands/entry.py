"""The ``flake8-reqs`` command's entry point: a warm check first (warm.py), then the rest."""

from __future__ import annotations

import os
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


def run() -> None:
    """The console script and ``python -m flake8_reqs``: main, and the process's end."""
    arguments = sys.argv[1:]
    status = main(arguments)
    if arguments[:1] == ["check"]:
        _end_now(status)
    sys.exit(status)


def _end_now(status: int) -> None:
    """End the process with ``status`` once what it printed is out, without Python's own
    shutdown: freeing every object of flake8, its plugins and the run took 30 ms of a cold
    check of 300 (bench/README.md). check leaves nothing else to finish: the files it
    writes (the caches) are complete and renamed into place before main returns, its
    processes are ended, and logging (flake8's -v, perhaps to --output-file) is shut down
    here."""
    logging = sys.modules.get("logging")
    try:
        if logging is not None:
            logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: Python's own shutdown says so, as before
        sys.exit(status)
    os._exit(status)
