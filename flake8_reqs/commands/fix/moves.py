"""``fix --move-dev``: a dev-set requirement that runtime code imports (REQ002), declared in
the runtime source with the text it had (pin, extras, marker) and taken out of the dev sets
that install the runtime set anyway, so that it is not declared twice."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from flake8_reqs.commands.fix.edit import Addition
from flake8_reqs.declared.requirements import Requirement
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


def plan_moves(distributions: Iterable[str], state: ProjectState) -> Moves:
    """The moves of each distribution (as REQ002 names it) out of the dev sets of ``state``."""
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
        first = movable[0].requirement
        moves.additions.append(Addition(first.declared_name, first.pinned, text=first.text))
        for (group, _, _), provision in declared.items():
            _take_out(moves, str(group), provision.requirement, group in installs_runtime)
    return moves


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
