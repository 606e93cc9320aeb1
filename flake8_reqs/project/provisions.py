"""Provisions: which declared requirement provides which import name, on the target."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

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
from flake8_reqs.system.native import NativeNeed, find_needs, met_by_install

_PLATFORM_SYSTEM = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}


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
    applies: Callable[[Requirement], bool],
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    members: Mapping[str, str],
    locked: Mapping[NormalizedName, str],
    guessed: set[NormalizedName],
) -> tuple[Index, Index]:
    """Import name -> the declared requirements that provide it, those that ``applies`` to
    the target (TargetMarkers.applies); and import name -> the runtime requirements whose
    marker is false on the target (so REQ001 can say so).

    A runtime requirement without a pin takes the version a lock file gives it (for the
    native-library ranges); the distributions whose import names only the name guess
    gives are added to ``guessed``.
    """
    kept = [
        (group, requirement, holding)
        for item in declared
        for group, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        for holding in [applies(requirement)]
        if holding or group is None  # a runtime one its marker excludes, REQ001 names
    ]
    # A local project (a workspace member) provides what it packages, unless
    # --reqs-module-map says what it provides; the others are looked up together
    # (resolve.provided_names opens the import index once for all).
    local: dict[NormalizedName, tuple[str, ...]] = {}
    for _, requirement, _ in kept:
        folder = requirement.local or members.get(requirement.name)
        packaged: tuple[str, ...] = ()
        if folder is not None and requirement.name not in user_map:
            packaged = tuple(sorted(packaged_names(folder)))
        local[requirement.name] = packaged  # the last requirement of a name decides
    names_of = provided_names(
        (name for name, names in local.items() if not names), user_map, guessed
    )
    names_of.update((name, names) for name, names in local.items() if names)
    index: dict[str, list[Provision]] = {}
    excluded: dict[str, list[Provision]] = {}
    for group, requirement, holding in kept:
        names = names_of[requirement.name]
        if group is None and requirement.pinned is None and requirement.name in locked:
            requirement = requirement._replace(pinned=locked[requirement.name])
        provision = Provision(requirement.without_url_secrets(), group, names)
        for name in names:
            (index if holding else excluded).setdefault(name, []).append(provision)
    return (
        {name: tuple(found) for name, found in index.items()},
        {name: tuple(found) for name, found in excluded.items()},
    )


def native_needs(
    provisions: Index, pulled: Index
) -> dict[tuple[str, str | None], NativeNeed | None]:
    """What each (distribution, version) of the declared ``provisions`` and of those a lock
    file ``pulled`` in needs from the system: None for one that what production installs
    meets (system/native.py, met_by_install), as ``psycopg[binary]`` meets psycopg's."""
    everything = [
        provision for found in (*provisions.values(), *pulled.values()) for provision in found
    ]
    needs = find_needs((p.requirement.name, p.requirement.pinned) for p in everything)
    if not any(needs.values()):
        return needs
    installed = {p.requirement.name for p in everything if p.group is None}
    installed.update(p.requirement.name for found in pulled.values() for p in found)
    extras: dict[tuple[str, str | None], set[str]] = {}
    for provision in everything:
        requirement = provision.requirement
        if provision.group is None and needs[requirement.name, requirement.pinned] is not None:
            extras.setdefault((requirement.name, requirement.pinned), set()).update(
                requirement.extras
            )
    for key, need in needs.items():
        if need is not None and met_by_install(need, extras.get(key, ()), installed):
            needs[key] = None
    return needs


class TargetMarkers:
    """Whether markers hold on the target: on any of its environments (one, or one per
    version it may be). Each distinct marker is evaluated once: a long requirements file
    repeats a few (``sys_platform == "win32"``, ``python_version < "3.11"``) on many lines,
    and an evaluation costs microseconds."""

    def __init__(self, target: Target) -> None:
        self.environments = marker_environments(target)
        self._known: dict[str, bool] = {}

    def applies(self, requirement: Requirement) -> bool:
        """Whether the requirement's marker holds (True when it has none)."""
        # packaging writes the marker last, after "; " (a URL before it has no space): that
        # text is str() of the marker, which costs microseconds to make again on each line.
        text = requirement.text.partition("; ")[2]
        if not text:
            return True
        known = self._known.get(text)
        return known if known is not None else self._holds(text, requirement.marker)

    def holds(self, marker: str) -> bool:
        """Whether a lock file's marker holds; True when it cannot be told."""
        return self._holds(marker, None)

    def _holds(self, text: str, marker: Marker | None) -> bool:
        known = self._known.get(text)
        if known is None:
            known = self._known[text] = self._evaluate(text, marker)
        return known

    def _evaluate(self, text: str, marker: Marker | None) -> bool:
        try:
            marker = Marker(text) if marker is None else marker
            return any(marker.evaluate(dict(env)) for env in self.environments)
        except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
            return True  # a marker we cannot evaluate: assume it holds rather than hide a package
