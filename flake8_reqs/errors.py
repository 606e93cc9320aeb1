"""ReqsInputError: a problem with the user's inputs, named by file and line; and report(),
the one place that writes a message to stderr."""

from __future__ import annotations

import sys


def report(message: str) -> None:
    """Write ``flake8-reqs: <message>`` to stderr."""
    sys.stderr.write(f"flake8-reqs: {message}\n")


class ReqsInputError(Exception):
    """A requirement source, system file or option that cannot be used as given.

    Raised (or collected) deep down; only the glue turns it into one line on stderr.
    ``path`` is the file as the user named it; ``line`` is 1-based, or None when the
    problem is with the file as a whole.
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
