"""Standard-library membership for a target Python, and the modules some versions lack."""

from __future__ import annotations

import functools

from flake8_reqs.data_files import load_data
from flake8_reqs.named_tuple import NamedTuple


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class StdlibGap(NamedTuple):
    """A standard-library module that the target Python does not have."""

    module: str
    version: str  # the target, "3.12"
    added: str | None  # first version that has it, when the target is older
    removed: str | None  # first version without it, when the target is newer
    backport: str | None  # a distribution providing the same import name
    alternative: str | None  # a replacement imported under another name


def known_versions() -> tuple[str, ...]:
    """The Python 3 versions stdlib-list knows, oldest first."""
    import stdlib_list  # only when the state is built, or a gap is found

    return tuple(v for v in stdlib_list.short_versions if v.startswith("3."))


@functools.cache
def stdlib_modules(version: str) -> frozenset[str]:
    """Top-level standard-library module names of Python ``version`` ("3.12")."""
    if version not in known_versions():
        version = known_versions()[-1]  # newer than stdlib-list knows: its newest list
    import stdlib_list

    return frozenset(name.partition(".")[0] for name in stdlib_list.stdlib_list(version))


def find_gap(module: str, version: str) -> StdlibGap | None:
    """The gap when top-level ``module`` is stdlib elsewhere but not in ``version``."""
    data = load_data("stdlib_backports.toml")
    if module in stdlib_modules(version) or module in data.get("listing_errors", {}):
        return None
    having = [v for v in known_versions() if module in stdlib_modules(v)]
    if not having:
        return None
    order = known_versions()
    target_index = order.index(version) if version in order else len(order)
    older = [v for v in having if order.index(v) < target_index]
    newer = [v for v in having if order.index(v) > target_index]
    entry = data.get("modules", {}).get(module, {})
    return StdlibGap(
        module=module,
        version=version,
        added=newer[0] if newer and not older else None,
        removed=order[order.index(older[-1]) + 1] if older else None,
        backport=entry.get("backport"),
        alternative=entry.get("alternative"),
    )
