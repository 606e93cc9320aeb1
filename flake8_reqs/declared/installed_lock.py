"""The installed dependency graph of the runtime requirements, read as a lock file.

Without a lock file, what production installs beyond the declared distributions is what
they require: ``fastapi`` brings ``starlette``. Where the check runs with the project's
dependencies installed (its virtual environment, in an editor or CI), each installed
distribution's metadata says what it requires (``Requires-Dist``, with markers and extras),
and that graph, walked from the declared runtime requirements, is a lock file without
versions: an import of ``starlette`` is then REQ005 (installed only because ``fastapi``
depends on it) instead of REQ001. A declared distribution that is not installed here adds
nothing; the versions installed here are not taken for production's.

The metadata files read, and the folders of sys.path, are inputs of the project state: a
``pip install`` there builds it again.
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


def installed_lock(roots: Mapping[str, tuple[str, ...]]) -> Lock | None:
    """What the installed distributions ``roots`` (normalised names of the declared runtime
    requirements, each with the extras it asks for) require, directly or not, as a Lock;
    None when none of them is installed where this process runs."""
    folders = _metadata_folders()
    if not any(name in folders for name in roots):
        return None
    read: dict[str, Locked] = {}
    queue = list(roots.items())
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while queue:
        name, extras = queue.pop()
        if (name, extras) in seen or name not in folders:
            continue
        seen.add((name, extras))
        if name not in read:
            written, dependencies, added = _requires(folders[name])
            distribution = cast("NormalizedName", name)
            read[name] = Locked(distribution, written or name, None, 0, dependencies, added)
        package = read[name]
        wanted = [*package.dependencies]
        wanted += [dep for extra, deps in package.extras if extra in extras for dep in deps]
        queue += [(dependency, asked) for dependency, asked, _ in wanted]
    return Lock(DISPLAY, tuple(read[name] for name in sorted(read)))


def _metadata_folders() -> dict[str, str]:
    """Normalised name -> metadata folder of each distribution on sys.path (the first of a
    name, as import finds it). Listed anew for each state, and each folder listed is an
    input of it: a distribution installed or removed there changes the graph."""
    from flake8_reqs.declared.installed import metadata_folders

    for entry in sys.path:
        note_read(entry or ".")
    folders: dict[str, str] = {}
    for name, folder in metadata_folders(tuple(sys.path)):
        folders.setdefault(name, folder)
    return folders


def _requires(
    folder: str,
) -> tuple[str, tuple[Dependency, ...], tuple[tuple[str, tuple[Dependency, ...]], ...]]:
    """The name a distribution's metadata gives, what it requires, and what each extra adds."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    metadata = os.path.join(folder, "METADATA" if folder.endswith(".dist-info") else "PKG-INFO")
    note_read(metadata)
    try:
        text = read_file(metadata).decode("utf-8", errors="replace")
    except Unreadable:
        return "", (), ()
    written = ""
    dependencies: list[Dependency] = []
    extras: dict[str, list[Dependency]] = {}
    for line in text.split("\n"):
        if not line.strip():
            break  # the headers end at the first blank line; the description follows
        key, _, value = line.partition(":")
        if key == "Name":
            written = value.strip()
        if key != "Requires-Dist":
            continue
        try:
            requirement = Requirement(value.strip())
        except InvalidRequirement:
            continue
        marker = str(requirement.marker) if requirement.marker is not None else None
        name = canonicalize_name(requirement.name)
        wanted = tuple(sorted(requirement.extras))
        named = _EXTRA_CLAUSE.findall(marker or "")
        if not named:
            dependencies.append((name, wanted, marker))
            continue
        # What the extra adds applies when the extra is asked for; the rest of its marker
        # (a Python version, a platform) is left out, as the extra is the larger condition.
        for extra in named:
            extras.setdefault(extra, []).append((name, wanted, None))
    return (
        written,
        tuple(dependencies),
        tuple((extra, tuple(added)) for extra, added in sorted(extras.items())),
    )
