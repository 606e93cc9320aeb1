"""Provisions: which declared requirement provides which import name, on the target."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from packaging.markers import (
    InvalidMarker,
    Marker,
    UndefinedComparison,
    UndefinedEnvironmentName,
)
from packaging.utils import NormalizedName

from flake8_reqs.code.guards import OLDEST_MINOR, Target
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.resolve import Provision, provided_names
from flake8_reqs.declared.workspace import packaged_names
from flake8_reqs.system.native import NativeNeed, find_need

_PLATFORM_SYSTEM = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}


Environments = Sequence[Mapping[str, str]]
Index = Mapping[str, tuple[Provision, ...]]


def marker_environments(target: Target) -> list[dict[str, str]]:
    """The marker environments of the target, its Python and platform: one, or, when its
    version is unknown, one per version it may be (3.9 on)."""
    return [
        {
            "python_version": version,
            "python_full_version": f"{version}.0",
            "sys_platform": target.platform,
            "platform_system": _PLATFORM_SYSTEM[target.platform],
            "os_name": "nt" if target.platform == "win32" else "posix",
            "extra": "",
        }
        for version in candidate_versions(target)
    ]


def candidate_versions(target: Target) -> tuple[str, ...]:
    """The target's version, or, when it is unknown, every version it may be (3.9 on)."""
    from flake8_reqs.declared.stdlib import known_versions

    if target.version is not None:
        return ("{}.{}".format(*target.version),)
    return tuple(v for v in known_versions() if int(v.split(".")[1]) >= OLDEST_MINOR)


def find_provisions_of(
    declared: Iterable[Declared],
    environments: Environments,
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    members: Mapping[str, str],
    locked: Mapping[NormalizedName, str],
    guessed: set[NormalizedName],
) -> tuple[Index, Index]:
    """Import name -> the declared requirements that provide it, those whose markers hold;
    and import name -> the runtime requirements whose marker is false on the target (so
    REQ001 can say so). On a target of unknown version a marker counts when it holds on
    any version it may be.

    A runtime requirement without a pin takes the version a lock file gives it (for the
    native-library ranges); the distributions whose import names only the name guess
    gives are added to ``guessed``.
    """
    kept = [
        (group, requirement, holding)
        for item in declared
        for group, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        for holding in [applies(requirement, environments)]
        if holding or group is None  # a runtime one its marker excludes, REQ001 names
    ]
    # A local project (a workspace member) provides what it packages; the others are
    # looked up together (resolve.provided_names opens the import index once for all).
    local = {
        requirement.name: _packaged(requirement, user_map, members) for _, requirement, _ in kept
    }
    names_of = provided_names(
        (requirement.name for _, requirement, _ in kept if not local[requirement.name]),
        user_map,
        guessed,
    )
    names_of.update((name, names) for name, names in local.items() if names)
    index: dict[str, list[Provision]] = {}
    excluded: dict[str, list[Provision]] = {}
    for group, requirement, holding in kept:
        names = names_of[requirement.name]
        if group is None and requirement.pinned is None and requirement.name in locked:
            requirement = requirement._replace(pinned=locked[requirement.name])
        provision = Provision(requirement, group, names)
        for name in names:
            (index if holding else excluded).setdefault(name, []).append(provision)
    return (
        {name: tuple(found) for name, found in index.items()},
        {name: tuple(found) for name, found in excluded.items()},
    )


def _packaged(
    requirement: Requirement,
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    members: Mapping[str, str],
) -> frozenset[str]:
    """What a local project (a workspace member) packages, unless --reqs-module-map says
    what the distribution provides; empty for any other requirement."""
    folder = requirement.local or members.get(requirement.name)
    if folder is None or requirement.name in user_map:
        return frozenset()
    return packaged_names(folder)


def native_needs(
    provisions: Mapping[str, tuple[Provision, ...]],
) -> dict[tuple[str, str | None], NativeNeed | None]:
    """What each provisioned (distribution, version) needs from the system."""
    keys = {
        (provision.requirement.name, provision.requirement.pinned)
        for found in provisions.values()
        for provision in found
    }
    return {key: find_need(*key) for key in keys}


def applies(requirement: Requirement, environments: Environments) -> bool:
    """Whether the requirement's marker holds on the target (on any of its environments)."""
    marker = requirement.req.marker
    if marker is None:
        return True
    try:
        return any(marker.evaluate(dict(environment)) for environment in environments)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # a marker we cannot evaluate: assume it holds rather than hide a package


def holds(marker: str, environments: Environments) -> bool:
    """Whether a lock file's marker holds on the target; True when it cannot be told."""
    try:
        return any(Marker(marker).evaluate(dict(environment)) for environment in environments)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True
