"""Findings of a whole project: every file's problems, their import chains, and REQ201."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flake8_reqs.checks import FileContext, check_imports
from flake8_reqs.code.graph import ImportGraph, entry_file
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.code.skeleton import source_imports
from flake8_reqs.commands.check.report import Finding
from flake8_reqs.commands.check.unused import find_unused, normalise_names
from flake8_reqs.inputs import Unreadable, read_file
from flake8_reqs.problems import Problem
from flake8_reqs.project.root import is_dev_path, sibling_names
from flake8_reqs.project.state import ProjectState
from flake8_reqs.settings import Settings

# flake8's own inline suppression comment: "noqa" alone, or "noqa: REQ001,E501" after a "#".
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z][0-9]+(?:[,\s]+[A-Z][0-9]+)*))?", re.I)


@dataclass(frozen=True)
class Selection:
    """Which codes to report (flake8's decision, from --select/--ignore and config)."""

    is_selected: Callable[[str], bool]


def collect(
    scanned: Sequence[ScannedFile],
    settings: Settings,
    state: ProjectState,
    selection: Selection,
    *,
    entries: Sequence[str] = (),
    unused_ok: Iterable[str] = (),
) -> list[Finding]:
    """Every finding of the project, in file and line order; REQ201 last.

    Raises ReqsInputError when an entry point cannot be found.
    """
    chains = _chains(scanned, state, entries)
    findings = []
    for file in scanned:
        context = FileContext(
            is_dev=is_dev_path(str(file.path), state.root, settings.dev_paths),
            siblings=sibling_names(str(file.path)),
        )
        refs = [ref for ref in file.refs if ref.level == 0]
        problems = [p for p in check_imports(refs, context, state) if selection.is_selected(p.code)]
        lines = _source_lines(file.path) if problems else []
        for problem in problems:
            if _is_noqa(lines, problem):
                continue
            findings.append(_finding(file.path, problem, chains, entries, state.root))
    if selection.is_selected("REQ201"):
        every_ref = (ref for file in scanned for ref in file.refs)
        for requirement, problem in find_unused(every_ref, state, normalise_names(unused_ok)):
            findings.append(_requirement_finding(requirement.path, problem))
    return findings


def _chains(
    scanned: Sequence[ScannedFile], state: ProjectState, entries: Sequence[str]
) -> dict[Path, tuple[str, ...]]:
    if not entries:
        return {}
    graph = ImportGraph(
        state.root,
        {file.path: file.refs for file in scanned},
        lambda path: _imports_of(path, state),
    )
    entry_files = [entry_file(entry, state.root) for entry in entries]
    return {
        path: tuple(f"{_shown(state.root / step.path)}:{step.line}" for step in steps)
        for path, steps in graph.chains(entry_files).items()
    }


def _imports_of(path: Path, state: ProjectState) -> tuple[ImportRef, ...] | None:
    """The imports of a project file outside the folders checked, which a chain may pass
    through (an entry point beside ``src/``); None when it cannot be read or parsed."""
    try:
        return tuple(source_imports(read_file(path), state.target, filename=str(path)))
    except (Unreadable, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _finding(
    path: Path,
    problem: Problem,
    chains: dict[Path, tuple[str, ...]],
    entries: Sequence[str],
    root: Path,
) -> Finding:
    shown = _shown(path)
    chain = None
    reachable = None
    if entries:
        steps = chains.get(path)
        reachable = steps is not None
        chain = (*steps, f"{shown}:{problem.line}") if steps is not None else None
    return Finding(
        path=shown,
        line=problem.line,
        col=problem.col + 1,
        code=problem.code,
        message=problem.message.split(" ", 1)[1],
        module=problem.args.get("module"),
        distribution=problem.args.get("distribution") or _hinted(problem),
        chain=chain,
        reachable=reachable,
    )


def _requirement_finding(display: str, problem: Problem) -> Finding:
    return Finding(
        path=Path(display).as_posix(),
        line=problem.line,
        col=1,
        code=problem.code,
        message=problem.message.split(" ", 1)[1],
        module=None,
        distribution=problem.args["distribution"],
    )


def _hinted(problem: Problem) -> str | None:
    """The distribution a REQ001/REQ003 hint names, when it names exactly one."""
    match = re.fullmatch(r"; it is provided by '([^']+)'", problem.args.get("hint", ""))
    return match.group(1) if match else None


def _shown(path: Path) -> str:
    """A path as the user sees it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()


def _source_lines(path: Path) -> list[str]:
    try:
        return read_file(path).decode("utf-8", errors="replace").splitlines()
    except Unreadable:
        return []


def _is_noqa(lines: list[str], problem: Problem) -> bool:
    if not 0 < problem.line <= len(lines):
        return False
    match = _NOQA.search(lines[problem.line - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    return any(problem.code.startswith(code.upper()) for code in re.split(r"[,\s]+", codes))
