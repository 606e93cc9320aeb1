"""Findings of the start commands: REQ006 for their programs, the checks for the modules
they name (application paths, worker classes), and the distributions they use (REQ201)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs.checks import FileContext, check_imports
from flake8_reqs.checks.commands import check_command
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.problems import Problem
from flake8_reqs.project.import_roots import FileRoots
from flake8_reqs.project.state import ProjectState
from flake8_reqs.system.starts import StartUse

_IMPORTS = ("module", "class")  # the kinds of StartUse that name a module


def start_problems(
    state: ProjectState, is_selected: Callable[[str], bool]
) -> list[tuple[Path, Problem]]:
    """Each problem of the start commands, with the file it is in, in file and line order.

    An application a command names is reported as REQ001 only when a distribution is known
    to provide it: one that neither the project nor any known distribution provides is more
    likely the project's own, in a folder flake8-reqs does not see (WORKDIR, COPY). A class
    (``-k uvicorn.workers.UvicornWorker``) is checked as any import is.
    """
    if state.starts is None:
        return []
    runtime = runtime_names(state)
    context = FileContext(is_dev=False, roots=FileRoots())
    found: list[tuple[Path, Problem]] = []
    for use in state.starts.uses:
        if use.kind == "program" and is_selected("REQ006"):
            problem = check_command(use, state, runtime)
            if problem is not None:
                found.append((Path(use.path), problem))
        elif use.kind in _IMPORTS:
            for problem in check_imports([module_ref(use)], context, state):
                if use.kind == "module" and problem.code == "REQ001" and not problem.args["hint"]:
                    continue
                if is_selected(problem.code):
                    found.append((Path(use.path), problem))
    unique = {(path, problem.line, problem.message): (path, problem) for path, problem in found}
    return sorted(unique.values(), key=lambda item: (str(item[0]), item[1].line))


def start_refs(state: ProjectState) -> list[ImportRef]:
    """The modules the start commands name, as imports (for REQ201)."""
    uses = state.starts.uses if state.starts is not None else ()
    return [module_ref(use) for use in uses if use.kind in _IMPORTS]


def started_distributions(state: ProjectState) -> frozenset[NormalizedName]:
    """The distributions of the programs the start commands run: used without an import."""
    uses = state.starts.uses if state.starts is not None else ()
    return frozenset(
        canonicalize_name(name)
        for use in uses
        if use.kind == "program"
        for name in use.distributions
    )


def module_ref(use: StartUse) -> ImportRef:
    return ImportRef(use.name, use.line, 0, use=f"is named in {use.where}")


def runtime_names(state: ProjectState) -> frozenset[NormalizedName]:
    return frozenset(
        provision.requirement.name
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
    )
