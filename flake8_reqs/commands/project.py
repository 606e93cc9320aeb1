"""Project: the projects of a run, opened as flake8 would, and their files' imports."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.cache import files as cache_files
from flake8_reqs.errors import ReqsInputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from flake8_reqs.cache.stamps import Stamp
    from flake8_reqs.code.discover import Discovery
    from flake8_reqs.code.guards import Target
    from flake8_reqs.code.prescan import Prescan
    from flake8_reqs.code.scan import ScannedFile
    from flake8_reqs.commands.check.findings import Selection
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings


@dataclass(frozen=True)
class Part:
    """One project of a run: its state, and those of the files checked that belong to it."""

    state: ProjectState
    files: tuple[Path, ...]


@dataclass(frozen=True)
class Project:
    """The projects opened the way flake8 would: options, settings, and the files checked,
    each with the state of its own project (or all with --reqs-file's)."""

    settings: Settings
    parts: tuple[Part, ...]  # in the order of their roots' paths
    root: Path  # the run's own project (found from the working directory): entries start here
    files: tuple[Path, ...]
    selection: Selection
    discovery: Discovery
    working_directory: Path
    exclude: tuple[str, ...] = ()  # flake8's exclude patterns, for is_whole
    filename_patterns: tuple[str, ...] = ()
    verbose: bool = False  # -v: the plugin has said which target Python it chose
    # Each project root walked for is_whole: (whether the run checks all its files, its
    # notebooks). Kept for the run.
    _walks: dict[Path, tuple[bool, tuple[Path, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Each file's stamp, taken by scan before it was read (for the stored answer).
    stamps: dict[str, Stamp] = field(default_factory=dict, compare=False, repr=False)

    def own_state(self) -> ProjectState:
        """The state of the run's own project (``root``), which verify installs.

        Raises ReqsInputError when it cannot be built.
        """
        from flake8_reqs.plugin import Plugin

        state = Plugin.state_at(self.root)
        if state is None:
            raise ReqsInputError(str(self.root), None, "the project's state cannot be built")
        return state

    def is_whole(self, state: ProjectState) -> bool:
        """Whether the run checks every file of ``state``'s project that flake8 would check
        from its root: REQ201 ("never imported") is decided only then, since a file left
        out may be the one that imports it."""
        return self._walk(state)[0]

    def notebooks(self, state: ProjectState) -> tuple[Path, ...]:
        """The Jupyter notebooks of ``state``'s project (not excluded), found in the walk
        that is_whole makes: their imports count as uses for REQ201."""
        return self._walk(state)[1]

    def notebooks_found(self) -> list[Path]:
        """Every notebook the walks of this run found (a stored answer depends on them)."""
        return [path for _, notebooks in self._walks.values() for path in notebooks]

    def _walk(self, state: ProjectState) -> tuple[bool, tuple[Path, ...]]:
        from flake8_reqs.code.discover import NOTEBOOKS, discover

        walked = self._walks.get(state.root)
        if walked is not None:
            return walked
        if os.fspath(state.root) in self._folders_walked:
            # The run's own walk went through the root, and so through every folder below
            # it that is not excluded (which depends only on each one's name and path): it
            # found every file flake8 would check there, and the notebooks.
            notebooks = tuple(
                path
                for path in (Path(os.path.abspath(name)) for name in self.discovery.also)
                if path.is_relative_to(state.root) and self._owns(state, path)
            )
            walked = self._walks[state.root] = (True, notebooks)
            return walked
        found = discover(
            [str(state.root)],
            exclude=self.exclude,
            filename_patterns=self.filename_patterns,
            also=NOTEBOOKS,
        )
        checked = set(self.files)
        whole = all(
            path in checked or not self._owns(state, path)
            for path in (Path(os.path.abspath(name)) for name in found.files)
        )
        notebooks = tuple(
            path
            for path in (Path(os.path.abspath(name)) for name in found.also)
            if self._owns(state, path)
        )
        walked = self._walks[state.root] = (whole, notebooks)
        return walked

    @functools.cached_property
    def _folders_walked(self) -> frozenset[str]:
        return frozenset(os.path.abspath(folder) for folder in self.discovery.folders)

    @staticmethod
    def _owns(state: ProjectState, path: Path) -> bool:
        """Whether ``path`` below ``state``'s root is of its project (not a nested one's)."""
        from flake8_reqs.plugin import Plugin

        owner = Plugin.state_of(str(path))
        return owner is None or owner.root == state.root

    def state_of(self, path: Path) -> ProjectState | None:
        """The state of the project ``path`` belongs to."""
        from flake8_reqs.plugin import Plugin

        return Plugin.state_of(str(path))


def open_project(
    flake8_args: Sequence[str],
    command: str,
    own: Iterable[str] = (),
    prescan: Prescan | None = None,
) -> Project:
    """Read flake8's configuration and options (ours included), find the files to check and
    the project of each; each project's problems are reported when its state is built.

    ``command`` and its own option strings ``own`` name option errors (commands/options.py).
    The files ``prescan`` found are taken when it looked for them as this run does.
    """
    from flake8.style_guide import Decision, DecisionEngine

    from flake8_reqs.code.discover import NOTEBOOKS, discover
    from flake8_reqs.commands.check.findings import Selection
    from flake8_reqs.commands.options import parse_flake8_args
    from flake8_reqs.errors import report
    from flake8_reqs.options import is_verbose
    from flake8_reqs.plugin import Plugin
    from flake8_reqs.project.root import find_root

    # The paths are among flake8_args: only flake8's parser knows which of its options take a
    # value, so it alone can tell `--reqs-file x.txt src` apart (runs Plugin.parse_options).
    # flake8's own --jobs is not ours (-j is): one process, so no project is built up front.
    options = parse_flake8_args(command, [*flake8_args, "--jobs=1"], own)
    paths = tuple(options.filenames or ["."])
    exclude = (*options.exclude, *options.extend_exclude)
    patterns = tuple(options.filename or ())
    # A prescan that walked as this walk would has found what it finds (code/prescan.py).
    discovery = prescan.listed((paths, exclude, patterns, NOTEBOOKS)) if prescan else None
    if discovery is None:
        discovery = discover(
            paths,
            exclude=exclude,
            filename_patterns=patterns,
            also=NOTEBOOKS,  # for REQ201 (Project.notebooks)
            stamp_folders=True,  # for the stored answer (commands/check/command.py)
        )
    for folder, reason in discovery.unlisted:
        report(f"{os.path.relpath(folder)}: cannot be listed: {reason}; its files are not checked")
    absolute = [os.path.abspath(name) for name in discovery.files]
    files = tuple(map(Path, absolute))
    by_root: dict[Path, tuple[ProjectState, list[Path]]] = {}
    by_folder: dict[str, ProjectState | None] = {}  # a file's project depends on its folder
    for name, path in zip(absolute, files):
        folder = os.path.dirname(name)
        if folder not in by_folder:
            by_folder[folder] = Plugin.state_of(name)
        state = by_folder[folder]
        if state is not None:
            by_root.setdefault(state.root, (state, []))[1].append(path)
    engine = DecisionEngine(options)
    return Project(
        settings=Plugin.settings,
        parts=tuple(Part(state, tuple(paths)) for _, (state, paths) in sorted(by_root.items())),
        root=Plugin.fixed_root or find_root(Plugin.settings.search_from),
        files=files,
        selection=Selection(
            lambda code: engine.decision_for(code) is Decision.Selected,
            disable_noqa=bool(options.disable_noqa),
        ),
        discovery=discovery,
        working_directory=Path.cwd(),
        exclude=(*options.exclude, *options.extend_exclude),
        filename_patterns=tuple(options.filename or ()),
        verbose=is_verbose(),
    )


def scan(
    project: Project,
    args: argparse.Namespace,
    prescan: Prescan | None = None,
    on_file: Callable[[ProjectState, ScannedFile], None] | None = None,
) -> list[tuple[Part, list[ScannedFile]]]:
    """Every file's imports, project by project, in parallel and through the cache;
    unreadable files noted. The files of all the projects with the same target Python are
    read in one go (one pool of workers, one cache file), not one project at a time; the
    files ``prescan`` read as it should have are not read again. ``on_file`` is given
    each file's result, with its project's state, as it lands (before the string uses of
    a Django settings module are added to it).

    A worker process killed (perhaps for lack of memory) stops the run with one line and
    exit status 2, instead of a wait for its answer.
    """
    from flake8_reqs.code.scan import WorkerKilled, scan_files, with_settings_uses
    from flake8_reqs.errors import report

    cache = cache_files.cache_folder()
    progress = _Progress(len(project.files)) if sys.stderr.isatty() else None
    by_target: dict[Target, list[Part]] = {}
    for part in project.parts:
        by_target.setdefault(part.state.target, []).append(part)
    found: dict[Path, ScannedFile] = {}
    done = 0
    try:
        for target, parts in by_target.items():
            paths = [path for part in parts for path in part.files]
            shown = None if progress is None else _Shifted(progress, done, len(project.files))
            landed = None if on_file is None else _with_state(parts, on_file)
            files = scan_files(
                paths,
                target,
                jobs=args.jobs,
                cache_dir=cache,
                progress=shown,
                taken=project.stamps,
                early=prescan,
                on_file=landed,
            )
            found.update((file.path, file) for file in files)
            done += len(files)
    except WorkerKilled as killed:
        more = len(killed.paths) - 1
        named = os.path.relpath(killed.paths[0]) + (f" and {more} more files" if more else "")
        report(
            "a process reading the files was killed (perhaps for lack of memory) before "
            f"reading {named}; the run is stopped"
        )
        raise SystemExit(2) from None
    finally:
        if prescan is not None:  # it is not to take a core from what follows
            prescan.stop()
        if progress is not None:
            progress.close()
    for file in found.values():
        if file.error is not None:
            report(f"{os.path.relpath(file.path)}: {file.error}")
    return [
        (part, with_settings_uses([found[path] for path in part.files], part.state))
        for part in project.parts
    ]


def _with_state(
    parts: Sequence[Part], on_file: Callable[[ProjectState, ScannedFile], None]
) -> Callable[[ScannedFile], None]:
    """``on_file`` for the files of ``parts``, each given its part's state."""
    states = {path: part.state for part in parts for path in part.files}
    return lambda file: on_file(states[file.path], file)


class _Shifted:
    """A group's progress as the whole run's: ``done`` files of earlier groups before it."""

    def __init__(self, progress: _Progress, done: int, total: int) -> None:
        self.progress, self.done, self.total = progress, done, total

    def __call__(self, done: int, total: int) -> None:
        self.progress(self.done + done, self.total)


class _Progress:
    """``parsed 120/3000 files`` on stderr, redrawn in place, once a run has taken a while."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < 0.5:
            return
        sys.stderr.write(f"\rflake8-reqs: parsed {done}/{total} files")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
