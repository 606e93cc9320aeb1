"""Keeping the editor's entry (project/editor_entry.py) after the full path has run.

What the entry holds for the folder of the file on stdin, built from the project state the
full path loaded, with the files that decide the file's root and configuration stamped
(present or not) and the findings of the last files of the folder. Only the full path
imports this module: a run answered from the entry never writes it.
"""

from __future__ import annotations

import os

from flake8_reqs.cache import stamped
from flake8_reqs.cache.stamps import is_racy, stamp_file, stamp_files
from flake8_reqs.project import editor_entry

TYPE_CHECKING = False  # not typing's: see cache/codec.py
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from flake8_reqs.cache.stamps import PathStamps
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.problems import Problem
    from flake8_reqs.project.editor_entry import Answer, Shortcut
    from flake8_reqs.project.import_roots import FileRoots
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings


def remember(
    options: argparse.Namespace,
    start: Path,
    settings: Settings,
    root: Path,
    state: ProjectState,
    decided_by: Iterable[str],
    answers: Sequence[Answer] = (),
) -> Shortcut | None:
    """Keep ``state``'s answer for the files of the folder of this run's file on stdin, with
    ``answers`` (newest first); the entry kept, or None when nothing could be.
    ``decided_by``: the names of the files that decide a file's root and configuration."""
    from flake8_reqs.inputs import Inputs
    from flake8_reqs.project.load import state_key

    build = stamped.begin()
    state_inputs = stamped.inputs_of("project", state_key(settings, root))
    if state_inputs is None:
        return None  # an input changed while the state was built: nothing to be sure of
    files, environ = state_inputs
    folder = editor_entry.folder_of(options, start)
    inputs = Inputs()
    inputs.files.update(files)  # as the state read them: store() refuses any changed since
    for path in _deciding_files((folder, os.fspath(start)), decided_by):
        inputs.files.setdefault(path, stamp_file(path))
    for name, _ in environ:
        inputs.environ[name] = os.environ.get(name)
    own = settings.local_modules | state.own_names
    first_party, first_party_folders = _first_party(root, own, build[0])
    shortcut = editor_entry.Shortcut(
        os.fspath(root),
        _needs_no_check(state),
        own,
        state.target,
        state.active,
        state.notes,
        state.settings_files,
        tuple(answers[: editor_entry.ANSWERS_KEPT]),
        first_party,
        first_party_folders,
    )
    stamped.store(
        editor_entry.KIND,
        editor_entry.key(options, start),
        shortcut,
        editor_entry.SHAPE,
        build,
        inputs,
    )
    return shortcut


def with_answer(
    kept: Shortcut,
    filename: str,
    refs: Iterable[ImportRef],
    roots: FileRoots,
    problems: Iterable[Problem],
) -> list[Answer]:
    """The answers of ``kept`` (the entry valid in this run) with the full path's
    ``problems`` for the file ``filename`` first, in place of any it had for that file;
    ``refs``: every import of the file, ``roots``: its import roots."""
    path = os.path.abspath(filename)
    imports = editor_entry.left_to_check(refs, editor_entry.known_names(kept), roots)
    findings = tuple((problem.line, problem.col, problem.message) for problem in problems)
    return [(path, imports, findings), *(a for a in kept.answers if a[0] != path)]


def _first_party(
    root: Path, own: frozenset[str], started_ns: int
) -> tuple[frozenset[str], PathStamps]:
    """The first-party names, listed now, and the stamps of the folders they were listed
    from, taken before the listing: a folder changed meanwhile has a newer stamp than the
    names it gave, and the next run lists it again. No stamps when one is racy (a folder
    changed within a second of now, which the next change may leave with the same stamp)
    or the folders changed while they were listed: then every run lists the tree."""
    from flake8_reqs.code.folders import clear_listings
    from flake8_reqs.project.first_party import first_party_folders, first_party_names

    clear_listings()  # the full path's listings may be older than the stamps
    folders = first_party_folders(root)
    stamps = stamp_files(folders)
    clear_listings()
    names = first_party_names(root, own)
    if first_party_folders(root) != folders:  # as the names were listed: same folders
        return names, ()
    if any(is_racy(stamp[1], started_ns) for stamp in stamps):
        return names, ()
    return names, stamps


def _needs_no_check(state: ProjectState) -> frozenset[str]:
    """The standard library, less what the image leaves out, and each top-level name that
    a runtime requirement provides whose every dotted name, itself included, the full path
    finds provided quietly (project/state.py): then so is any import under it."""
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.project.state import provided_quietly

    names = set(state.stdlib - (state.stdlib_needs or {}).keys())
    quiet: dict[str, bool] = {}
    for name in state.provisions:
        top = name.partition(".")[0]
        if quiet.get(top, True):
            quiet[top] = provided_quietly(ImportRef(name, 0, 0), state)
    names.update(top for top, ok in quiet.items() if ok and top in state.provisions)
    return frozenset(names)


def _deciding_files(folders: Iterable[str], names: Iterable[str]) -> list[str]:
    """Each of ``names`` in each of ``folders`` and the folders above them, found or not."""
    names = tuple(names)
    paths: dict[str, None] = {}
    for folder in folders:
        while True:
            paths.update(dict.fromkeys(os.path.join(folder, name) for name in names))
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return list(paths)
