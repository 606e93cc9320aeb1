"""From import name to distribution: user map, installed metadata, bundled data, index, guess."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

from flake8_reqs.data_files import load_data
from flake8_reqs.named_tuple import NamedTuple

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.requirements import Requirement


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class Provision(NamedTuple):
    """A requirement, the set it belongs to (None: runtime) and the import names it provides
    (sorted: a state holds one per requirement line, and a tuple is a quarter of a set's
    size and written to the cache as it is)."""

    requirement: Requirement
    group: str | None
    names: tuple[str, ...]


@functools.cache
def bundled_map() -> Mapping[str, tuple[str, ...]]:
    """Distribution -> import names, from data/module_map.toml."""
    table = load_data("module_map.toml")["distributions"]
    return {dist: tuple(names) for dist, names in table.items()}


@functools.cache
def _bundled_reverse() -> Mapping[str, tuple[NormalizedName, ...]]:
    reverse: dict[str, list[NormalizedName]] = {}
    for dist, names in bundled_map().items():
        for name in names:
            reverse.setdefault(name, []).append(cast("NormalizedName", dist))
    return {name: tuple(dists) for name, dists in reverse.items()}


@functools.cache
def _native_imports() -> Mapping[str, tuple[str, ...]]:
    """Distribution -> import names, from data/native.toml: one truth for both data files."""
    table = load_data("native.toml").get("native", {})
    return {dist: tuple(entry.get("imports", ())) for dist, entry in table.items()}


def provided_names(
    distributions: Iterable[NormalizedName],
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    guessed: set[NormalizedName] | None = None,
) -> dict[NormalizedName, tuple[str, ...]]:
    """Import names each declared distribution provides (sorted), from the most trusted
    source that knows: the user's map; else installed metadata and the bundled data files
    (module_map, native); else the index of PyPI's import names; else the name guess. The
    distributions that only the guess knows are added to ``guessed``, when given."""
    from flake8_reqs.declared.import_index import guessed_import_names, indexed_import_names
    from flake8_reqs.declared.installed import installed_import_names_of

    asked = dict.fromkeys(distributions)
    found = {name: _sorted(user_map[name]) for name in asked if name in user_map}
    wanted = [name for name in asked if name not in found]
    installed = installed_import_names_of(wanted)
    bundled = bundled_map()
    native = _native_imports()
    unknown = []
    for distribution in wanted:
        names = installed.get(distribution, ())
        more = bundled.get(distribution, ())
        native_names = native.get(distribution, ())
        if names or more or native_names:
            found[distribution] = _sorted({*names, *more, *native_names})
        else:
            unknown.append(distribution)
    indexed = indexed_import_names(unknown)  # one open of the index for all of them
    for distribution in unknown:
        listed = indexed.get(distribution)
        found[distribution] = _sorted(listed or guessed_import_names(distribution))
        if not listed and guessed is not None:
            guessed.add(distribution)
    return found


def _sorted(names: Iterable[str]) -> tuple[str, ...]:
    unique = set(names)
    return tuple(unique) if len(unique) == 1 else tuple(sorted(unique))


def find_provisions(
    ref: ImportRef, provisions: Mapping[str, tuple[Provision, ...]]
) -> tuple[Provision, ...]:
    """The provisions of the longest declared dotted name that covers ``ref``.

    ``from google.cloud import storage`` is tried as ``google.cloud.storage`` too, so a
    declared ``google-cloud-storage`` covers it while ``protobuf`` (``google.protobuf``)
    does not.
    """
    candidates = [f"{ref.module}.{name}" for name in ref.names if name != "*"]
    candidates.append(ref.module)
    best: tuple[Provision, ...] = ()
    best_depth = 0
    deepest = _deepest(provisions)
    for candidate in candidates:
        parts = candidate.split(".", deepest)[:deepest]  # no key is longer: never quadratic
        for depth in range(len(parts), best_depth, -1):
            found = provisions.get(".".join(parts[:depth]))
            if found:
                best, best_depth = found, depth
                break
    if not best and not ref.module.islower():
        # Guessed names are lower case: a declared M2Crypto is guessed to provide
        # 'm2crypto', and the code imports 'M2Crypto'.
        return find_provisions(ref._replace(module=ref.module.lower(), names=()), provisions)
    return best


# The provisions mappings last asked about and their deepest keys: a project state's
# mappings (the declared, the transitive, the excluded) are asked about in turn for every
# import, and never change (held here, so their ids cannot be reused).
_DEEPEST: list[tuple[Mapping[str, tuple[Provision, ...]], int]] = []


def _deepest(provisions: Mapping[str, tuple[Provision, ...]]) -> int:
    """How many dotted parts the longest import name in ``provisions`` has (at least 1)."""
    for known, depth in _DEEPEST:
        if known is provisions:
            return depth
    depth = max((name.count(".") + 1 for name in provisions), default=1)
    _DEEPEST[:] = [(provisions, depth), *_DEEPEST[:7]]
    return depth


def split_by_name(
    ref: ImportRef, provisions: Mapping[str, tuple[Provision, ...]]
) -> list[ImportRef]:
    """``ref``, or one ref per name it imports when those come from different distributions.

    ``from google.cloud import storage, bigquery``: no declared distribution provides
    ``google.cloud`` itself (a namespace package), so each name is a subpackage from its
    own distribution, and one that nothing declared provides is a problem of its own. When
    the module itself is provided, or none of the names is, the names are attributes or the
    whole statement is one problem, and ``ref`` is checked as it is.
    """
    if len(ref.names) < 2 or find_provisions(ref._replace(names=()), provisions):
        return [ref]
    each = [
        ref._replace(module=f"{ref.module}.{name}", names=()) for name in ref.names if name != "*"
    ]
    if not any(find_provisions(one, provisions) for one in each):
        return [ref]
    return each


@functools.cache
def _deepest_bundled() -> int:
    """How many dotted parts the longest import name of the bundled map has."""
    names = [*load_data("module_map.toml").get("preferred", {}), *_bundled_reverse()]
    return max((name.count(".") + 1 for name in names), default=1)


def known_providers(module: str) -> tuple[NormalizedName, ...]:
    """Distributions known (not guessed) to provide ``module``: installed, else bundled map."""
    from flake8_reqs.declared.installed import (
        installed_providers,  # reads metadata: only when asked
    )

    installed = installed_providers(module)
    if installed:
        return installed
    preferred = load_data("module_map.toml").get("preferred", {})
    deepest = _deepest_bundled()
    parts = module.split(".", deepest)[:deepest]  # no name there is longer: never quadratic
    for depth in range(len(parts), 0, -1):
        name = ".".join(parts[:depth])
        if name in preferred:
            return (cast("NormalizedName", preferred[name]),)
        dists = _bundled_reverse().get(name)
        if dists:
            return dists
    return ()
