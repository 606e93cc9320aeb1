"""``flake8-reqs fix``: add what REQ001, REQ005 and REQ006 find to each project's first runtime
requirements file (and with its options, move REQ002's dev requirements there and take
REQ201's out); then say what it left, and why."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import importlib_metadata
from packaging.utils import canonicalize_name

from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.commands.check.findings import Selection, collect
from flake8_reqs.commands.check.report import Finding
from flake8_reqs.commands.fix.edit import Addition, Edit
from flake8_reqs.commands.fix.moves import List, plan_moves
from flake8_reqs.commands.fix.pip import installs_with_hashes
from flake8_reqs.commands.fix.plan import plan_edit
from flake8_reqs.commands.fix.unfixed import why_not_fixed
from flake8_reqs.commands.fix.write import write_atomically
from flake8_reqs.errors import ReqsInputError, report

if TYPE_CHECKING:
    from flake8_reqs.commands.project import Part, Project
    from flake8_reqs.declared.requirements import Requirement
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import SourceFile


def run_fix(
    project: Project,
    scanned: Sequence[tuple[Part, Sequence[ScannedFile]]],
    *,
    dry_run: bool,
    remove_unused: bool,
    move_dev: bool = False,
) -> int:
    """Print each project's diff and (unless ``dry_run``) write it, and on stderr each
    finding it leaves with why; 1 when findings remain or a dry run would change a file,
    2 when a project's file cannot be edited (the others still are).

    Raises ReqsInputError when the one project of the run cannot be edited.
    """
    status = 0
    several = len(scanned) > 1
    for part, files in scanned:
        if several and not part.state.active:
            continue  # declares nothing (said so on stderr): nothing to edit
        try:
            changed, left = _fix(
                project,
                part.state,
                files,
                dry_run=dry_run,
                remove_unused=remove_unused,
                move_dev=move_dev,
            )
        except ReqsInputError as error:
            if not several:
                raise
            from flake8_reqs.errors import report

            report(str(error))
            status = 2
            continue
        if (changed and dry_run) or left:
            status = max(status, 1)
    return status


def _fix(
    project: Project,
    state: ProjectState,
    scanned: Sequence[ScannedFile],
    *,
    dry_run: bool,
    remove_unused: bool,
    move_dev: bool,
) -> tuple[bool, int]:
    """Fix the first runtime source of one project (and with ``move_dev`` the dev sources
    it moves requirements out of); whether it has a diff, and how many findings it left."""
    if not state.runtime_files:
        raise ReqsInputError("--reqs-file", None, "fix needs a runtime requirements file to edit")
    target = state.runtime_files[0]
    if target.path.name in ("setup.cfg", "setup.py"):
        raise ReqsInputError(
            target.display, None, "fix edits a pip requirements file or a pyproject.toml only"
        )
    if remove_unused:
        _refuse_removals_on_part(project, state, scanned)
    wanted = {"REQ001", "REQ005", "REQ006"} | ({"REQ201"} if remove_unused else set())
    if move_dev:
        wanted.add("REQ002")
    selection = Selection(
        lambda code: code in wanted or project.selection.is_selected(code),
        disable_noqa=project.selection.disable_noqa,
    )
    findings = collect(
        [(state, scanned)],
        project.settings,
        selection,
        root=project.root,
        working_directory=project.working_directory,
        state_of=project.state_of,
        is_whole=project.is_whole,
        notebooks=project.notebooks,
    )
    # A requirement whose marker is false on the target is there already: its marker,
    # not a second line, is what the REQ001 about it asks to change.
    declared = {
        provision.requirement.name
        for provisions in (state.excluded or {}).values()
        for provision in provisions
    }
    added = [
        f
        for f in findings
        if f.code in {"REQ001", "REQ005", "REQ006"}
        and f.distribution is not None
        and canonicalize_name(f.distribution) not in declared
    ]
    hashed = target.display if _checks_hashes(state, project.settings.start, target) else None
    if hashed is not None:  # no hashes for them offline: each is left, with why
        unhashed, added = added, []
    else:
        unhashed = []
    moved = [f for f in findings if f.code == "REQ002" and move_dev and f.distribution]
    start = project.settings.start
    moves = plan_moves((str(f.distribution) for f in moved), state, start, hashed=hashed)
    removals = [
        provision.requirement
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
        and provision.requirement.path == target.display
        and remove_unused
        and any(
            f.code == "REQ201" and f.line == provision.requirement.line and f.path == target.display
            for f in findings
        )
    ]
    edits = [
        _plan(
            target.path,
            target.display,
            [*_additions(added, state), *moves.additions],
            [*dict.fromkeys(removals), *moves.pip_removals.pop(target.display, [])],
            moves.list_removals.pop(target.display, {}),
        )
    ]
    for display in dict.fromkeys([*moves.pip_removals, *moves.list_removals]):
        path = Path(os.path.normpath(project.settings.start / display))
        try:
            edits.append(
                plan_edit(
                    path,
                    display,
                    [],
                    moves.pip_removals.get(display, []),
                    moves.list_removals.get(display),
                )
            )
        except ReqsInputError as error:  # the move still holds: declared twice, not lost
            report(f"{error}; what was moved stays there too")
    changed = _write(edits, dry_run=dry_run)
    for note in moves.notes:
        report(note)
    added_names = {canonicalize_name(addition.distribution) for addition in moves.additions}
    fixed = {*added, *(f for f in moved if canonicalize_name(str(f.distribution)) in added_names)}
    fixed |= {f for f in findings if f.code == "REQ201" and any(r.line == f.line for r in removals)}
    left = [f for f in findings if f not in fixed and project.selection.is_selected(f.code)]
    for finding in left:
        why = why_not_fixed(
            finding,
            target=target.display,
            move_dev=move_dev,
            unmoved=moves.unmoved,
            unhashed=unhashed,
        )
        report(f"{finding.path}:{finding.line}:{finding.col}: {finding.code} not fixed: {why}")
    return changed, len(left)


def _checks_hashes(state: ProjectState, start: Path, target: SourceFile) -> bool:
    """Whether pip checks hashes when it installs the runtime pip file ``target``: it, or a
    file it includes, has a ``--hash`` or ``--require-hashes``."""
    if target.path.suffix == ".toml":
        return False
    included = {
        provision.requirement.path
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
    }
    paths = [target.path, *(Path(os.path.normpath(start / shown)) for shown in included)]
    return installs_with_hashes(dict.fromkeys(paths))


def _refuse_removals_on_part(
    project: Project, state: ProjectState, scanned: Sequence[ScannedFile]
) -> None:
    """Raise unless REQ201 can be trusted: every file of the whole project was read."""
    unread = [file for file in scanned if file.error is not None]
    if unread or project.discovery.unlisted:
        count = len(unread) + len(project.discovery.unlisted)
        message = (
            f"refused: {count} of the project's files or folders could not be read or parsed "
            "(named above), and a requirement that only they import would look unused; "
            "nothing was changed"
        )
        raise ReqsInputError("--remove-unused", None, message)
    if not project.is_whole(state):
        message = (
            "refused: the run checks only part of the project, and a requirement that only "
            "the rest imports would look unused: run fix from the project's root with no "
            "paths (or with every folder); nothing was changed"
        )
        raise ReqsInputError("--remove-unused", None, message)


def _plan(
    path: Path,
    display: str,
    additions: Sequence[Addition],
    removals: Sequence[Requirement],
    lists: Mapping[List, Sequence[Requirement]],
) -> Edit:
    """The runtime source's edit; when the dev lists in the same pyproject.toml cannot be
    edited, the edit without taking anything out of them (said on stderr)."""
    try:
        return plan_edit(path, display, additions, removals, lists)
    except ReqsInputError as error:
        if not lists:
            raise
        report(f"{error}; what was moved stays there too")
        return plan_edit(path, display, additions, removals)


def _write(edits: Sequence[Edit], *, dry_run: bool) -> bool:
    """Print each edit's diff and (unless ``dry_run``) write it; whether any has one."""
    changed = False
    for edit in edits:
        diff = edit.diff()
        sys.stdout.write(diff)
        if not diff:
            print(f"{edit.display}: nothing to change")
            continue
        changed = True
        if not dry_run:
            written = write_atomically(edit.path, edit.new, display=edit.display, expected=edit.old)
            for note in written:
                report(note)
    return changed


def _additions(findings: Sequence[Finding], state: ProjectState) -> list[Addition]:
    """One addition per distribution that REQ001, REQ005 or REQ006 names: with the version a
    lock file pins for a REQ005 one, else with the installed version."""
    locked = {
        provision.requirement.name: provision.requirement.pinned
        for provisions in (state.transitive or {}).values()
        for provision in provisions
    }
    additions: dict[str, Addition] = {}
    for finding in findings:
        if finding.distribution is None:
            continue
        key = canonicalize_name(finding.distribution)
        if key in additions:
            continue
        if finding.code == "REQ005":
            additions[key] = Addition(finding.distribution, locked.get(key))
        else:
            additions[key] = _addition(finding.distribution)
    return sorted(additions.values(), key=lambda addition: canonicalize_name(addition.distribution))


def _addition(distribution: str) -> Addition:
    try:
        dist = importlib_metadata.distribution(distribution)
    except importlib_metadata.PackageNotFoundError:
        return Addition(distribution, None)
    return Addition(dist.metadata["Name"] or distribution, dist.version)
