"""``fix --move-dev``: a dev-set requirement that runtime code imports (REQ002), declared in
the runtime source with the text it had (pin, extras, marker) and taken out of the dev sets
that install the runtime set anyway, so that it is not declared twice."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.commands.fix.edit import Addition
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.sources.pip_lines import (
    TextDecodeError,
    decode_text,
    logical_lines,
    split_arguments,
)
from flake8_reqs.inputs import Unreadable, read_file
from flake8_reqs.project.state import ProjectState

# A group's label (declared/sources): "<file> [<table>] <key>"; a pip file's is its name.
_LABEL = re.compile(r"^(?P<file>.+?) \[(?P<table>[^\]]+)\](?: (?P<key>.+))?$")
# The pyproject.toml tables whose lists fix edits, and whether the project is installed
# with each (then the runtime set is too, and the moved line may leave the dev set).
_LISTS = frozenset(
    {"dependency-groups", "project.optional-dependencies", "tool.uv", "tool.pdm.dev-dependencies"}
)

List = tuple[tuple[str, ...], str]  # a pyproject.toml list: (table, key)


@dataclass
class Moves:
    """What moving the dev requirements asks of each file."""

    additions: list[Addition] = field(default_factory=list)  # to the runtime source
    pip_removals: dict[str, list[Requirement]] = field(default_factory=dict)  # by file
    list_removals: dict[str, dict[List, list[Requirement]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what stays where, and why
    unmoved: dict[str, str] = field(default_factory=dict)  # distribution -> why not


def plan_moves(
    distributions: Iterable[str], state: ProjectState, start: Path, *, hashed: str | None = None
) -> Moves:
    """The moves of each distribution (as REQ002 names it) out of the dev sets of ``state``
    (whose sources are named relative to ``start``). ``hashed``: the runtime file, when pip
    installs it checking hashes; then a requirement moves with its ``--hash`` options, and
    one without any stays where it is."""
    runtime = {source.display for source in state.runtime_files}
    dev = [
        provision
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is not None
    ]
    # A pip dev file that includes a runtime file (-r requirements-prod.txt) installs it.
    installs_runtime = {p.group for p in dev if p.requirement.path in runtime}
    moves = Moves()
    for name in dict.fromkeys(canonicalize_name(d) for d in distributions):
        declared = {
            (p.group, p.requirement.path, p.requirement.line): p
            for p in dev
            if p.requirement.name == name
        }
        if not declared:
            continue
        movable = [p for (group, _, _), p in declared.items() if not _foreign(str(group))]
        if not movable:
            group = next(iter(declared))[0]
            moves.unmoved[name] = (
                f"'{name}' is declared in {group} in a syntax of its own, whose pin fix "
                "cannot carry over: move it by hand"
            )
            continue
        group, first = movable[0].group, movable[0].requirement
        text = _moved_text(first, str(group), start)
        if text is None:
            moves.unmoved[name] = (
                f"'{name}' is declared with a URL in {group}, which fix does not read again: "
                "move it by hand"
            )
            continue
        if hashed is not None:
            hashes = _hashes(first, str(group), start)
            if not hashes:
                moves.unmoved[name] = (
                    f"pip installs {hashed} checking hashes, and '{name}' has no --hash in "
                    f"{group} for fix to carry over: move it by hand, with its hashes"
                )
                continue
            text += "".join(f" --hash={value}" for value in hashes)
        moves.additions.append(Addition(first.declared_name, first.pinned, text=text))
        for (group, _, _), provision in declared.items():
            _take_out(moves, str(group), provision.requirement, group in installs_runtime)
    return moves


def _moved_text(requirement: Requirement, group: str, start: Path) -> str | None:
    """The text a moved requirement is written with: packaging's form of it, pin, extras and
    marker kept. A state keeps a URL cut to its scheme and host (a token may be in it), so a
    requirement with one is read again from its pip file, its words as written: a
    ``${VARIABLE}`` stays unexpanded, and no secret is written into the runtime file. None
    when that cannot be done (another kind of source, a file changed since)."""
    if requirement.url is None:
        return requirement.text
    if _LABEL.match(group) is not None:  # a pyproject.toml list, not a pip file
        return None
    try:
        text = decode_text(read_file(os.path.normpath(start / requirement.path)))
    except (Unreadable, TextDecodeError):
        return None
    for number, line in logical_lines(text, {}):  # no environment: nothing is expanded
        if number == requirement.line:
            try:
                found = PackagingRequirement(split_arguments(line)[0])
            except InvalidRequirement:
                return None
            same = canonicalize_name(found.name) == requirement.name and found.url is not None
            return str(found) if same else None
    return None


def _hashes(requirement: Requirement, group: str, start: Path) -> tuple[str, ...]:
    """The ``--hash`` values of a requirement's line in its pip file (none elsewhere)."""
    from flake8_reqs.commands.fix.pip import hashes_by_line

    if _LABEL.match(group) is not None:  # a pyproject.toml list
        return ()
    try:
        text = decode_text(read_file(os.path.normpath(start / requirement.path)))
    except (Unreadable, TextDecodeError):
        return ()
    return hashes_by_line(text).get(requirement.line, ())


def _foreign(group: str) -> bool:
    """Whether a group's requirements are read from a syntax other than PEP 508, so that
    their text lacks the pin: poetry's tables and conda's environment files."""
    label = _LABEL.match(group)
    if label is not None and label.group("table").startswith("tool.poetry"):
        return True
    return group.endswith((".yml", ".yaml"))


def _take_out(moves: Moves, group: str, req: Requirement, installs_runtime: bool) -> None:
    where = f"'{req.name}' stays in {group} too"
    label = _LABEL.match(group)
    if label is None:  # a pip requirements file
        if installs_runtime:
            moves.pip_removals.setdefault(req.path, []).append(req)
        else:
            moves.notes.append(f"{where}: that set does not include the runtime requirements")
        return
    table, key = label.group("table"), label.group("key")
    if table in _LISTS and key is not None and req.path == label.group("file"):
        lists = moves.list_removals.setdefault(req.path, {})
        lists.setdefault((tuple(table.split(".")), key), []).append(req)
    else:
        moves.notes.append(f"{where}: fix does not edit [{table}]; take it out by hand")
