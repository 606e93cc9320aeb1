"""What the prescan's process does (code/prescan.py): read the files, one line each.

A line is one JSON array: the file's path, its stamp taken before it was read, the digest
of its content, the target its result depends on (null: on none), the error, the imports
and the sys.path additions; or, before the file is read, an array of its path alone. The
first line is a JSON object: the listing, what its walk of the folders found (code/
discover.py's Discovery) and the arguments it walked with.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from flake8_reqs.cache.codec import BOOL, INT, TEXT, Fixed, Optional, Record, TupleOf
from flake8_reqs.cache.stamps import Stamp
from flake8_reqs.code.discover import NOTEBOOKS, Discovery
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports_cache import REFS
from flake8_reqs.code.scan import NO_MEMORY, TOO_DEEP, PrescannedFile
from flake8_reqs.code.sys_path import PathAddition

_GUESS = Target(None, "linux", None)
_TARGET = Fixed(Optional(Fixed(INT, INT)), TEXT, Optional(TEXT))
_LINE = Fixed(
    TEXT,
    Fixed(INT, INT, INT, INT),
    TEXT,
    Optional(_TARGET),
    Optional(TEXT),
    REFS,
    TupleOf(Record(PathAddition, INT, BOOL, TEXT)),
)
_WORDS = TupleOf(TEXT)
# The walk's arguments (paths, excludes, filename patterns, other patterns); then the files,
# the folders, the folders that could not be listed (with why), the other files, and the
# folders stamped (absolute) with their stamps, four numbers each, one after the other.
_LISTING = Fixed(
    Fixed(_WORDS, _WORDS, _WORDS, _WORDS),
    *(_WORDS, _WORDS, TupleOf(Fixed(TEXT, TEXT)), _WORDS, _WORDS, TupleOf(INT)),
)

Walk = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Listing(NamedTuple):
    """What the prescan's walk found, and the arguments of discover it walked with."""

    walk: Walk
    discovery: Discovery


def decoded(line: bytes) -> PrescannedFile | Listing | str:
    """A line's file, the listing, or the path of the file it starts reading. Raises
    ValueError, TypeError or codec.Mismatch for anything else."""
    fields: Any = json.loads(line)
    if type(fields) is dict:
        return _listing(fields.get("listing"))
    if len(fields) == 1:
        return str(TEXT.decode(fields[0]))
    path, stamp, digest, target, error, refs, additions = _LINE.decode(fields)
    depends = None if target is None else Target(*target)
    return PrescannedFile(path, stamp, digest, depends, error, refs, additions)


def read_all(fd: int, options: Sequence[str], run: int) -> None:  # pragma: no cover - child
    """Read the files under the paths among ``options`` (the command line after ``check``;
    ``.`` when it names none), largest first (as scan_files hands them out, and as a file
    too large for memory is met first), one line each to ``fd``; stop when the process
    ``run`` (the run's, this one's parent) has ended, killed perhaps, which no signal says."""
    from flake8_reqs.cache.stamps import MISSING, is_racy, stamp_file
    from flake8_reqs.code.discover import discover

    paths = guessed_paths(options)
    since = time.time_ns()  # a stamp taken after this can only be trusted if not racy
    files = []
    # As the run would walk, if its options are those guessed: then it takes this walk.
    walk: Walk = (tuple(paths or ["."]), tuple(guessed_excludes(options)), ("*.py",), NOTEBOOKS)
    found = discover(
        walk[0], exclude=walk[1], filename_patterns=walk[2], also=walk[3], stamp_folders=True
    )
    _write(fd, _listing_line(walk, found))
    for name in found.files:
        path = os.path.abspath(name)
        stamp = stamp_file(path)
        if stamp != MISSING and not is_racy(stamp[0], since):
            files.append((path, stamp))
    files.sort(key=lambda item: -item[1][1])
    for path, stamp in files:
        if os.getppid() != run:  # its parent ended: it now has another
            return
        _write(fd, json.dumps([path]))  # what it reads: poll knows what killed it
        line = _read_one(path, stamp)
        if line is not None:
            _write(fd, line)


def _listing_line(walk: Walk, found: Discovery) -> str:  # pragma: no cover - in the child
    stamps = [number for stamp in found.stamps.values() for number in stamp]
    fields = (walk, found.files, found.folders, found.unlisted, found.also, [*found.stamps])
    return json.dumps({"listing": _LISTING.encode((*fields, stamps))})


def _listing(fields: Any) -> Listing:
    walk, files, folders, unlisted, also, stamped, numbers = _LISTING.decode(fields)
    if len(numbers) != 4 * len(stamped):
        raise ValueError("a stamp is not four numbers")
    stamps = dict(zip(stamped, zip(*[iter(numbers)] * 4)))
    return Listing(walk, Discovery(files, folders, unlisted, also, stamps))


# The options of ``check`` whose value may be the next argument (``--reqs-file x.txt``,
# ``--cache-dir .cache``): check's own, flake8's with the --reqs-* ones, and those of the
# plugins flake8 comes with (mccabe, pyflakes). A test holds it to the parsers.
_TAKING_A_VALUE = frozenset(
    {
        *("-j", "--jobs", "--cache-dir", "--entry", "--format", "--reqs-unused-ok"),
        *("--config", "--append-config", "--output-file", "--color", "--stdin-display-name"),
        *("--select", "--extend-select", "--ignore", "--extend-ignore", "--per-file-ignores"),
        *("--exclude", "--extend-exclude", "--filename", "--enable-extensions"),
        *("--require-plugins", "--max-line-length", "--max-doc-length", "--indent-size"),
        *("--max-complexity", "--builtins"),
        *("--reqs-file", "--reqs-dev-file", "--reqs-dev-paths", "--reqs-lock-file"),
        *("--reqs-system-file", "--reqs-system-ok", "--reqs-module-map", "--reqs-platform"),
        *("--reqs-python-version", "--reqs-docker-target", "--reqs-runtime-groups"),
        "--reqs-local-modules",
    }
)


def guessed_paths(options: Sequence[str]) -> list[str]:
    """The paths among ``options`` (check's command line), as argparse would tell them from
    the options and their values: the arguments that exist, that are not options, and
    that are not the value of the option before them."""
    paths: list[str] = []
    value = False  # whether ``option`` is the value of the one before it
    for position, option in enumerate(options):
        if option == "--":  # the end of the options: the rest are paths
            paths += options[position + 1 :]
            break
        if not value and not option.startswith("-"):
            paths.append(option)
        value = not value and option in _TAKING_A_VALUE  # "--reqs-file=x" is one argument
    return [path for path in paths if os.path.exists(path)]


def guessed_excludes(options: Sequence[str]) -> list[str]:
    """flake8's exclude patterns as ``options`` and the flake8 configuration found from the
    working directory give them, read without flake8's option machinery: --exclude (or the
    configuration's ``exclude``, or flake8's default), with --extend-exclude (or the
    configuration's ``extend-exclude``). A guess: a project whose in-tree virtual
    environment its configuration excludes is not read in its place."""
    from flake8.defaults import EXCLUDE

    here = os.getcwd()
    configured, folder = _configured(here)
    chosen = []
    for name, default in (("exclude", list(EXCLUDE)), ("extend-exclude", [])):
        given = _option(options, f"--{name}")
        if given is not None:
            chosen += _normalised(given, here)
        elif name in configured:
            chosen += _normalised(configured[name], folder)
        else:
            chosen += default
    return chosen


def _option(options: Sequence[str], name: str) -> str | None:
    """The last value of the long option ``name`` among ``options``."""
    value = None
    for position, option in enumerate(options):
        if option == name and position + 1 < len(options):
            value = options[position + 1]
        elif option.startswith(name + "="):
            value = option.partition("=")[2]
    return value


def _configured(folder: str) -> tuple[dict[str, Any], str]:
    """The ``exclude`` and ``extend-exclude`` of the flake8 configuration file found as
    flake8 finds it (from ``folder`` up, not into the home folder; pyproject.toml's
    ``[tool.flake8]`` too when Flake8-pyproject is installed), and its folder."""
    from importlib.util import find_spec

    from flake8_reqs.flake8_config import BrokenConfig, flake8_section

    pyproject = find_spec("flake8p") is not None
    home = os.path.expanduser("~")
    while True:
        try:
            section = flake8_section(folder, pyproject=pyproject)
        except BrokenConfig:  # flake8 stops on it; a guess goes on
            section = None
        if section is not None:
            values = {key.replace("_", "-"): value for key, value in section.items()}
            wanted = ("exclude", "extend-exclude")
            return {name: values[name] for name in wanted if name in values}, folder
        parent = os.path.dirname(folder)
        if parent in (folder, home):
            return {}, folder
        folder = parent


def _normalised(value: str | list[str], folder: str) -> list[str]:
    """A comma- or space-separated list of patterns (or a TOML list of them), a pattern
    with a separator made an absolute path from ``folder``, as flake8 normalises them."""
    text = value if isinstance(value, str) else ",".join(map(str, value))
    patterns = []
    for item in re.split(r"[,\s]", text):
        if not item.strip():
            continue
        item = item.strip()
        if item == "." or os.sep in item or (os.altsep and os.altsep in item):
            item = os.path.abspath(os.path.join(folder, item))
        patterns.append(item.rstrip(os.sep + (os.altsep or "")))
    return patterns


def _write(fd: int, line: str) -> None:  # pragma: no cover - in the child
    view = memoryview((line + "\n").encode())
    while view:
        view = view[os.write(fd, view) :]


_asked: list[bool] = []


class _Watched(Target):
    """The guessed target, noting in ``_asked`` that the reading asked it something."""

    __slots__ = ()

    @property
    def version(self) -> tuple[int, int] | None:
        _asked.append(True)
        return super().version

    @property
    def platform(self) -> str:
        _asked.append(True)
        return super().platform

    @property
    def libc(self) -> str | None:
        _asked.append(True)
        return super().libc


def _read_one(path: str, stamp: Stamp) -> str | None:  # pragma: no cover - in the child
    """The line of the file ``path`` (``stamp`` taken before it is read), or None when its
    result depends on more than the file (how deep this process's stack is)."""
    from flake8_reqs.code.imports_cache import content_digest
    from flake8_reqs.code.scan import parse_file
    from flake8_reqs.inputs import Unreadable, read_file

    try:
        data = read_file(path)
    except Unreadable:
        return None
    _asked.clear()
    scanned = parse_file(Path(path), data, _Watched(*_GUESS))
    if scanned.error in (TOO_DEEP, NO_MEMORY):
        return None
    target = tuple(_GUESS) if _asked else None
    record = (path, stamp, content_digest(data), target, scanned.error, scanned.refs)
    return json.dumps(_LINE.encode((*record, scanned.additions)))
