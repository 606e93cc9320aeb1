"""REQ001-REQ003: imports that the runtime requirements do not provide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.checks.uses import how_used, use_providers
from flake8_reqs.declared.resolve import known_providers
from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
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
    if ref.guarded:
        args = {"module": ref.module, "sources": state.runtime_sources}
        hint = member_hint(ref.module, state) or provider_hint(ref.module)
        return Problem(ref.line, ref.col, "REQ003", {**args, "hint": hint})
    providers = use_providers(ref) if ref.use else None
    hint = member_hint(ref.module, state) or provider_hint(ref.module, providers)
    # In a dev path any set may provide it: say that none does, and name them all.
    where = "in any requirement set" if is_dev else "as a runtime requirement"
    sources = (state.all_sources or state.runtime_sources) if is_dev else state.runtime_sources
    args = {"module": ref.module, "use": how_used(ref), "where": where, "sources": sources}
    return Problem(ref.line, ref.col, "REQ001", {**args, "hint": hint})


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
