"""Starts: what the project's start commands run and name, as the project state keeps it.

Its own module, importing nothing, because every editor run loads the state (and so this
module); the readers in ``start_files`` are imported only when the state is built.
"""

from __future__ import annotations

from flake8_reqs.named_tuple import NamedTuple


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class StartUse(NamedTuple):
    """One thing a start command runs or names, at the line that says so."""

    path: str  # absolute
    line: int
    where: str  # as messages say it: "CMD", "the web process", "the worker service"
    kind: str  # as start_commands.Found: "program", "module", "class", "entry"
    name: str
    distributions: tuple[str, ...] = ()


class Starts(NamedTuple):
    """What the project's start commands run, and what the image has besides its
    requirements: distributions its RUN lines pip-install, programs it copies in."""

    uses: tuple[StartUse, ...] = ()
    pip_installed: frozenset[str] = frozenset()  # names as written; compare normalised
    copied: frozenset[str] = frozenset()  # base names of what COPY and ADD bring in
    notes: tuple[str, ...] = ()
    settings_modules: tuple[str, ...] = ()  # DJANGO_SETTINGS_MODULE set by the image's ENV
