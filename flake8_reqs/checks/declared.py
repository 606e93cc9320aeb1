"""REQ001-REQ003, REQ005: imports that the runtime requirements do not provide."""

from __future__ import annotations

import re
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
    """REQ001 undeclared, REQ002 declared only in a non-runtime set, REQ003 undeclared or
    declared only in a non-runtime set but guarded by ``except ImportError``, REQ005
    installed only as a dependency of a declared distribution. None when a runtime
    requirement provides it, when a non-runtime one does and the file is a dev path, or
    when production installs it and the code runs without it anyway."""
    if any(provision.group is None for provision in provisions):
        return None
    pulled = find_provisions(ref, state.transitive) if state.transitive else ()
    if provisions and is_dev:
        return None
    if pulled:
        return None if ref.guarded else _transitive(ref, pulled[0])
    if provisions:
        distribution = provisions[0].requirement.declared_name
        groups = " and ".join(dict.fromkeys(provision.group or "" for provision in provisions))
        if ref.guarded:  # the code runs without it: optional, as an undeclared one would be
            hint = f"; it is provided by '{distribution}', declared only in {groups}"
            args = {"module": ref.module, "sources": state.runtime_sources, "hint": hint}
            return Problem(ref.line, ref.col, "REQ003", args)
        args = {"module": ref.module, "distribution": distribution, "groups": groups}
        return Problem(ref.line, ref.col, "REQ002", args)
    excluded = find_provisions(ref, state.excluded) if state.excluded and not ref.guarded else ()
    if excluded:
        return _excluded_by_marker(ref, excluded[0].requirement, state.target)
    unknown = unknown_hint(ref.module, state.unknown_names)
    if ref.guarded:
        args = {"module": ref.module, "sources": state.runtime_sources}
        hint = member_hint(ref.module, state) or provider_hint(ref.module) or unknown
        return Problem(ref.line, ref.col, "REQ003", {**args, "hint": hint + _only_on(ref)})
    providers = use_providers(ref) if ref.use else None
    hint = member_hint(ref.module, state) or provider_hint(ref.module, providers) or unknown
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


def _transitive(ref: ImportRef, pulled: Provision) -> Problem:
    """REQ005: ``pulled`` is the locked requirement, its group the declared one that needs it."""
    reason = (
        f"'{pulled.group}' depends on it"
        if pulled.group
        else "a declared distribution depends on it"
    )
    args = {
        "module": ref.module,
        "distribution": pulled.requirement.declared_name,
        "reason": reason,
        "lock": pulled.requirement.path,
    }
    return Problem(ref.line, ref.col, "REQ005", args)


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


# Words in distribution and module names that say nothing about which module it is.
_GENERIC = frozenset(
    {"python", "py", "sdk", "client", "api", "lib", "core", "common", "utils", "tools", "plugin"}
)


def unknown_hint(module: str, unknown: tuple[str, ...]) -> str:
    """``; the import names of the declared 'acme-sdk' are unknown: ...`` when a declared
    distribution whose import names nothing knows (only the guess, which did not match) has
    a name that shares a word with the module's: it may be the one that provides it."""
    from flake8_reqs.declared.import_index import guessed_import_names

    top = module.partition(".")[0]
    words = set(top.lower().split("_")) - _GENERIC
    for declared in unknown:
        guesses = guessed_import_names(declared)
        if any(top.lower().startswith(f"{guess}_") for guess in guesses):
            continue  # requests_toolbelt is not what a declared requests provides
        if words & (set(re.split(r"[-_.]+", declared.lower())) - _GENERIC):
            return (
                f"; the import names of the declared '{declared}' are unknown: if it provides "
                f"'{top}', add '{declared}={top}' to reqs-module-map"
            )
    return ""
