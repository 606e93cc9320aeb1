"""Lock files beside the runtime sources: what production installs only as a dependency."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import NormalizedName

from flake8_reqs import inputs
from flake8_reqs.declared.locked import Lock, Pulled, pulled_in
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.resolve import Provision, provided_names
from flake8_reqs.declared.sources.pip_compiled import read_compiled
from flake8_reqs.declared.workspace import uv_workspace_root
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.settings import SourceFile

# The lock files read beside a runtime source, by its name, in this order.
_BESIDE = {
    "pyproject.toml": ("uv.lock", "poetry.lock", "pdm.lock"),
    "Pipfile": ("Pipfile.lock",),
}
_NOT_PIP = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile")


class Transitive(NamedTuple):
    """What the lock files say about the runtime set."""

    provisions: Mapping[str, tuple[Provision, ...]]  # import name -> who provides it, undeclared
    versions: Mapping[NormalizedName, str]  # declared distribution -> the version locked
    quiet: frozenset[tuple[str, int]]  # (path, line) of requirements others depend on


def compiled_input(source: SourceFile, start: Path) -> SourceFile | None:
    """The pip-tools input ``X.in`` beside ``X.txt`` when ``X.txt`` is compiled output (its
    pins carry ``# via`` comments): the input is what the project declares, the compiled
    file what production installs."""
    if source.path.suffix != ".txt":
        return None
    given = source.path.with_suffix(".in")
    inputs.note_read(given)
    if not given.is_file():
        return None
    try:
        compiled = read_compiled(source.path, source.display)
    except ReqsInputError:
        return None
    return SourceFile(given, os.path.relpath(given, start)) if compiled.packages else None


def find_locks(
    named: Iterable[SourceFile], runtime_files: Iterable[SourceFile], start: Path
) -> list[SourceFile]:
    """The lock files: those ``named`` (--reqs-lock-file), else those beside the runtime
    sources (uv.lock beside pyproject.toml, X.txt beside X.in), and each runtime pip
    file itself, which may be compiled output."""
    given = list(named)
    if given:
        return given
    found: list[SourceFile] = []
    for source in runtime_files:
        names = _BESIDE.get(source.path.name, ())
        if source.path.suffix == ".in":
            names = (source.path.with_suffix(".txt").name,)
        elif source.path.name not in _NOT_PIP and _is_compiled(source):
            found.append(source)
        for name in names:
            path = source.path.parent / name
            inputs.note_read(path)
            if path.is_file():
                found.append(SourceFile(path, os.path.relpath(path, start)))
                break
        else:
            found += _workspace_lock(source, start)
    return list(dict.fromkeys(found))


def _workspace_lock(source: SourceFile, start: Path) -> list[SourceFile]:
    """A uv workspace member has no lock of its own: uv keeps one uv.lock at the
    workspace's root, for every member."""
    if source.path.name != "pyproject.toml":
        return []
    root = uv_workspace_root(source.path.parent)
    if root is None or root == source.path.parent:
        return []
    path = root / "uv.lock"
    inputs.note_read(path)
    return [SourceFile(path, os.path.relpath(path, start))] if path.is_file() else []


def _is_compiled(source: SourceFile) -> bool:
    """Whether a runtime pip file is compiled output: problems reading it are the pip
    reader's to report."""
    try:
        return bool(read_compiled(source.path, source.display).packages)
    except ReqsInputError:
        return False


def read_locks(sources: Iterable[SourceFile], notes: list[str]) -> list[Lock]:
    locks = []
    for source in sources:
        # Imported here: the lock readers import the TOML parser, which a project without
        # a lock file never needs (bench/README.md, an ordinary file's state).
        from flake8_reqs.declared.sources.lock_files import read_lock

        try:
            lock = read_lock(source.path, source.display)
        except ReqsInputError as error:
            notes.append(str(error))
            continue
        notes.extend(str(error) for error in lock.errors)
        locks.append(lock)
    return locks


def requirement_roots(requirements: Iterable[Requirement]) -> dict[NormalizedName, tuple[str, ...]]:
    """Each declared distribution's name, with the extras asked for: where a lock's walk
    starts."""
    roots: dict[NormalizedName, tuple[str, ...]] = {}
    for requirement in requirements:
        asked = requirement.extras
        if not asked:  # most requirements: nothing to add, nothing to sort
            roots.setdefault(requirement.name, ())
            continue
        extras = roots.get(requirement.name, ()) + tuple(sorted(asked))
        roots[requirement.name] = tuple(dict.fromkeys(extras))
    return roots


def transitive(
    locks: Iterable[Lock],
    runtime: Iterable[Requirement],
    applies: Callable[[str], bool],
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    own: frozenset[str] = frozenset(),
) -> Transitive:
    """What ``locks`` install for the ``runtime`` requirements (those whose markers hold);
    ``own`` are the project's own distribution names. Without a lock file nothing is
    pulled in, and ``runtime`` is not iterated (a long file's markers are not evaluated
    again)."""
    locks = list(locks)
    if not locks:
        return Transitive({}, {}, frozenset())
    requirements = list(runtime)
    roots = requirement_roots(requirements)
    pulled: dict[NormalizedName, Pulled] = {}
    for lock in locks:
        for name, found in pulled_in(lock, roots, applies, own).items():
            if name not in pulled or (pulled[name].because is None and found.because):
                pulled[name] = found
    written = {requirement.name: requirement.declared_name for requirement in requirements}
    undeclared = {name: found for name, found in pulled.items() if not found.declared}
    names_of = provided_names(undeclared, user_map)
    provisions: dict[str, list[Provision]] = {}
    for name, found in undeclared.items():
        locked = found.locked
        text = locked.written if locked.version is None else f"{locked.written}=={locked.version}"
        try:
            requirement = Requirement.of(PackagingRequirement(text), found.lock, locked.line)
        except ValueError:  # a version that is not PEP 440: the name alone
            requirement = Requirement.of(
                PackagingRequirement(locked.written), found.lock, locked.line
            )
        because = written.get(found.because, found.because) if found.because else ""
        provision = Provision(requirement, because, names_of[name])
        for module in names_of[name]:
            provisions.setdefault(module, []).append(provision)
    versions = {
        name: found.locked.version
        for name, found in pulled.items()
        if found.declared and found.locked.version
    }
    quiet = frozenset(
        (requirement.path, requirement.line)
        for requirement in requirements
        if requirement.name in pulled and pulled[requirement.name].because is not None
    )
    return Transitive(
        {module: tuple(found) for module, found in provisions.items()}, versions, quiet
    )
