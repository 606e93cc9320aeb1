"""Native-library knowledge: what a distribution needs that pip does not install."""

from __future__ import annotations

import functools
from collections.abc import Container, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from flake8_reqs.named_tuple import NamedTuple

if TYPE_CHECKING:
    from packaging.utils import NormalizedName
    from packaging.version import Version

KINDS = ("library", "program", "runtime", "build")
# Package-manager keys in native.toml, and the families SystemPackages names.
MANAGERS = {"apt": "debian", "apk": "alpine", "dnf": "fedora", "brew": "brew"}


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class NativeNeed(NamedTuple):
    """What ``distribution`` needs at run time (or to build) that pip does not install.

    ``packages`` and ``build_packages`` map a family ("debian", "alpine", "fedora",
    "brew") to package names; an item may list alternatives as ``"a | b"``, of which
    commands show the first and any one counts as installed. ``setup`` is a command that
    provides the need without a package manager (``playwright install ...``).
    """

    distribution: NormalizedName
    kind: str  # "library" | "program" | "runtime" | "build"
    needs: str
    packages: Mapping[str, tuple[str, ...]]
    build_packages: Mapping[str, tuple[str, ...]]
    alternative: str | None
    source: str
    setup: str | None = None


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class _Entry(NamedTuple):
    fields: Mapping[str, Any]
    ranges: tuple[tuple[str, Mapping[str, Any]], ...]  # (specifier, what it overrides)


def find_need(distribution: NormalizedName, version: Version | str | None) -> NativeNeed | None:
    """What ``distribution`` at ``version`` needs, or None when it is unknown or known safe.

    An unknown ``version`` gets what the current releases need. A version given as text
    is parsed only when the entry has version ranges (a pin that is not a valid version
    counts as unknown).
    """
    fields = _fields_for(distribution, version)
    if fields is None or fields.get("safe", False):
        return None
    return NativeNeed(
        distribution=distribution,
        kind=fields["kind"],
        needs=fields["needs"],
        packages=_by_family(fields),
        build_packages=_by_family(fields.get("build", {})),
        alternative=fields.get("alternative"),
        source=fields["source"],
        setup=fields.get("setup"),
    )


def find_needs(
    keys: Iterable[tuple[NormalizedName, str | None]],
) -> dict[tuple[str, str | None], NativeNeed | None]:
    """find_need of each (distribution, version) of ``keys``."""
    entries = _entries()
    found: dict[tuple[str, str | None], NativeNeed | None] = dict.fromkeys(keys)
    found.update(
        {
            (name, version): find_need(cast("NormalizedName", name), version)
            for name, version in found
            if name in entries
        }
    )
    return found


def met_by_install(need: NativeNeed, extras: Iterable[str], installed: Container[str]) -> bool:
    """Whether what production installs meets ``need`` after all: the requirement declares
    the extra that ``alternative`` names (``psycopg[binary]``), or a distribution that
    brings what is missing (native.toml's ``bundled_by``: ``psycopg-binary``, declared on
    a line of its own or locked) is in ``installed``."""
    if need.alternative is not None and "[" in need.alternative:
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name

        alternative = Requirement(need.alternative)
        own = canonicalize_name(alternative.name) == need.distribution
        if own and not alternative.extras.isdisjoint(extras):
            return True
    fields = _fields_for(need.distribution, None) or {}
    return any(name in installed for name in fields.get("bundled_by", ()))


def find_stdlib_needs() -> dict[str, NativeNeed]:
    """Standard-library modules that need an OS library some official images leave out
    (native.toml's ``[stdlib.*]``), by each top-level import name they cover."""
    from flake8_reqs.data_files import load_data

    found = {}
    for name, fields in load_data("native.toml").get("stdlib", {}).items():
        need = NativeNeed(
            distribution=cast("NormalizedName", name),
            kind=fields["kind"],
            needs=fields["needs"],
            packages=_by_family(fields),
            build_packages={},
            alternative=None,
            source=fields["source"],
        )
        found.update(dict.fromkeys(fields["imports"], need))
    return found


def is_known_safe(distribution: NormalizedName, version: Version | str | None) -> bool:
    """True when the wheels of ``distribution`` (at ``version``) bundle what they need."""
    if distribution in _safe():
        return True
    fields = _fields_for(distribution, version)
    return fields is not None and bool(fields.get("safe", False))


def _fields_for(
    distribution: NormalizedName, version: Version | str | None
) -> Mapping[str, Any] | None:
    entry = _entries().get(distribution)
    if entry is None:
        return None
    if version is not None and entry.ranges:
        from packaging.specifiers import SpecifierSet
        from packaging.version import InvalidVersion, Version

        try:
            parsed = Version(version) if isinstance(version, str) else version
        except InvalidVersion:
            return entry.fields
        for specifier, override in entry.ranges:
            # Pre-releases count: "mariadb 2.0.0rc2" is what a pin of 2.0.0rc2 installs.
            if SpecifierSet(specifier).contains(parsed, prereleases=True):
                # A range that is not marked safe is a need, even when the entry is safe.
                return {**entry.fields, "safe": False, **override}
    return entry.fields


def _by_family(table: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {
        family: tuple(table[manager]) for manager, family in MANAGERS.items() if manager in table
    }


# The names in native.toml are canonical already (tests/system/test_native.py checks it), so
# looking them up needs no packaging.utils, which is slow to import.
@functools.cache
def _entries() -> dict[NormalizedName, _Entry]:
    from flake8_reqs.data_files import load_data

    entries = {}
    for name, table in load_data("native.toml")["native"].items():
        fields = {key: value for key, value in table.items() if key != "ranges"}
        ranges = tuple(
            (item["versions"], {k: v for k, v in item.items() if k != "versions"})
            for item in table.get("ranges", ())
        )
        entries[cast("NormalizedName", name)] = _Entry(fields, ranges)
    return entries


@functools.cache
def _safe() -> frozenset[NormalizedName]:
    from flake8_reqs.data_files import load_data

    return frozenset(cast("NormalizedName", name) for name in load_data("native.toml")["safe"])
