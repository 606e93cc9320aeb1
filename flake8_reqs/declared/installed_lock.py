"""The installed dependency graph of the runtime requirements, read as a lock file.

Without a lock file, what production installs beyond the declared distributions is what
they require: ``fastapi`` brings ``starlette``. Where the check runs with the project's
dependencies installed (its virtual environment, in an editor or CI), each installed
distribution's metadata says what it requires (``Requires-Dist``, with markers and extras),
and that graph, walked from the declared runtime requirements, is a lock file without
versions: an import of ``starlette`` is then REQ005 (installed only because ``fastapi``
depends on it) instead of REQ001. A declared distribution that is not installed here adds
nothing; the versions installed here are not taken for production's.

The folders of sys.path that hold distributions are inputs of the project state: a ``pip
install`` or an upgrade there (which renames a distribution's ``*.dist-info`` folder)
builds it again. The metadata files themselves are not: a state's inputs are stamped on
every editor run, and a large environment has hundreds of them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from flake8_reqs.declared.locked import Dependency, Lock, Locked
from flake8_reqs.inputs import Unreadable, note_read, read_file

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

DISPLAY = "as installed here"  # what REQ005 names in place of a lock file
_EXTRA_CLAUSE = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")


def extras_of(requirement: str) -> list[str]:
    """The extras a ``Requires-Dist`` line's marker asks for: what it is required for."""
    return _EXTRA_CLAUSE.findall(requirement.partition(";")[2])


def installed_lock(roots: Mapping[NormalizedName, tuple[str, ...]]) -> Lock | None:
    """What the installed distributions ``roots`` (normalised names of the declared runtime
    requirements, each with the extras it asks for) require, directly or not, as a Lock;
    None when none of them is installed where this process runs."""
    folders = _metadata_folders()
    if not any(name in folders for name in roots):
        return None
    read: dict[str, _Metadata] = {}
    queue: list[tuple[str, tuple[str, ...]]] = list(roots.items())
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while queue:
        name, extras = queue.pop()
        if (name, extras) in seen or name not in folders:
            continue
        seen.add((name, extras))
        if name not in read:
            read[name] = _Metadata(folders[name])
        metadata = read[name]
        wanted = [*metadata.dependencies]
        for extra in extras:
            wanted += metadata.extra(extra)
        queue += [(dependency, asked) for dependency, asked, _ in wanted]
    return Lock(DISPLAY, tuple(read[name].locked(name) for name in sorted(read)))


def requirements_by_extra(folder: str) -> dict[str, list[str]]:
    """Each extra an installed distribution's metadata folder declares, with the
    Requires-Dist lines that name it (the headers alone are read, not the description)."""
    return _Metadata(folder).extra_lines()


def _metadata_folders() -> dict[str, str]:
    """Normalised name -> metadata folder of each distribution on sys.path (the first of a
    name, as import finds it). Listed anew for each state; each folder of sys.path that
    holds distributions is an input of it (one installed or removed there changes the
    graph), and no other: a change to the working directory builds nothing again."""
    from flake8_reqs.declared.installed import relist

    folders: dict[str, str] = {}
    for name, folder in relist(tuple(sys.path)):  # the import names are read from it too
        folders.setdefault(name, folder)
    for parent in dict.fromkeys(os.path.dirname(folder) for folder in folders.values()):
        note_read(parent)
    return folders


class _Metadata:
    """What one installed distribution's metadata requires: read once, and each extra's
    requirements parsed only when that extra is asked for (a large library lists hundreds
    of them, for extras nothing asks for)."""

    def __init__(self, folder: str) -> None:
        name = "METADATA" if folder.endswith(".dist-info") else "PKG-INFO"
        path = folder if os.path.isfile(folder) else os.path.join(folder, name)  # an .egg-info
        try:  # not an input of its own: an install or upgrade renames the folder
            text = read_file(path).decode("utf-8", errors="replace")
        except Unreadable:
            text = ""
        self.written = ""
        self.dependencies: list[Dependency] = []
        self._extras: dict[str, list[str]] = {}  # extra -> its requirement lines, unparsed
        self._parsed: dict[str, list[Dependency]] = {}
        for line in text.split("\n"):
            line = line.rstrip("\r")
            if not line:
                break  # the headers end at the first empty line; the description follows
            if line[0] in " \t":
                continue  # a folded header's next line (an old-style Description's), blank
                # or not: it ends nothing (RFC 822 folding, as the email parser reads it)
            key, _, value = line.partition(":")
            if key == "Name":
                self.written = value.strip()
            elif key == "Requires-Dist":
                named = extras_of(value)
                for extra in named:
                    self._extras.setdefault(extra, []).append(value)
                if not named:
                    self.dependencies += _parsed(value, keep_marker=True)
        if folder.endswith(".egg-info") and not self.dependencies and not self._extras:
            self._read_requires_txt(folder)

    def _read_requires_txt(self, folder: str) -> None:
        """An .egg-info lists its requirements in requires.txt, in sections by extra and
        marker: importlib_metadata gives them as Requires-Dist lines."""
        from pathlib import Path

        import importlib_metadata

        for line in importlib_metadata.PathDistribution(Path(folder)).requires or ():
            named = extras_of(line)
            for extra in named:
                self._extras.setdefault(extra, []).append(line)
            if not named:
                self.dependencies += _parsed(line, keep_marker=True)

    def extra_lines(self) -> dict[str, list[str]]:
        """Each extra the metadata names, with its Requires-Dist lines, unparsed."""
        return dict(self._extras)

    def extra(self, extra: str) -> list[Dependency]:
        """What ``extra`` adds. The rest of such a line's marker (a Python version, a
        platform) is left out, as the extra is the larger condition."""
        if extra not in self._parsed:
            lines = self._extras.get(extra, ())
            self._parsed[extra] = [dep for line in lines for dep in _parsed(line, False)]
        return self._parsed[extra]

    def locked(self, name: str) -> Locked:
        extras = tuple((extra, tuple(deps)) for extra, deps in sorted(self._parsed.items()))
        distribution = cast("NormalizedName", name)
        return Locked(distribution, self.written or name, None, 0, tuple(self.dependencies), extras)


def _parsed(line: str, keep_marker: bool) -> list[Dependency]:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        requirement = Requirement(line.strip())
    except InvalidRequirement:
        return []
    marker = str(requirement.marker) if keep_marker and requirement.marker else None
    return [(canonicalize_name(requirement.name), tuple(sorted(requirement.extras)), marker)]
