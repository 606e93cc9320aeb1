"""REQ201: declared runtime requirements that no file of the project imports."""

from __future__ import annotations

import functools
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
    used = requirements_used(refs, state.provisions)
    unused = []
    for requirement in _runtime_requirements(state):
        if requirement in used or _is_used_otherwise(requirement.name, allowed):
            continue
        if (requirement.path, requirement.line) in state.quiet:
            continue  # another declared distribution needs it, or conda or the image installs it
        if requirement.name.replace("-", "_") in state.own_names:
            continue  # the project itself: "-e ." in a requirements file
        problem = Problem(
            requirement.line, 0, "REQ201", {"distribution": requirement.declared_name}
        )
        unused.append((requirement, problem))
    return unused


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
