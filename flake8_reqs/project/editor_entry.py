"""The editor's entry: what the files of one folder may import without being checked.

An editor runs flake8 on the file being edited at every save, and most saves change no
import. The full path (full_path.py) imports some thirty modules, finds the file's flake8
configuration and project root, and loads the project state, to find that every import is
standard library, first party, or a runtime requirement known to need nothing from the
system: then it reports nothing. This entry keeps the answer to that question for one
folder's files, so that such a run needs only the import reader and the cache:

- found by flake8's options as the plugin receives them (every ``reqs-*`` option, which
  configuration file flake8 was told to use), the working directory and the folder of the
  file on stdin;
- valid while the installed environment, the project state's inputs and environment
  variables, and every file that decides the file's project root and configuration
  (markers, configuration files, ``__init__.py`` in each folder above it, present or not)
  are as they were (``cache/stamped.py``);
- holding the target (for the guards), the names that need no check but the first-party
  ones (the standard library of the target, less what its image leaves out, and the
  import names whose every runtime requirement needs nothing from the system), the
  project's own names, its root, the first-party names with the stamps of the folders
  they were read from (project/first_party.py: a run lists the tree again, as the full
  path does, when one of those folders has had an entry added or removed since, as a
  folder does on every save of an editor that writes a new file and renames it), its
  notes, and its settings modules (whose string uses only the full path reads);
- and the findings the full path reported for the last files of the folder that import
  something else (an undeclared distribution, one that needs a system library), each with
  the imports it checked: the same file with the same imports left to check is answered
  from them. The imports left are those neither known above nor covered by the file's
  import roots, both read from the tree on every run, so a module added beside the file, or
  one that becomes first party, changes them.

A file with any other import takes the full path, and so does a file that changes sys.path.
Only runs on stdin use the entry. This module reads it; the full path writes it
(project/editor_keep.py), so a run answered from the entry loads none of that code.
"""

from __future__ import annotations

import os

from flake8_reqs.cache import stamped
from flake8_reqs.cache.codec import BOOL, INT, TEXT, Fixed, FrozenSetOf, Optional, Record, TupleOf
from flake8_reqs.cache.stamps import unchanged
from flake8_reqs.code.guards import Target
from flake8_reqs.named_tuple import NamedTuple

TYPE_CHECKING = False  # typing's own constant costs milliseconds to import: cache/codec.py
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable
    from pathlib import Path

    from flake8_reqs.cache.stamps import PathStamps
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.project.import_roots import FileRoots

    Finding = tuple[int, int, str]  # line, column, message: as the plugin reports it
    # What the full path reported for one file of the folder: its absolute path, the imports
    # it checked (as left_to_check writes them), its findings. A plain tuple, not a
    # NamedTuple: defining one costs 30-40 us, on every editor run.
    Answer = tuple[str, str, tuple[Finding, ...]]

KIND = "editor"
# flake8's options that decide which configuration file the plugin's options come from.
_CONFIG_OPTIONS = ("config", "isolated", "toml_config")


# The files of a folder whose findings are kept: an editor has a few open at a time.
ANSWERS_KEPT = 16


class Shortcut(NamedTuple):
    """What the files of one folder may import without being checked."""

    root: str
    known: frozenset[str]  # beside the first-party names
    own: frozenset[str]  # first-party names that are not in the tree (--reqs-local-modules...)
    target: Target
    active: bool  # False when nothing declares anything: nothing is reported
    notes: tuple[str, ...]  # the state's input problems, reported on every run
    settings_files: frozenset[str]
    answers: tuple[Answer, ...]  # newest first, at most ANSWERS_KEPT
    # The first-party names (with ``own``) as listed when the entry was kept, and the stamps
    # of the folders they were listed from; none when a stamp was racy: listed every run.
    first_party: frozenset[str]
    first_party_folders: PathStamps


SHAPE = Record(
    Shortcut,
    TEXT,
    FrozenSetOf(TEXT),
    FrozenSetOf(TEXT),
    Record(Target, Optional(Fixed(INT, INT)), TEXT, Optional(TEXT)),
    BOOL,
    TupleOf(TEXT),
    FrozenSetOf(TEXT),
    TupleOf(Fixed(TEXT, TEXT, TupleOf(Fixed(INT, INT, TEXT)))),
    FrozenSetOf(TEXT),
    stamped.STAMPS,
)


def recall(options: argparse.Namespace, start: Path) -> Shortcut | None:
    """The entry for this run's file on stdin, if one was kept and is still valid."""
    shortcut = stamped.load(KIND, key(options, start), SHAPE)
    return shortcut if isinstance(shortcut, Shortcut) else None


def known_names(shortcut: Shortcut) -> frozenset[str]:
    """Every top-level name a file of the folder may import without being checked: the
    first-party names kept, while the folders they were listed from are unchanged (listing
    them again cost an editor's run a quarter of a millisecond), else listed now."""
    if shortcut.first_party_folders and unchanged(shortcut.first_party_folders):
        return shortcut.known | shortcut.first_party
    from flake8_reqs.project.first_party import first_party_names

    return shortcut.known | first_party_names(shortcut.root, shortcut.own)


def left_to_check(refs: Iterable[ImportRef], known: frozenset[str], roots: FileRoots) -> str:
    """The imports of ``refs`` that need the project state, as an answer is keyed: those
    not in ``known`` (known_names) nor covered by the file's import ``roots``."""
    return repr([ref for ref in refs if ref.top_level not in known and not roots.covers(ref)])


def answer(shortcut: Shortcut, filename: str, imports: str) -> tuple[Finding, ...] | None:
    """The findings kept for the file ``filename`` with the imports left to check
    ``imports`` (left_to_check), if the full path has reported on exactly that."""
    path = os.path.abspath(filename)
    for kept_path, kept_imports, findings in shortcut.answers:
        if kept_path == path and kept_imports == imports:
            return findings
    return None


def folder_of(options: argparse.Namespace, start: Path) -> str:
    displayed = getattr(options, "stdin_display_name", "stdin")
    return os.path.dirname(os.path.abspath(os.path.join(start, displayed)))


def key(options: argparse.Namespace, start: Path) -> tuple[object, ...]:
    ours = sorted((name, value) for name, value in vars(options).items() if name[:5] == "reqs_")
    config = tuple(getattr(options, name, None) for name in _CONFIG_OPTIONS)
    return (os.fspath(start), folder_of(options, start), tuple(ours), config)
