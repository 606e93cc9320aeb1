"""ProjectState: everything that does not depend on the file, and where it comes from.

An editor runs flake8 once per save, so building the state (reading the requirement
sources, resolving what installed distributions provide) must not happen on every run.
It is built once per process (``project.build``), and kept between processes in the
user's cache folder (``project.load``) for as long as the files it was built from and the
installed environment stay as they were. This module imports nothing heavy: a run that
finds the state in the cache never imports packaging or importlib_metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.code.guards import Target
from flake8_reqs.named_tuple import NamedTuple

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.settings import SourceFile
    from flake8_reqs.system.files import SystemPackages
    from flake8_reqs.system.native import NativeNeed
    from flake8_reqs.system.starts import Starts


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class ProjectState(NamedTuple):
    root: Path
    target: Target
    runtime_sources: str  # as messages name them: "requirements-prod.txt"
    runtime_files: tuple[SourceFile, ...]  # the files that runtime_sources names
    provisions: Mapping[str, tuple[Provision, ...]]  # import name -> who provides it
    first_party: frozenset[str]
    stdlib: frozenset[str] = frozenset()  # top-level standard-library names of the target
    system: SystemPackages | None = None  # what the image installs, when a system file says
    system_ok: frozenset[NormalizedName] = frozenset()  # needs handled another way
    active: bool = True  # False when nothing declares anything: report nothing
    notes: tuple[str, ...] = ()  # problems with the inputs, one line each
    own_names: frozenset[str] = frozenset()  # the project's own import names, from its metadata
    # What each declared (distribution, pinned version) needs from the system, looked up
    # when the state is built: an editor run then never loads the native-library data.
    native_needs: Mapping[tuple[str, str | None], NativeNeed | None] | None = None
    # Standard-library modules whose OS library the shipped image leaves out (tkinter on
    # python:3.12-slim), by top-level name: judged when the state is built, as above.
    stdlib_needs: Mapping[str, NativeNeed] | None = None
    # The import names of the workspace members beside the project, for REQ001's hint:
    # (import name, distribution, folder as messages show it).
    members: tuple[tuple[str, str, str], ...] = ()
    # Every requirement source, runtime and not, as messages name them: what a test file's
    # REQ001 looked in ("not declared in any requirement set").
    all_sources: str = ""
    # The files manage.py's DJANGO_SETTINGS_MODULE may name (absolute): settings modules
    # whatever they assign (project/settings_modules.py).
    settings_files: frozenset[str] = frozenset()
    starts: Starts | None = None  # what the start commands run (system/start_files.py)
    # Import name -> the distributions production installs only because a declared one
    # depends on them (lock files): the requirement is the locked pin, in the lock file,
    # and the group the declared distribution that pulls it in ("" when the lock does not say).
    transitive: Mapping[str, tuple[Provision, ...]] | None = None
    quiet: frozenset[tuple[str, int]] = frozenset()  # (path, line) REQ201 never reports
    # Declared distributions (as written) whose import names only the name guess gives:
    # not installed, in no map, not in the index.
    unknown_names: tuple[str, ...] = ()
    target_source: str = ""  # what named the target's version: "Dockerfile:1 FROM python:3.12"
    # import name -> runtime requirements whose environment marker is false on the target
    excluded: Mapping[str, tuple[Provision, ...]] | None = None


def provided_quietly(ref: ImportRef, state: ProjectState) -> bool:
    """Whether a runtime requirement provides ``ref`` and the distribution it names is known
    to need nothing from the system: then no check can report ``ref``, and a run whose
    imports are all like this need not import the checks (bench/README.md, editor latency).
    """
    if not state.provisions or state.native_needs is None:
        return False
    from flake8_reqs.declared.resolve import find_provisions, split_by_name  # loaded with the state

    for one in split_by_name(ref, state.provisions):
        runtime = [p for p in find_provisions(one, state.provisions) if p.group is None]
        if not runtime:
            return False
        key = (runtime[0].requirement.name, runtime[0].requirement.pinned)
        if state.native_needs.get(key, False) is not None:  # a need, or not looked up
            return False
    return True


def verbose_target(state: ProjectState) -> list[str]:
    """With flake8 -v, the line that says which target Python the project is checked for
    and what named it; else nothing (and project.target, which says it, is not imported)."""
    from flake8_reqs.options import is_verbose

    if not is_verbose():
        return []
    from flake8_reqs.project.target import describe_target

    return [describe_target(state.target, state.target_source, state.root)]
