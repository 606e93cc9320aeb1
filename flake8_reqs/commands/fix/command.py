"""``flake8-reqs fix``: add what REQ001, REQ005 and REQ006 find to each project's first runtime
requirements file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import importlib_metadata
from packaging.utils import canonicalize_name

from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.commands.check.findings import Selection, collect
from flake8_reqs.commands.check.report import Finding
from flake8_reqs.commands.fix.edit import Addition
from flake8_reqs.commands.fix.plan import plan_edit
from flake8_reqs.commands.fix.write import write_atomically
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.plugin import report

if TYPE_CHECKING:
    from flake8_reqs.commands.project import Part, Project
    from flake8_reqs.project.state import ProjectState


def run_fix(
    project: Project,
    scanned: Sequence[tuple[Part, Sequence[ScannedFile]]],
    *,
    dry_run: bool,
    remove_unused: bool,
) -> int:
    """Print each project's diff and (unless ``dry_run``) write it; 1 when a dry run would
    change a file, 2 when a project's file cannot be edited (the others still are).

    Raises ReqsInputError when the one project of the run cannot be edited.
    """
    status = 0
    several = len(scanned) > 1
    for part, files in scanned:
        if several and not part.state.active:
            continue  # declares nothing (said so on stderr): nothing to edit
        try:
            changed = _fix(project, part.state, files, dry_run=dry_run, remove_unused=remove_unused)
        except ReqsInputError as error:
            if not several:
                raise
            from flake8_reqs.plugin import report

            report(str(error))
            status = 2
            continue
        if changed and dry_run:
            status = max(status, 1)
    return status


def _fix(
    project: Project,
    state: ProjectState,
    scanned: Sequence[ScannedFile],
    *,
    dry_run: bool,
    remove_unused: bool,
) -> bool:
    """Fix the first runtime source of one project; whether it has a diff."""
    if not state.runtime_files:
        raise ReqsInputError("--reqs-file", None, "fix needs a runtime requirements file to edit")
    target = state.runtime_files[0]
    if target.path.name in ("setup.cfg", "setup.py"):
        raise ReqsInputError(
            target.display, None, "fix edits a pip requirements file or a pyproject.toml only"
        )
    unread = [file for file in scanned if file.error is not None]
    if remove_unused and (unread or project.discovery.unlisted):
        count = len(unread) + len(project.discovery.unlisted)
        message = (
            f"refused: {count} of the project's files or folders could not be read or parsed "
            "(named above), and a requirement that only they import would look unused; "
            "nothing was changed"
        )
        raise ReqsInputError("--remove-unused", None, message)
    if remove_unused and not project.is_whole(state):
        message = (
            "refused: the run checks only part of the project, and a requirement that only "
            "the rest imports would look unused: run fix from the project's root with no "
            "paths (or with every folder); nothing was changed"
        )
        raise ReqsInputError("--remove-unused", None, message)
    wanted = {"REQ001", "REQ005", "REQ006"} | ({"REQ201"} if remove_unused else set())
    selection = Selection(lambda code: code in wanted)
    findings = collect(
        [(state, scanned)],
        project.settings,
        selection,
        root=project.root,
        working_directory=project.working_directory,
        state_of=project.state_of,
    )
    # A requirement whose marker is false on the target is there already: its marker,
    # not a second line, is what the REQ001 about it asks to change.
    declared = {
        provision.requirement.name
        for provisions in (state.excluded or {}).values()
        for provision in provisions
    }
    additions = _additions(
        [
            f
            for f in findings
            if f.code in wanted - {"REQ201"}
            and (f.distribution is None or canonicalize_name(f.distribution) not in declared)
        ],
        state,
    )
    removals = [
        provision.requirement
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
        and provision.requirement.path == target.display
        and any(
            f.code == "REQ201" and f.line == provision.requirement.line and f.path == target.display
            for f in findings
        )
    ]
    edit = plan_edit(target.path, target.display, additions, list(dict.fromkeys(removals)))
    diff = edit.diff()
    sys.stdout.write(diff)
    if not diff:
        print(f"{target.display}: nothing to change")
        return False
    if not dry_run:
        written = write_atomically(target.path, edit.new, display=target.display, expected=edit.old)
        for note in written:
            report(note)
    return True


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
