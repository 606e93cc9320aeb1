"""What the running environment's installed distributions provide, from their metadata.

Everything is read from the ``*.dist-info`` and ``*.egg-info`` folders on sys.path directly:
distribution names from the folder names, import names from ``top_level.txt`` or RECORD.
What a declared distribution provides is read from its first folder on sys.path (the one
importlib finds), and only for the distributions asked about; the reverse index behind "it
is provided by" lists every folder, shadowed ones too. No METADATA is parsed:
``importlib.metadata`` parses every distribution's METADATA to learn its name, which took a
tenth of a cold check in a large environment.
"""

from __future__ import annotations

import csv
import functools
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from flake8_reqs.cache import stamped
from flake8_reqs.cache.codec import TEXT, MapOf, TupleOf
from flake8_reqs.inputs import Inputs

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

# packaging is imported where used: a run that finds the index in the cache folder does
# not need it.

_MODULE_SUFFIXES = (".py", ".so", ".pyd", ".pyc")
_INDEX = MapOf(TEXT, TupleOf(TEXT))  # top-level import name -> distributions


def installed_import_names(distribution: NormalizedName) -> frozenset[str] | None:
    """Import names an installed distribution provides; None when it is not installed.

    Namespace packages are named as deep as they go (``google.cloud.storage``, not
    ``google``), from the files listed in RECORD, so that one distribution of a
    namespace does not seem to provide the others.
    """
    return _installed_import_names(distribution, tuple(sys.path))


def installed_import_names_of(
    distributions: Iterable[NormalizedName],
) -> dict[NormalizedName, frozenset[str]]:
    """installed_import_names of each of ``distributions`` that is installed: one look at
    sys.path for all of them, for a state that declares thousands."""
    path = tuple(sys.path)
    folders = _metadata_folders(path)
    found = {}
    for distribution in distributions:
        if distribution in folders:  # most of a long file is not installed: no call for those
            names = _installed_import_names(distribution, path)
            if names is not None:
                found[distribution] = names
    return found


# The caches are keyed on sys.path: what is installed is what sys.path can see.
@functools.cache
def _installed_import_names(
    distribution: NormalizedName, path: tuple[str, ...]
) -> frozenset[str] | None:
    folder = _metadata_folders(path).get(distribution)
    if folder is None:
        return None
    return _provided_by(folder)


def _metadata_folders(path: tuple[str, ...]) -> dict[str, str]:
    """Normalised distribution name -> its metadata folder, the first on ``path`` winning
    (as importlib finds it): one listing of each folder, names from the folder names, so a
    state with thousands of requirements does not search sys.path once per requirement."""
    first = _FIRST.get(path)
    if first is None:
        first = _FIRST[path] = {}
        for distribution, folder in every_metadata_folder(path):
            first.setdefault(distribution, folder)
    return first


def every_metadata_folder(path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """metadata_folders of ``path``: listed once per process, or again by relist."""
    listed = _LISTED.get(path)
    return listed if listed is not None else relist(path)


def relist(path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """metadata_folders of ``path``, listed now, and kept for every look-up after: a
    project state is built from what is installed when it is built (installed_lock.py
    lists sys.path for each state), and its import names come from the same listing."""
    listed = _LISTED[path] = metadata_folders(path)
    _FIRST.pop(path, None)
    return listed


# The listing of each sys.path, and its first folder of each distribution.
_LISTED: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
_FIRST: dict[tuple[str, ...], dict[str, str]] = {}


def metadata_folders(path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(normalised distribution name, metadata folder) of every folder on ``path``, in
    sys.path order, shadowed ones included."""
    from packaging.utils import canonicalize_name

    found: list[tuple[str, str]] = []
    for entry in path:
        try:
            with os.scandir(entry or ".") as listing:
                names = [item.name for item in listing]
        except OSError:  # a zip file, a missing folder: nothing installed there
            continue
        for name in sorted(names):
            stem, dot, suffix = name.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            # "Flask_Login-0.6.3.dist-info": the name is escaped, so it has no '-'.
            distribution = canonicalize_name(stem.partition("-")[0])
            found.append((distribution, os.path.join(entry or ".", name)))
    return tuple(found)


def _provided_by(folder: str) -> frozenset[str]:
    # RECORD is read as text: Distribution.files stats every listed file, which costs
    # more than the whole check on large environments.
    record = _read_text(folder, "RECORD")
    names = names_from_files(_record_paths(record))
    if names:
        return names
    return _lines(_read_text(folder, "top_level.txt"))


def _read_text(folder: str, name: str) -> str:
    """The file ``name`` of a metadata folder; empty when it has none (an ``.egg-info``
    may be a file, a folder may be unreadable), as importlib.metadata reads it."""
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _lines(text: str) -> frozenset[str]:
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def names_from_files(paths: Iterable[str]) -> frozenset[str]:
    """Importable names from a distribution's file list (RECORD paths)."""
    listed = set(paths)
    found = (_module_of(path.split("/"), listed) for path in listed)
    return frozenset(name for name in found if name)


def _top_names_from_record(folder: str) -> frozenset[str]:
    """The top-level parts of the names names_from_files finds in a RECORD, each found once:
    a file whose top-level part is known already adds nothing (a package's hundreds of
    modules are not each worked out)."""
    paths = _record_paths(_read_text(folder, "RECORD"))
    listed = set(paths)
    tops: set[str] = set()
    for path in paths:
        top, slash, _ = path.partition("/")
        if not slash:
            top = top.partition(".")[0]
        if top not in tops and _module_of(path.split("/"), listed):
            tops.add(top)
    return frozenset(tops)


def _record_paths(record: str) -> list[str]:
    """The paths of a RECORD (its first column, as csv reads it)."""
    if '"' in record:  # a quoted path: csv's rules
        return [row[0] for row in csv.reader(record.splitlines()) if row]
    return [line.partition(",")[0] for line in record.splitlines() if line]


def _module_of(parts: list[str], listed: set[str]) -> str | None:
    """The importable name a RECORD path (split at '/') gives, if any."""
    if parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] in {"..", ""}:
        return None
    if "__pycache__" in parts or not parts[-1].endswith(_MODULE_SUFFIXES):
        return None
    name = _importable_name(parts, listed)
    if name and all(part.isidentifier() for part in name.split(".")):
        return name
    return None


def _importable_name(parts: list[str], listed: set[str]) -> str | None:
    # The shallowest regular package (one with __init__) on the path names the module;
    # the folders above it are namespace packages shared with other distributions.
    for depth in range(1, len(parts)):
        if "/".join((*parts[:depth], "__init__.py")) in listed:
            return ".".join(parts[:depth])
    stem = parts[-1].partition(".")[0]
    return ".".join((*parts[:-1], stem))


@functools.cache
def _top_level_index(path: tuple[str, ...]) -> dict[str, tuple[NormalizedName, ...]]:
    """Top-level import name -> installed distributions that provide it.

    Reading every distribution's metadata takes tens of milliseconds in a large
    environment, so the index is kept in the cache folder until sys.path changes.
    """
    cached = stamped.load("installed", path, _INDEX)
    if isinstance(cached, dict):
        return cached
    build = stamped.begin()
    index: dict[str, list[NormalizedName]] = {}
    for distribution, folder in every_metadata_folder(path):
        # top_level.txt is cheaper than RECORD, when present
        names = _lines(_read_text(folder, "top_level.txt")) or _top_names_from_record(folder)
        for name in sorted(names):
            index.setdefault(name, []).append(cast("NormalizedName", distribution))
    result = {module: tuple(dict.fromkeys(dists)) for module, dists in index.items()}
    stamped.store("installed", path, result, _INDEX, build, Inputs())
    return result


def installed_providers(module: str) -> tuple[NormalizedName, ...]:
    """Installed distributions that provide ``module`` (dotted), most precise first.

    Reads every installed distribution's metadata on first use, so callers ask only
    when they have an undeclared import to explain.
    """
    candidates = _top_level_index(tuple(sys.path)).get(module.partition(".")[0], ())
    if len(candidates) <= 1:
        return candidates
    scored = []
    for dist in candidates:
        names = installed_import_names(dist) or frozenset()
        depth = max((name.count(".") + 1 for name in names if covers(name, module)), default=0)
        if depth:
            scored.append((depth, dist))
    best = max((depth for depth, _ in scored), default=0)
    return tuple(dist for depth, dist in scored if depth == best)


def covers(provided: str, module: str) -> bool:
    """Whether import name ``provided`` is ``module`` or a package that contains it."""
    return module == provided or module.startswith(provided + ".")
