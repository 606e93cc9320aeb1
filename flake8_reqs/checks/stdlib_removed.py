"""REQ004: standard-library modules that the target Python does not have."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.project.state import ProjectState


def check_stdlib_gap(
    ref: ImportRef, provisions: tuple[Provision, ...], state: ProjectState
) -> Problem | None:
    """REQ004: ``ref`` is stdlib in another Python but not in the target, and no declared
    distribution (such as a backport) provides it.

    Only for an import nothing provides: the other versions' lists are read then, once a
    process, not for every state built (bench/README.md, an ordinary file's state)."""
    if provisions or state.target.version is None:
        return None  # an unknown target's standard library is every version's
    from flake8_reqs.declared.stdlib import find_gap

    gap = find_gap(ref.top_level, "{}.{}".format(*state.target.version))
    if gap is None:
        return None
    when = f"removed in {gap.removed}" if gap.removed else f"added in {gap.added}"
    if gap.backport:
        hint = f"; declare '{gap.backport}' to provide it"
    elif gap.alternative:
        hint = f"; guard it with sys.version_info or use '{gap.alternative}'"
    else:
        hint = ""
    args = {"module": ref.module, "version": gap.version, "when": when, "hint": hint}
    return Problem(ref.line, ref.col, "REQ004", args)
