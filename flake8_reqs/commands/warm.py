"""``flake8-reqs check`` on an unchanged project: the stored answer, found and printed before
argparse, flake8, packaging or any of the checks is imported (project/run_memo.py).

A warm run is what pre-commit and CI re-runs mostly are, so its cost is Python's start-up,
the few modules run_memo needs, and a stat of every file the answer depends on. Any doubt
(another command, --help, --no-cache, an abbreviated option) goes the full way, which
looks up the same answer again: this path only saves imports, it never decides anything.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

# What argparse would take for --cache-dir or --no-cache.
_ABBREVIATIONS = frozenset(
    name[:end] for name in ("--cache-dir", "--no-cache") for end in range(3, len(name))
)


def stored_answer(arguments: Sequence[str]) -> int | None:
    """The exit status after printing the stored answer of ``flake8-reqs check`` with
    ``arguments`` (``["check", ...]``), or None when there is none to give this way."""
    if not arguments or arguments[0] != "check":
        return None
    folder = _cache_folder(arguments[1:])
    if folder is None:
        return None
    from flake8_reqs.project import run_memo

    answer = run_memo.lookup(arguments, folder)
    if answer is None:
        return None
    if isinstance(sys.stdout, io.TextIOWrapper):  # as cli.py prints it
        sys.stdout.reconfigure(errors="surrogateescape")
    sys.stdout.write(answer.stdout)
    sys.stderr.write(answer.stderr)
    return answer.status


def _cache_folder(options: Sequence[str]) -> str | None:
    """The cache folder as the full path would choose it (cache/files.py); None when
    unsure or when there is none."""
    chosen = None
    for position, option in enumerate(options):
        if option == "--":
            break
        if option in ("-h", "--help", "--version", "--no-cache"):
            return None
        if option.startswith("--cache-dir="):
            chosen = option.partition("=")[2]
        elif option == "--cache-dir":
            if position + 1 == len(options):
                return None
            chosen = options[position + 1]
        elif len(option) > 2 and option.split("=")[0] in _ABBREVIATIONS:
            return None  # an abbreviation argparse would expand
    if chosen is not None:
        return chosen or None
    from flake8_reqs.cache.files import default_folder

    return default_folder()
