"""REQ001-REQ003: imports that the runtime requirements do not provide."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    hint = provider_hint(ref.module)
    if ref.only_on:
        hint += (
            f"; it is imported only on Python {ref.only_on}, and the target Python is "
            "unknown: name it with --reqs-python-version"
        )
    return Problem(
        ref.line,
        ref.col,
        "REQ003" if ref.guarded else "REQ001",
        {"module": ref.module, "sources": state.runtime_sources, "hint": hint},
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


def provider_hint(module: str) -> str:
    """``; it is provided by 'python-magic'`` when a distribution is known to provide it."""
    providers = known_providers(module)
    if not providers:
        return ""
    quoted = [f"'{name}'" for name in providers]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; it is provided by {listed}"
