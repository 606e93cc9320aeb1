"""REQ001-REQ003: imports that the runtime requirements do not provide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.checks.uses import how_used, use_providers
from flake8_reqs.declared.resolve import find_provisions, known_providers
from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from flake8_reqs.code.guards import Target
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.requirements import Requirement
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.project.state import ProjectState


def check_declared(
    ref: ImportRef, provisions: tuple[Provision, ...], is_dev: bool, state: ProjectState
) -> Problem | None:
    """REQ001 undeclared, REQ002 declared only in a non-runtime set, REQ003 undeclared
    but guarded by ``except ImportError``. None when a runtime requirement provides it,
    or when a non-runtime one does and the file is a dev path."""
    if any(provision.group is None for provision in provisions):
        return None
    if provisions:
        if is_dev:
            return None
        groups = dict.fromkeys(provision.group or "" for provision in provisions)
        return Problem(
            ref.line,
            ref.col,
            "REQ002",
            {
                "module": ref.module,
                "distribution": provisions[0].requirement.declared_name,
                "groups": " and ".join(groups),
            },
        )
    excluded = find_provisions(ref, state.excluded) if state.excluded and not ref.guarded else ()
    if excluded:
        return _excluded_by_marker(ref, excluded[0].requirement, state.target)
    if ref.guarded:
        args = {"module": ref.module, "sources": state.runtime_sources}
        hint = member_hint(ref.module, state) or provider_hint(ref.module)
        return Problem(ref.line, ref.col, "REQ003", {**args, "hint": hint + _only_on(ref)})
    providers = use_providers(ref) if ref.use else None
    hint = member_hint(ref.module, state) or provider_hint(ref.module, providers)
    # In a dev path any set may provide it: say that none does, and name them all.
    where = "in any requirement set" if is_dev else "as a runtime requirement"
    sources = (state.all_sources or state.runtime_sources) if is_dev else state.runtime_sources
    args = {"module": ref.module, "use": how_used(ref), "where": where, "sources": sources}
    return Problem(ref.line, ref.col, "REQ001", {**args, "hint": hint + _only_on(ref)})


def _only_on(ref: ImportRef) -> str:
    """What to add when the import runs on some Pythons only, and the target's is unknown."""
    if not ref.only_on:
        return ""
    return (
        f"; it is imported only on Python {ref.only_on}, and the target Python is unknown: "
        "name it with --reqs-python-version"
    )


def _excluded_by_marker(ref: ImportRef, requirement: Requirement, target: Target) -> Problem:
    """REQ001 for a module whose runtime requirement's marker is false on ``target``."""
    marker = str(requirement.req.marker)
    about_platform = "platform" in marker or "os_name" in marker
    if target.version is None:
        words = target.platform if about_platform else "a Python of unknown version, 3.9 or newer"
    else:
        words = "Python {}.{}".format(*target.version)
        if about_platform:
            words += f" on {target.platform}"
    args = {
        "module": ref.module,
        "distribution": requirement.declared_name,
        "where": f"{requirement.path}:{requirement.line}",
        "marker": marker,
        "target": words,
    }
    return Problem(ref.line, ref.col, "REQ001", args, "marker")


def member_hint(module: str, state: ProjectState) -> str:
    """``; it is the workspace member 'acme-utils' (packages/utils)`` when a workspace
    member beside the project packages the module."""
    top = module.partition(".")[0]
    for name, distribution, folder in state.members:
        if name == top:
            return f"; it is the workspace member '{distribution}' ({folder})"
    return ""


def provider_hint(module: str, providers: tuple[str, ...] | None = None) -> str:
    """``; it is provided by 'python-magic'`` when a distribution is known to provide it
    (``providers``, or those known_providers names)."""
    if providers is None:
        providers = known_providers(module)
    if not providers:
        return ""
    quoted = [f"'{name}'" for name in providers]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; it is provided by {listed}"
