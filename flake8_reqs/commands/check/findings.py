"""Findings of a whole project: every file's problems, their import chains, and REQ201."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flake8_reqs.checks import check_unimported
from flake8_reqs.checks.system import STANDARD_LIBRARY
from flake8_reqs.code.graph import ImportGraph, entry_file
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.code.skeleton import read_imports
from flake8_reqs.code.sys_path import PathAddition
from flake8_reqs.commands.check.file_problems import FileProblems
from flake8_reqs.commands.check.report import Finding
from flake8_reqs.commands.check.starts import start_problems, start_refs, started_distributions
from flake8_reqs.commands.check.unused import find_unused, normalise_names
from flake8_reqs.inputs import Unreadable, read_file
from flake8_reqs.problems import Problem
from flake8_reqs.project.first_party import manage_py_folders
from flake8_reqs.project.import_roots import import_root_folders
from flake8_reqs.project.state import ProjectState
from flake8_reqs.settings import Settings

_ANY_NOQA = re.compile(rb"noqa", re.I)  # what every match of flake8's noqa comment holds


@dataclass(frozen=True)
class Selection:
    """Which codes to report (flake8's decision, from --select/--ignore and config), and
    whether ``# noqa`` comments are ignored (flake8's --disable-noqa)."""

    is_selected: Callable[[str], bool]
    disable_noqa: bool = False


# A project's state and the scanned files of it that are checked.
ProjectFiles = tuple[ProjectState, Sequence[ScannedFile]]


def collect(
    projects: Sequence[ProjectFiles],
    settings: Settings,
    selection: Selection,
    *,
    root: Path,
    working_directory: Path | None = None,
    state_of: Callable[[Path], ProjectState | None] = lambda path: None,
    entries: Sequence[str] = (),
    unused_ok: Iterable[str] = (),
    is_whole: Callable[[ProjectState], bool] = lambda state: True,
    notebooks: Callable[[ProjectState], Sequence[Path]] = lambda state: (),
    problems_of: FileProblems | None = None,
) -> list[Finding]:
    """Every finding, project by project: each file's, in file and line order; then the
    system needs of the project's runtime requirements that no shipped file imports (at the
    requirement's line); then the project's REQ201, when ``is_whole`` says the run checks the
    whole project (a file left out may be the one that imports a requirement). ``root`` is
    where entry points are
    looked for; ``state_of`` gives the project of a file a chain passes through that is not
    checked. ``problems_of`` holds the problems of the files worked out as they were read.

    Raises ReqsInputError when an entry point cannot be found.
    """
    roots = _ImportRoots(projects, working_directory, state_of)
    chains = _chains(projects, root, roots, entries)
    several = len(projects) > 1
    findings = []
    file_problems = problems_of or FileProblems(settings, working_directory)
    for state, scanned in projects:
        label = _shown(state.root) if several else None
        runtime_refs: list[ImportRef] = []
        for file in scanned:
            is_dev, found = file_problems.of(state, file)
            if not is_dev:
                runtime_refs += (ref for ref in file.refs if ref.level == 0)
            problems = [p for p in found if selection.is_selected(p.code)]
            lines = _source_lines(file.path) if problems else []
            for problem in problems:
                if selection.disable_noqa or not _is_noqa(lines, problem):
                    findings.append(_finding(file.path, problem, chains, entries, label))
        for path, problem in start_problems(state, selection.is_selected):
            findings.append(_finding(path, problem, {}, (), label))  # where things start
        started = start_refs(state)
        at_requirements = list(check_unimported([*runtime_refs, *started], state))
        if selection.is_selected("REQ201") and is_whole(state):
            every_ref = [*(ref for file in scanned for ref in file.refs), *started]
            every_ref += _notebook_imports(notebooks(state), state)
            allowed = normalise_names(unused_ok) | started_distributions(state)
            at_requirements += find_unused(every_ref, state, allowed)
        read: dict[str, list[str]] = {}  # each requirements file's lines, read once
        for requirement, problem in at_requirements:
            if not selection.is_selected(problem.code):
                continue
            if not selection.disable_noqa and requirement.path not in read:
                read[requirement.path] = _source_lines(Path(requirement.path))
            if not _is_noqa(read.get(requirement.path, []), problem):  # as in a module
                findings.append(_requirement_finding(requirement.path, problem, label))
    return findings


def _notebook_imports(paths: Sequence[Path], state: ProjectState) -> list[ImportRef]:
    """The imports of the project's notebooks (code/notebooks.py); a notebook that cannot
    be read is said in one line, and the others count."""
    from flake8_reqs.code.notebooks import NotANotebook, notebook_imports
    from flake8_reqs.errors import report

    refs: list[ImportRef] = []
    for path in paths:
        try:
            refs += notebook_imports(read_file(path), state.target)
        except (Unreadable, NotANotebook) as error:
            reason = error.reason if isinstance(error, Unreadable) else str(error)
            report(f"{_shown(path)}: {reason}; its imports are not counted as uses")
    return refs


class _ImportRoots:
    """The folders each file's imports are looked for in besides the entry's, for the graph:
    the same import roots that make them first party (project/import_roots.py)."""

    def __init__(
        self,
        projects: Sequence[ProjectFiles],
        working_directory: Path | None,
        state_of: Callable[[Path], ProjectState | None],
    ) -> None:
        self.working_directory = working_directory
        self.state_of = state_of
        self.files: dict[Path, tuple[ProjectState | None, tuple[PathAddition, ...]]] = {
            file.path: (state, file.additions) for state, files in projects for file in files
        }
        self.base: dict[Path, tuple[Path, ...]] = {}

    def __call__(self, path: Path, line: int) -> tuple[Path, ...]:
        state, additions = self.files.get(path, (None, ()))
        if state is None:
            return ()
        if path not in self.base:
            folders = import_root_folders(str(path), state.root, self.working_directory)
            own = (*manage_py_folders(state.root), state.root / "src", state.root)
            self.base[path] = (*map(Path, folders), *own)
        added = [
            Path(addition.folder(str(path), state.root))
            for addition in additions
            if addition.line < line
        ]
        return (*reversed(added), *self.base[path])

    def load(self, path: Path) -> tuple[ImportRef, ...] | None:
        """The imports of a project file outside the folders checked, which a chain may pass
        through (an entry point beside ``src/``); None when it cannot be read or parsed."""
        state = self.state_of(path)
        if state is None:
            return None
        try:
            refs, additions = read_imports(read_file(path), state.target, filename=str(path))
        except (Unreadable, SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        self.files[path] = (state, additions)
        return tuple(refs)


def _chains(
    projects: Sequence[ProjectFiles],
    root: Path,
    roots: _ImportRoots,
    entries: Sequence[str],
) -> dict[Path, tuple[str, ...]]:
    if not entries:
        return {}
    graph = ImportGraph(
        root,
        {file.path: file.refs for _, scanned in projects for file in scanned},
        roots.load,
        roots,
    )
    entry_files = [entry_file(entry, root) for entry in entries]
    return {
        path: tuple(f"{_shown(root / step.path)}:{step.line}" for step in steps)
        for path, steps in graph.chains(entry_files).items()
    }


def _finding(
    path: Path,
    problem: Problem,
    chains: dict[Path, tuple[str, ...]],
    entries: Sequence[str],
    project: str | None,
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
        distribution=_distribution(problem),
        chain=chain,
        reachable=reachable,
        project=project,
    )


def _requirement_finding(display: str, problem: Problem, project: str | None) -> Finding:
    return Finding(
        path=Path(display).as_posix(),
        line=problem.line,
        col=1,
        code=problem.code,
        message=problem.message.split(" ", 1)[1],
        module=None,
        distribution=problem.args["distribution"],
        project=project,
    )


def _distribution(problem: Problem) -> str | None:
    """The distribution a finding is about; None for a standard-library module."""
    named = problem.args.get("distribution")
    if named == STANDARD_LIBRARY:
        return None
    return named or _hinted(problem)


def _hinted(problem: Problem) -> str | None:
    """The distribution a REQ001/REQ003 hint names, when it names exactly one."""
    match = re.match(r"; it is provided by '([^']+)'(?:;|$)", problem.args.get("hint", ""))
    return match.group(1) if match else None


def _shown(path: Path) -> str:
    """A path as the user sees it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()


def _source_lines(path: Path) -> list[str]:
    """The lines of a file with problems, to look for noqa comments in; none when the file
    has no noqa anywhere (most do not: no decoding or splitting then)."""
    try:
        data = read_file(path)
    except Unreadable:
        return []
    if _ANY_NOQA.search(data) is None:
        return []
    return data.decode("utf-8", errors="replace").splitlines()


def _is_noqa(lines: list[str], problem: Problem) -> bool:
    """Whether the problem's line has flake8's ``# noqa`` comment for its code: bare, or
    naming it or a prefix of it (flake8's own pattern and comparison)."""
    from flake8.defaults import NOQA_INLINE_REGEXP
    from flake8.utils import parse_comma_separated_list

    if not 0 < problem.line <= len(lines):
        return False
    match = NOQA_INLINE_REGEXP.search(lines[problem.line - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    named = set(parse_comma_separated_list(codes))
    return problem.code in named or problem.code.startswith(tuple(named))
