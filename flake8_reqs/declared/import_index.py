"""The bundled index of PyPI's import names: what a declared distribution provides when unknown.

``flake8_reqs/data/pypi_import_names.txt`` is built by ``scripts/build_import_index.py`` from
the database that the ``pigar`` distribution ships (its NOTICE beside it says which version,
with hashes). It holds only the distributions whose top-level import names the name guess
below would get wrong, so the runtime and the builder must use the same guess:
``guessed_import_names`` here, which the builder imports from the checkout.

Use it only in the safe direction: a *declared* distribution provides the names listed for
it. An entry lists all of the distribution's kept names (the guessable ones too), so it
replaces the guess; a distribution without an entry gets the guess.

The file is read-only text, never code: header lines starting with ``#``, then one line per
distribution, ``<normalised name>\\t<name>,<name>...``, sorted by the name's bytes. A look-up
opens it and bisects it for each asked name, so nothing else of it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    # A probe of the bisection: where the line starts, its name, where the next one
    # starts, and the rest of the line.
    _Probe = tuple[int, bytes, int, bytes]

DATA_FILE = "pypi_import_names.txt"

_PREFIXES = ("python3_", "python_", "py_")
_SUFFIXES = ("_python", "_py")
_SEPARATORS = re.compile(r"[-_.]+")


def _normalize(name: str) -> str:
    """PEP 503: lower case, each run of ``-``, ``_`` and ``.`` as one ``-``."""
    if name.islower() and not ("_" in name or "." in name or "--" in name):
        return name  # normalised already, as most names asked about are: four scans, no regex
    return _SEPARATORS.sub("-", name).lower()


def guessed_import_names(distribution: str) -> frozenset[str]:
    """The import names (lower case) that the name guess gives a distribution.

    The normalised name with ``-`` turned into ``_``; also without a leading ``python3-``,
    ``python-`` or ``py-`` and without a trailing ``-python`` or ``-py`` (one of each, as
    long as something is left). An import name matches a guess case-insensitively: use
    ``is_guessed``. ``python-dateutil`` gives ``python_dateutil`` and ``dateutil``.
    """
    name = _normalize(distribution).replace("-", "_")
    if not (name.startswith(_PREFIXES) or name.endswith(_SUFFIXES)):
        return frozenset((name,))  # most names: no prefix or suffix to drop
    guesses = {name}
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            guesses.add(name[len(prefix) :])
            break
    for guess in tuple(guesses):
        for suffix in _SUFFIXES:
            if guess.endswith(suffix) and len(guess) > len(suffix):
                guesses.add(guess[: -len(suffix)])
                break
    return frozenset(guesses)


def is_guessed(distribution: str, module: str) -> bool:
    """Whether the name guess gives ``distribution`` the top-level name of ``module``."""
    return module.partition(".")[0].lower() in guessed_import_names(distribution)


def header(stream: IO[bytes]) -> dict[str, str]:
    """The ``# key: value`` lines at the top of the data file, as a mapping."""
    fields: dict[str, str] = {}
    stream.seek(0)
    for raw in stream:
        if not raw.startswith(b"#"):
            break
        key, sep, value = raw[1:].decode("ascii").strip().partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _data_start(stream: IO[bytes]) -> int:
    stream.seek(0)
    start = 0
    for raw in stream:
        if not raw.startswith(b"#"):
            break
        start += len(raw)
    return start


def _find(
    stream: IO[bytes],
    key: bytes,
    start: int,
    end: int,
    seen: dict[int, _Probe] | None = None,
) -> bytes | None:
    """The rest of the line whose name is ``key``, bisecting the lines in ``[start, end)``.

    ``lo`` and ``hi`` stay at line starts (or ``end``), and the line whose name is ``key``,
    if any, lies in ``[lo, hi)``: once that is at most _READ_AT_MOST bytes, it is read at
    once and searched. ``seen`` keeps each probe's line by its offset, for the next keys
    looked up in the same file, whose first probes are the same.
    """
    lo, hi = start, end
    while hi - lo > _READ_AT_MOST:
        mid = (lo + hi) // 2
        probe = seen.get(mid) if seen is not None else None
        if probe is None:
            if mid > 0:
                stream.seek(mid - 1)
                stream.readline()  # to the first line that starts at or after mid
            else:
                stream.seek(0)
            here = stream.tell()
            name, _, rest = stream.readline().partition(b"\t")
            probe = (here, name, stream.tell(), rest.rstrip(b"\n"))
            if seen is not None:
                seen[mid] = probe
        here, name, after, rest = probe
        if here >= hi:
            break  # no line starts in [mid, hi): search [lo, hi)
        if name == key:
            return rest
        if name < key:
            lo = after
        else:
            hi = here
    stream.seek(lo)
    lines = b"\n" + stream.read(hi - lo)
    at = lines.find(b"\n" + key + b"\t")
    if at < 0:
        return None
    begin = at + len(key) + 2  # after the "\n", the name and the tab
    line_end = lines.find(b"\n", begin)
    return lines[begin:] if line_end < 0 else lines[begin:line_end]


# Below this many bytes between the bisection's bounds, the lines there are read at once
# and searched: one read in place of the last eight probes (a line is 30 bytes long).
_READ_AT_MOST = 8192


def open_data() -> IO[bytes]:
    """The data file, opened for reading bytes, found beside the package as data_files finds
    the TOML files (importlib.resources cannot open a file of the namespace package
    flake8_reqs.data on Python 3.9)."""
    return (Path(__file__).parent.parent / "data" / DATA_FILE).open("rb")


def indexed_import_names(
    names: Iterable[NormalizedName],
) -> dict[NormalizedName, tuple[str, ...]]:
    """The indexed import names of each of ``names`` that the index holds.

    Keys are the given names, as given; each is looked up by its PEP 503 form, so
    ``Scikit_Fuzzy`` finds ``scikit-fuzzy``. A name absent from the result has no entry:
    the guess gets its import names right, or pigar's data does not know it.
    """
    wanted = {name: _normalize(name).encode("ascii", "replace") for name in names}
    if not wanted:
        return {}
    found: dict[NormalizedName, tuple[str, ...]] = {}
    with open_data() as stream:
        start = _data_start(stream)
        end = stream.seek(0, 2)
        rests: dict[bytes, bytes | None]
        if len(wanted) > _BISECT_AT_MOST:
            rests = dict(_merged(stream, start, wanted.values()))
        else:
            seen: dict[int, _Probe] = {}
            rests = {key: _find(stream, key, start, end, seen) for key in wanted.values()}
        for name, key in wanted.items():
            rest = rests.get(key)
            if rest:
                found[name] = tuple(rest.decode("ascii").split(","))
    return found


# A look-up reads about nine lines of the file (fewer after the first: the probes are kept)
# and 8 KB; past this many names, one pass over the whole file (about 136,000 lines) beside
# the sorted names costs less.
_BISECT_AT_MOST = 2000


def _merged(stream: IO[bytes], start: int, keys: Iterable[bytes]) -> dict[bytes, bytes]:
    """The rest of the line of each of ``keys`` the file holds, in one pass over it beside
    the sorted keys: linear in the file and the keys, whatever their number."""
    pending = sorted(set(keys), reverse=True)  # the smallest last, popped first
    found: dict[bytes, bytes] = {}
    stream.seek(start)
    for raw in stream:
        if not pending:
            break
        name, _, rest = raw.partition(b"\t")
        while pending and pending[-1] < name:
            pending.pop()  # not in the file
        if pending and pending[-1] == name:
            found[pending.pop()] = rest.rstrip(b"\n")
    return found
