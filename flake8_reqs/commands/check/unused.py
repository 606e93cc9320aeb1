"""REQ201: declared runtime requirements that no file of the project imports."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable

import importlib_metadata
from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs.checks import requirements_used
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.data_files import load_data
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.problems import Problem
from flake8_reqs.project.state import ProjectState


@functools.cache
def used_without_import() -> frozenset[str]:
    """Distributions from data/unused_ok.toml: servers, drivers named in URLs, build tools."""
    return frozenset(load_data("unused_ok.toml")["used_without_import"])


def find_unused(
    refs: Iterable[ImportRef], state: ProjectState, allowed: frozenset[NormalizedName]
) -> list[tuple[Requirement, Problem]]:
    """Runtime requirements that provide none of ``refs``, each with its REQ201 problem."""
    refs = list(refs)
    used = requirements_used(refs, state.provisions)
    unused = []
    loaded: set[str] | None = None
    for requirement in _runtime_requirements(state):
        if requirement in used or _is_used_otherwise(requirement.name, allowed):
            continue
        if (requirement.path, requirement.line) in state.quiet:
            continue  # another declared distribution needs it, or conda or the image installs it
        if requirement.name.replace("-", "_") in state.own_names:
            continue  # the project itself: "-e ." in a requirements file
        if loaded is None:  # read only when there is something left to report
            loaded = _loaded_by_imported(refs, used)
        if requirement.name in loaded:
            continue  # an optional feature of a library the project imports: pandas' pyarrow
        problem = Problem(
            requirement.line, 0, "REQ201", {"distribution": requirement.declared_name}
        )
        unused.append((requirement, problem))
    return unused


def _loaded_by_imported(refs: list[ImportRef], used: set[Requirement]) -> set[str]:
    """The distributions that the libraries ``refs`` import load for an optional feature:
    data/unused_ok.toml's ``loaded_by``, and, for the declared ones ``used`` that are
    installed here, the requirements of their extras (not those for tests or docs)."""
    imported = {ref.top_level for ref in refs if ref.level == 0}
    loaded: set[str] = set()
    for entry in load_data("unused_ok.toml")["loaded_by"].values():
        if imported.intersection(entry["imports"]):
            loaded.update(entry["loads"])
    for requirement in used:
        loaded |= _optional_requirements(requirement.name, tuple(sys.path))
    return loaded


# The extras a library declares for its own development, not for its users' features.
_DEVELOPMENT_EXTRA = re.compile(
    r"(?:all|bench(?:mark)?s?|build-docs|check|ci|complete|cover|coverage|dev|develop"
    r"|development|docs?|enabler|format|lint|linting|mypy|perf|pre-commit|pytest|qa|quality"
    r"|release|style|tests?|testing|type|types|typing)(?:[-_].*)?",
    re.IGNORECASE,
)


@functools.cache
def _optional_requirements(distribution: NormalizedName, path: tuple[str, ...]) -> frozenset[str]:
    """The distributions the extras of an installed ``distribution`` require, those for
    its own development left out; empty when it is not installed."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as PackagingRequirement

    from flake8_reqs.declared.installed import every_metadata_folder
    from flake8_reqs.declared.installed_lock import requirements_by_extra

    folders = every_metadata_folder(path)
    folder = next((found for name, found in folders if name == distribution), None)
    if folder is None:
        return frozenset()
    lines: list[str] = []
    for extra, named in requirements_by_extra(folder).items():
        if not _DEVELOPMENT_EXTRA.fullmatch(extra):
            lines += named
    found: set[str] = set()
    for line in lines:
        try:
            found.add(canonicalize_name(PackagingRequirement(line).name))
        except InvalidRequirement:
            continue
    return frozenset(found)


def _runtime_requirements(state: ProjectState) -> list[Requirement]:
    found = {
        provision.requirement
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
    }
    return sorted(found, key=lambda requirement: (requirement.path, requirement.line))


def _is_used_otherwise(distribution: NormalizedName, allowed: frozenset[NormalizedName]) -> bool:
    return (
        distribution in allowed
        or distribution in used_without_import()
        or distribution.startswith("types-")
        or distribution.endswith("-stubs")
        or _has_entry_points(distribution, tuple(sys.path))
    )


@functools.cache
def _has_entry_points(distribution: NormalizedName, path: tuple[str, ...]) -> bool:
    # Plugins (pytest-*, flake8-*, sphinx extensions) are found through entry points.
    for dist in importlib_metadata.distributions(name=distribution, path=list(path)):
        return bool(dist.read_text("entry_points.txt"))
    return False


def normalise_names(names: Iterable[str]) -> frozenset[NormalizedName]:
    return frozenset(canonicalize_name(name) for name in names)
