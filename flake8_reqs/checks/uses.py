"""Imports named by strings: which of a driver's alternatives is provided, and how to say it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flake8_reqs.declared.resolve import find_provisions, known_providers

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.resolve import Provision


def chosen_alternative(
    ref: ImportRef, provisions: Mapping[str, tuple[Provision, ...]]
) -> ImportRef:
    """``ref``, or the first of its alternatives that a runtime requirement provides (else
    the first that any requirement provides): a database engine needs one driver, any one."""
    if not ref.alternatives:
        return ref
    candidates = [ref._replace(module=module) for module in (ref.module, *ref.alternatives)]
    found = [(one, find_provisions(one, provisions)) for one in candidates]
    for one, provided in found:
        if any(provision.group is None for provision in provided):
            return one
    return next((one for one, provided in found if provided), ref)


def how_used(ref: ImportRef) -> str:
    """``is imported``; ``is named in INSTALLED_APPS``; ``(or 'psycopg2') is loaded by ...``."""
    use = ref.use or "is imported"
    if not ref.alternatives:
        return use
    others = " or ".join(f"'{module}'" for module in ref.alternatives)
    return f"(or {others}) {use}"


def use_providers(ref: ImportRef) -> tuple[str, ...]:
    """The distributions known to provide a module named by a string, or one of its
    alternatives: the driver table first, then what provider_hint knows, then the programs
    of commands.toml (``uvicorn.workers`` is uvicorn's)."""
    from flake8_reqs.code.settings_reader import driver_providers
    from flake8_reqs.system.start_commands import program_distributions

    table = driver_providers()
    programs = {
        name.replace("-", "_"): name for names in program_distributions().values() for name in names
    }
    found: dict[str, None] = {}
    for module in (ref.module, *ref.alternatives):
        known = table.get(module) or known_providers(module)
        if not known and module.partition(".")[0] in programs:
            known = (programs[module.partition(".")[0]],)
        found.update(dict.fromkeys(known))
    return tuple(found)
