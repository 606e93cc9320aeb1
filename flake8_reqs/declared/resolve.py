"""From import name to distribution: user map, installed metadata, bundled map, name guess."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, cast

from flake8_reqs.data_files import load_data

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.requirements import Requirement


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class Provision(NamedTuple):
    """A requirement, the set it belongs to (None: runtime) and the import names it provides."""

    requirement: Requirement
    group: str | None
    names: frozenset[str]


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


def guessed_names(distribution: NormalizedName) -> frozenset[str]:
    """The names a distribution is guessed to provide when nothing knows it."""
    name = distribution.replace("-", "_").replace(".", "_")
    guesses = {name}
    for prefix in ("python_", "py_"):
        if name.startswith(prefix) and len(name) > len(prefix):
            guesses.add(name[len(prefix) :])
    return frozenset(guesses)


def provided_names(
    distribution: NormalizedName, user_map: Mapping[NormalizedName, tuple[str, ...]]
) -> frozenset[str]:
    """Import names a declared distribution provides, from the most trusted source that knows."""
    from flake8_reqs.declared.installed import installed_import_names

    if distribution in user_map:
        return frozenset(user_map[distribution])
    known = (installed_import_names(distribution) or frozenset()) | frozenset(
        bundled_map().get(distribution, ())
    )
    return known or guessed_names(distribution)


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
    for candidate in candidates:
        parts = candidate.split(".")
        for depth in range(len(parts), best_depth, -1):
            found = provisions.get(".".join(parts[:depth]))
            if found:
                best, best_depth = found, depth
                break
    return best


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


def known_providers(module: str) -> tuple[NormalizedName, ...]:
    """Distributions known (not guessed) to provide ``module``: installed, else bundled map."""
    from flake8_reqs.declared.installed import (
        installed_providers,  # reads metadata: only when asked
    )

    installed = installed_providers(module)
    if installed:
        return installed
    parts = module.split(".")
    preferred = load_data("module_map.toml").get("preferred", {})
    for depth in range(len(parts), 0, -1):
        name = ".".join(parts[:depth])
        if name in preferred:
            return (cast("NormalizedName", preferred[name]),)
        dists = _bundled_reverse().get(name)
        if dists:
            return dists
    return ()
