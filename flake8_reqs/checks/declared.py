"""REQ001-REQ003: imports that the runtime requirements do not provide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.declared.resolve import known_providers
from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.project.state import ProjectState


def check_declared(
    ref: ImportRef, provisions: tuple[Provision, ...], is_dev: bool, state: ProjectState
) -> Problem | None:
    """REQ001 undeclared, REQ002 declared only in a non-runtime set, REQ003 undeclared or
    declared only in a non-runtime set but guarded by ``except ImportError``. None when a
    runtime requirement provides it, or when a non-runtime one does and the file is a dev
    path."""
    if any(provision.group is None for provision in provisions):
        return None
    if provisions:
        if is_dev:
            return None
        distribution = provisions[0].requirement.declared_name
        groups = " and ".join(dict.fromkeys(provision.group or "" for provision in provisions))
        if ref.guarded:  # the code runs without it: optional, as an undeclared one would be
            hint = f"; it is provided by '{distribution}', declared only in {groups}"
            args = {"module": ref.module, "sources": state.runtime_sources, "hint": hint}
            return Problem(ref.line, ref.col, "REQ003", args)
        args = {"module": ref.module, "distribution": distribution, "groups": groups}
        return Problem(ref.line, ref.col, "REQ002", args)
    return Problem(
        ref.line,
        ref.col,
        "REQ003" if ref.guarded else "REQ001",
        {"module": ref.module, "sources": state.runtime_sources, "hint": provider_hint(ref.module)},
    )


def provider_hint(module: str) -> str:
    """``; it is provided by 'python-magic'`` when a distribution is known to provide it."""
    providers = known_providers(module)
    if not providers:
        return ""
    quoted = [f"'{name}'" for name in providers]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; it is provided by {listed}"
