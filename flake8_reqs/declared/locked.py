"""Lock: what a lock file pins, and which distributions a declared set pulls in through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

# A dependency: the distribution, the extras it asks for, and its marker (None: always).
Dependency = tuple["NormalizedName", tuple[str, ...], "str | None"]


class Locked(NamedTuple):
    """One locked distribution."""

    name: NormalizedName
    written: str  # as the lock file spells it: "PySocks"
    version: str | None
    line: int
    dependencies: tuple[Dependency, ...] = ()
    extras: tuple[tuple[str, tuple[Dependency, ...]], ...] = ()  # (extra, what it adds)
    via: tuple[str, ...] = ()  # pip-compile: the distributions that need it
    direct: bool = False  # pip-compile: needed by the input file itself (``-r requirements.in``)


class Lock(NamedTuple):
    """A lock file. ``flat``: every package is installed and the file has no graph
    (Pipfile.lock's default section, pip-compile output)."""

    display: str
    packages: tuple[Locked, ...]
    flat: bool = False
    errors: tuple[ReqsInputError, ...] = ()


class Pulled(NamedTuple):
    """A distribution production installs, by a lock file.

    For a declared one, ``because`` is another declared distribution that depends on it;
    for one that is not declared, the declared distribution that pulls it in. None when
    there is none, or the lock does not say (Pipfile.lock).
    """

    locked: Locked
    lock: str  # the lock file, as messages name it
    declared: bool
    because: NormalizedName | None


def pulled_in(
    lock: Lock,
    roots: Mapping[NormalizedName, tuple[str, ...]],
    applies: Callable[[str], bool],
    own: frozenset[str] = frozenset(),
) -> dict[NormalizedName, Pulled]:
    """What ``lock`` installs for the declared ``roots`` (name -> extras asked for).
    ``own``: the project's own names, which uv export's ``# via app`` names for what the
    project itself asks for.

    A graph lock is walked from the roots, breadth first, through each package's
    dependencies whose marker ``applies`` and the extras asked for. A flat lock installs
    everything: pip-compile's ``# via`` names who needs it, Pipfile.lock does not say.
    """
    by_name: dict[NormalizedName, list[Locked]] = {}
    for package in lock.packages:
        by_name.setdefault(package.name, []).append(package)
    if lock.flat:
        return {
            name: Pulled(found[0], lock.display, name in roots, _flat_reason(found[0], roots, own))
            for name, found in by_name.items()
        }
    reached = {
        name: Pulled(by_name[name][0], lock.display, True, None)
        for name in roots
        if name in by_name
    }
    queue = [(name, extras, name) for name, extras in roots.items()]
    seen: set[tuple[NormalizedName, tuple[str, ...]]] = set()
    while queue:
        name, extras, origin = queue.pop(0)
        if (name, extras) in seen or name not in by_name:
            continue
        seen.add((name, extras))
        for package in by_name[name]:
            wanted = [*package.dependencies]
            wanted += [dep for extra, deps in package.extras if extra in extras for dep in deps]
            for dep_name, dep_extras, marker in wanted:
                if dep_name not in by_name or not (marker is None or applies(marker)):
                    continue
                known = reached.get(dep_name)
                if known is None:
                    reached[dep_name] = Pulled(by_name[dep_name][0], lock.display, False, origin)
                elif known.declared and known.because is None and dep_name != origin:
                    reached[dep_name] = known._replace(because=origin)
                queue.append((dep_name, dep_extras, origin))
    return reached


def _flat_reason(
    package: Locked, roots: Mapping[NormalizedName, tuple[str, ...]], own: frozenset[str]
) -> NormalizedName | None:
    from packaging.utils import canonicalize_name

    vias = [
        name
        for name in map(canonicalize_name, package.via)
        if name != package.name and name not in own
    ]
    return next((name for name in vias if name in roots), vias[0] if vias else None)
