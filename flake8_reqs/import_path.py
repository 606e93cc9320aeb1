"""Imports the project being checked cannot shadow: the working directory off sys.path.

``python -m flake8``, ``python -m flake8_reqs`` and ``python -c`` put the working directory
(or ``''``) first on sys.path, and the working directory is usually the project: a module
of it named like one we import later (``packaging/``, ``importlib_metadata.py``, ``csv.py``)
would be imported and run in its place. pip drops the entry before importing anything; we
do the same in ``__main__``, and keep it off while the plugin's code runs inside flake8
(SECURITY.md). This module imports only what Python has imported before any of our code.
"""

from __future__ import annotations

import os
import sys


def _working_directory_entries() -> list[tuple[int, str]]:
    try:
        here = os.getcwd()
    except OSError:  # the working directory was removed: only '' can name it
        here = ""
    return [(index, entry) for index, entry in enumerate(sys.path) if entry in ("", ".", here)]


def drop_working_directory() -> None:
    """Take the working directory off sys.path for good (``python -m flake8_reqs``)."""
    for index, _ in reversed(_working_directory_entries()):
        del sys.path[index]


class _Off:
    """The context of without_working_directory (a class: contextlib may not be imported)."""

    def __enter__(self) -> None:
        self.removed = _working_directory_entries()
        for index, _ in reversed(self.removed):
            del sys.path[index]

    def __exit__(self, *raised: object) -> None:
        for index, entry in self.removed:
            sys.path.insert(index, entry)


def without_working_directory() -> _Off:
    """The working directory is off sys.path within the ``with`` block, and back after it:
    flake8 and its other plugins keep the sys.path they were started with."""
    return _Off()
