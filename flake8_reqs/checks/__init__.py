"""The checks, and the order one import goes through them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from flake8_reqs.checks.declared import check_declared
from flake8_reqs.checks.stdlib_removed import check_stdlib_gap
from flake8_reqs.checks.system import check_system
from flake8_reqs.declared.resolve import find_provisions, known_providers, split_by_name
from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.project.state import ProjectState


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class FileContext(NamedTuple):
    """What the checks need to know about the file being checked."""

    is_dev: bool  # matches --reqs-dev-paths: non-runtime sets count as declared
    siblings: frozenset[str]  # modules beside a file whose folder is not a package


def check_imports(
    refs: Iterable[ImportRef], file: FileContext, state: ProjectState
) -> Iterator[Problem]:
    """Problems with ``refs``: stdlib, then first-party, then what the requirements provide,
    then (outside dev paths) what the distribution needs from the system."""
    stdlib = state.stdlib
    for imported in refs:
        top = imported.top_level
        if top in stdlib or top in state.first_party or top in file.siblings:
            continue
        yield from _check_one(imported, file, state)


def _check_one(imported: ImportRef, file: FileContext, state: ProjectState) -> Iterator[Problem]:
    for ref in split_by_name(imported, state.provisions):
        provisions = find_provisions(ref, state.provisions)
        problem = check_stdlib_gap(ref, provisions, state) or check_declared(
            ref, provisions, file.is_dev, state
        )
        if problem is not None:
            yield problem
        if not file.is_dev:
            if not provisions and state.transitive:  # REQ005: the locked version decides
                provisions = find_provisions(ref, state.transitive)
            provider = provider_of(ref, provisions)
            if provider is not None:
                distribution, version = provider
                problem = check_system(
                    ref, distribution, version, state.system, state.system_ok, state.native_needs
                )
                if problem is not None:
                    yield problem


def provider_of(
    ref: ImportRef, provisions: tuple[Provision, ...]
) -> tuple[NormalizedName, str | None] | None:
    """The distribution that provides ``ref``: the declared one (with the version it pins),
    else the one installed metadata or the bundled map knows."""
    if provisions:
        runtime = [p for p in provisions if p.group is None] or list(provisions)
        requirement = runtime[0].requirement
        return requirement.name, requirement.pinned
    known = known_providers(ref.module)
    return (known[0], None) if known else None
