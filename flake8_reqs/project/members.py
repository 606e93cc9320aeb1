"""The workspace members a project knows of, and the import names each provides.

They are: the members of its uv workspace; the local projects its own requirements install
from a folder (``-e ../lib``, poetry or uv ``path``, PDM or Hatch ``file:`` URLs); and the
ones the project above it (a monorepo's root, which often installs every package of the
repository with ``-e``) installs that way. A declared requirement of a member's name
provides what the member packages; an undeclared import of it is REQ001 with a hint that
names the member and its folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources import read_source
from flake8_reqs.declared.workspace import Member, local_members, packaged_names, uv_members
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project.root import candidate_sources, nearest_root


def find_members(
    root: Path, declared: Iterable[Declared], environ: Mapping[str, str]
) -> dict[str, str]:
    """Distribution (normalised) -> folder (absolute) of every member the project knows."""
    folders = [req.local for item in declared for req in _every(item) if req.local]
    members: list[Member] = uv_members(root)
    members += local_members(folders)
    members += local_members(_parent_locals(root, environ))
    found: dict[str, str] = {}
    for member in members:
        found.setdefault(member.name, member.folder)
    return found


def member_hints(
    members: Mapping[str, str], root: Path, start: Path
) -> tuple[tuple[str, str, str], ...]:
    """(import name, distribution, folder as messages show it) for the members other than
    the project itself, for REQ001's hint."""
    hints = []
    for name, folder in members.items():
        if folder == os.fspath(root):
            continue
        shown = os.path.relpath(folder, start)
        hints += [(module, name, shown) for module in sorted(packaged_names(folder))]
    return tuple(hints)


def _every(declared: Declared) -> Iterator[Requirement]:
    yield from declared.runtime
    for _, reqs in declared.groups:
        yield from reqs


def _parent_locals(root: Path, environ: Mapping[str, str]) -> list[str]:
    """The folders the project above ``root`` installs from (all its default sources)."""
    if root.parent == root:
        return []
    parent = nearest_root(os.fspath(root.parent))
    if parent is None:
        return []
    folders = []
    for source in candidate_sources(Path(parent), Path(parent)):
        if not source.path.is_file():
            continue
        try:
            declared = read_source(source, environ)
        except ReqsInputError:
            continue  # its own project reports it
        folders += [req.local for req in _every(declared) if req.local]
    return folders
