"""Project: a project opened the way flake8 would, and its files' imports, for every command."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.cache import files as cache_files

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_reqs.code.discover import Discovery
    from flake8_reqs.code.scan import ScannedFile
    from flake8_reqs.commands.check.findings import Selection
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings


@dataclass(frozen=True)
class Project:
    """A project opened the way flake8 would: its options, settings, state and files."""

    settings: Settings
    state: ProjectState
    files: tuple[Path, ...]
    selection: Selection
    discovery: Discovery


def open_project(flake8_args: Sequence[str]) -> Project:
    """Read flake8's configuration and options (ours included) and find the files to check."""
    from flake8.options.parse_args import parse_args
    from flake8.style_guide import Decision, DecisionEngine

    from flake8_reqs.code.discover import discover
    from flake8_reqs.commands.check.findings import Selection
    from flake8_reqs.plugin import Plugin
    from flake8_reqs.project.load import load_state

    # The paths are among flake8_args: only flake8's parser knows which of its options take a
    # value, so it alone can tell `--reqs-file x.txt src` apart (runs Plugin.parse_options).
    _, options = parse_args(list(flake8_args))
    state = load_state(Plugin.settings)
    discovery = discover(
        options.filenames,
        exclude=[*options.exclude, *options.extend_exclude],
        filename_patterns=options.filename,
    )
    from flake8_reqs.plugin import report

    for folder, reason in discovery.unlisted:
        report(f"{os.path.relpath(folder)}: cannot be listed: {reason}; its files are not checked")
    engine = DecisionEngine(options)
    return Project(
        settings=Plugin.settings,
        state=state,
        files=tuple(Path(os.path.abspath(name)) for name in discovery.files),
        selection=Selection(lambda code: engine.decision_for(code) is Decision.Selected),
        discovery=discovery,
    )


def scan(project: Project, args: argparse.Namespace) -> list[ScannedFile]:
    """Every file's imports, in parallel and through the cache; unreadable files noted."""
    from flake8_reqs.code.scan import WorkerKilled, scan_files
    from flake8_reqs.plugin import report

    cache = cache_files.cache_folder()
    progress = _Progress(len(project.files)) if sys.stderr.isatty() else None
    try:
        scanned = scan_files(
            project.files, project.state.target, jobs=args.jobs, cache_dir=cache, progress=progress
        )
    except WorkerKilled as killed:
        more = len(killed.paths) - 1
        files = os.path.relpath(killed.paths[0]) + (f" and {more} more files" if more else "")
        report(
            "a process reading the files was killed (perhaps for lack of memory) before "
            f"reading {files}; the run is stopped"
        )
        raise SystemExit(2) from None
    finally:
        if progress is not None:
            progress.close()
    for file in scanned:
        if file.error is not None:
            report(f"{os.path.relpath(file.path)}: {file.error}")
    return scanned


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
