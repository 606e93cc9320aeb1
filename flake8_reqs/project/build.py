"""build_state: read the requirement sources and resolve what they provide."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs import inputs
from flake8_reqs.declared.installed_lock import DISPLAY as INSTALLED
from flake8_reqs.declared.installed_lock import installed_lock
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources import read_source
from flake8_reqs.declared.stdlib import stdlib_modules
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project.members import find_members, member_hints
from flake8_reqs.project.provisions import (
    TargetMarkers,
    find_provisions_of,
    native_needs,
)
from flake8_reqs.project.root import (
    SYSTEM_FILES,
    candidate_dev_sources,
    repository_root,
    root_files,
)
from flake8_reqs.project.runtime_set import find_runtime_set, is_there, select_groups
from flake8_reqs.project.settings_modules import named_settings_files
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.target import find_target
from flake8_reqs.project.transitive import (
    find_locks,
    read_locks,
    requirement_roots,
    transitive,
)
from flake8_reqs.settings import Settings, SourceFile
from flake8_reqs.system.files import (
    SystemPackages,
    is_provided,
    is_system_file,
    read_system_file,
)
from flake8_reqs.system.native import NativeNeed, find_stdlib_needs
from flake8_reqs.system.start_files import read_starts
from flake8_reqs.system.starts import Starts

_Read = Callable[[SourceFile], Declared]  # read_source, with the environment and boundary
LOG = logging.getLogger(__name__)


class _WatchedEnviron(Mapping[str, str]):
    """os.environ, noting each variable a requirement file expands (for the state's stamps)."""

    def __getitem__(self, name: str) -> str:
        value = os.environ.get(name)
        inputs.note_environ(name, value)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(os.environ)

    def __len__(self) -> int:
        return len(os.environ)


def build_state(settings: Settings, root: Path) -> ProjectState:
    """Read the requirement sources of the project at ``root`` and resolve what they provide.

    Every file read or looked for is reported to inputs.note_read, so that a
    stored state is used only while they are unchanged. ``first_party`` is left empty:
    load_state reads it from the tree on every load. (Which project a file belongs to is
    decided on every run, so a marker added below ``root`` needs no stamp here.)
    """
    for path in root_files(root):
        inputs.note_read(path)
    environ = _WatchedEnviron()
    # A -r include outside the repository holding the project (or the project, outside
    # a repository) is named, never quoted: a stray -r to a credentials file must not
    # print its lines. (Whether a .git appears is not stamped: it changes no finding.)
    boundary = repository_root(root)

    def read(source: SourceFile) -> Declared:
        return read_source(source, environ, boundary)

    notes: list[str] = []
    runtime, active = find_runtime_set(settings, root, read, notes)
    used = runtime.files
    declared = list(runtime.declared)
    pythons = [(item.requires_python, shown) for item, shown in _displays(runtime.declared, used)]
    declared += [
        _as_group(_read_guarded(source, read, notes, required=True), source)
        for source in settings.dev_files
    ]
    dev_sources = _default_dev_sources(settings, root, used)
    declared += [
        _as_group(_read_guarded(source, read, notes, required=False), source)
        for source in dev_sources
    ]
    for name in ("pyproject.toml", "Pipfile"):  # their non-runtime sets count wherever
        source = SourceFile(root / name, os.path.relpath(root / name, settings.start))
        if is_there(source.path) and source.path not in {found.path for found in used}:
            groups = _groups_only(_read_guarded(source, read, notes, required=False))
            declared.append(select_groups(groups, None, settings.runtime_groups))
            pythons.append((groups.requires_python, source.display))
    if (root / "setup.py").is_file():
        declared.append(_legacy_build_backend(root, settings.start))
    notes += [str(error) for item in declared for error in item.errors]

    choice = find_target(root, settings, [(spec, shown) for spec, shown in pythons if spec])
    notes += choice.notes
    target = choice.target
    markers = TargetMarkers(target)
    user_map = dict(settings.module_map)
    members = find_members(root, declared, environ)
    runtime_reqs = [
        requirement
        for item in runtime.declared
        for requirement in item.runtime
        if markers.applies(requirement)
    ]
    projects = frozenset(canonicalize_name(i.project_name) for i in declared if i.project_name)
    locks = read_locks(find_locks(settings.lock_files, used, settings.start), notes)
    if not locks:  # what the declared distributions require, where they are installed
        installed = installed_lock(requirement_roots(runtime_reqs))
        locks = [installed] if installed is not None else []
    pulled = transitive(locks, runtime_reqs, markers.holds, user_map, projects)
    if locks and locks[0].display == INSTALLED:
        # What is installed here says what a declared distribution requires, not that the
        # project pins it for that reason: REQ201 still judges each declared line.
        pulled = pulled._replace(quiet=frozenset())
    guessed: set[NormalizedName] = set()
    provisions, excluded = find_provisions_of(
        declared, markers.applies, user_map, members, pulled.versions, guessed
    )
    system = _system_packages(settings, root, notes)
    unknown = (
        requirement.declared_name
        for item in declared
        for _, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        if requirement.name in guessed
    )
    own_names = {name.replace("-", "_") for name in projects}
    starts = _starts(settings, root, notes)
    versions = [environment["python_version"] for environment in markers.environments]
    stdlib = frozenset().union(*map(stdlib_modules, versions))
    return ProjectState(
        root=root,
        target=target,
        target_source=choice.source,
        runtime_sources=runtime.display,
        runtime_files=tuple(used),
        provisions=provisions,
        first_party=frozenset(),
        stdlib=stdlib,
        system=system,
        system_ok=settings.system_ok,
        active=active,
        notes=tuple(dict.fromkeys(notes)),
        own_names=frozenset(own_names),
        native_needs=native_needs(provisions, pulled.provisions),
        stdlib_needs=_stdlib_needs(system),
        members=member_hints(members, root, settings.start),
        all_sources=", ".join(
            dict.fromkeys(s.display for s in (*used, *settings.dev_files, *dev_sources))
        ),
        settings_files=named_settings_files(root, starts.settings_modules),
        # None when there are none: loading a stored state then defines no Starts class,
        # which an editor run would pay for on every save.
        starts=starts if starts != Starts() else None,
        transitive=pulled.provisions,
        quiet=pulled.quiet.union(*(item.quiet for item in declared)),
        unknown_names=tuple(dict.fromkeys(unknown)),
        excluded=excluded,
    )


def _system_packages(settings: Settings, root: Path, notes: list[str]) -> SystemPackages | None:
    """What the system files install, merged; None when there is no usable system file."""
    sources = settings.system_files or tuple(
        SourceFile(root / name, os.path.relpath(root / name, settings.start))
        for name in SYSTEM_FILES
        if is_there(root / name)
    )
    found = []
    for source in sources:
        try:
            system = read_system_file(source.path, source.display, settings.docker_target)
        except ReqsInputError as error:
            notes.append(f"{error}; reporting every system need")
            continue
        except Exception as error:  # a bug of ours: the other sources still count
            LOG.debug("reading %s failed", source.display, exc_info=True)
            notes.append(f"{_internal_error(source, error)}; reporting every system need")
            continue
        notes.extend(str(error) for error in system.errors)
        found.append(system)
    if not found:
        return None
    family = next((system.family for system in found if system.family), None)
    base = next((system for system in found if system.base), None)
    return SystemPackages(
        family,
        frozenset().union(*(system.packages for system in found)),
        commands=frozenset().union(*(system.commands for system in found)),
        build_packages=frozenset().union(*(system.build_packages for system in found)),
        base=base.base if base else None,
        base_packages=base.base_packages if base else frozenset(),
        sees_builds=any(system.sees_builds for system in found),
    )


def _stdlib_needs(system: SystemPackages | None) -> dict[str, NativeNeed]:
    """The standard-library modules whose OS library the shipped image lacks: judged only
    against an official Python image that base_images.toml knows."""
    if system is None or not system.base:
        return {}
    from flake8_reqs.system.base_images import find_base_image

    image = find_base_image(system.base)
    if image is None or not image.python:
        return {}
    return {
        module: need
        for module, need in find_stdlib_needs().items()
        if not is_provided(need, system)
    }


def _starts(settings: Settings, root: Path, notes: list[str]) -> Starts:
    """The project's start commands; a bug of ours reading them is named, and the checks
    go on without them."""
    try:
        return read_starts(root, _dockerfiles(settings, root), settings.docker_target)
    except Exception as error:
        LOG.debug("reading the start commands failed", exc_info=True)
        notes.append(
            f"the start commands (Dockerfile CMD, Procfile, ...): not read, an internal "
            f"error: {error!r}; please report it (-v shows more)"
        )
        return Starts()


def _dockerfiles(settings: Settings, root: Path) -> list[Path]:
    """The Dockerfiles among the system files: their shipped stage says how the image starts."""
    paths = [source.path for source in settings.system_files] or [
        root / name for name in SYSTEM_FILES if (root / name).is_file()
    ]
    return [path for path in paths if is_system_file(path) and _is_dockerfile(path.name.lower())]


def _is_dockerfile(name: str) -> bool:
    return "dockerfile" in name or "containerfile" in name


def _read_guarded(source: SourceFile, read: _Read, notes: list[str], *, required: bool) -> Declared:
    """A source that is not runtime. One that cannot be read is named (or, if ``required``,
    as a --reqs-dev-file is, stops the run); a bug of ours reading it is named and does
    not stop the checks of the runtime requirements."""
    try:
        return read(source)
    except ReqsInputError as error:
        if required:
            raise
        notes.append(str(error))
    except Exception as error:
        LOG.debug("reading %s failed", source.display, exc_info=True)
        notes.append(_internal_error(source, error))
    return Declared()


def _internal_error(source: SourceFile, error: Exception) -> str:
    return (
        f"{source.display}: not read, an internal error: {error!r}; "
        "please report it (-v shows more)"
    )


def _default_dev_sources(
    settings: Settings, root: Path, used: list[SourceFile]
) -> list[SourceFile]:
    """The dev requirement files beside the runtime sources (and in the root), to read as
    non-runtime sets: test code may import what they declare (REQ002, not REQ001)."""
    named = {source.path for source in settings.dev_files}
    folders = [root, *(source.path.parent for source in used)]
    found, looked = candidate_dev_sources(folders, settings.start, (s.path for s in used))
    for path in looked:
        inputs.note_read(path)
    return [source for source in found if source.path not in named]


def _as_group(declared: Declared, source: SourceFile) -> Declared:
    """A --reqs-dev-file: what it declares as runtime is a non-runtime set of its own,
    named after the file (not after a file it includes)."""
    groups = ((source.display, declared.runtime),) if declared.runtime else ()
    return Declared(groups=groups + declared.groups, errors=declared.errors)


def _legacy_build_backend(root: Path, start: Path) -> Declared:
    """pip builds a project with a setup.py and no [build-system] with setuptools, so its
    setup.py may import setuptools without declaring it."""
    display = os.path.relpath(root / "setup.py", start)
    setuptools = Requirement.of(PackagingRequirement("setuptools"), display, 1)
    return Declared(groups=((f"{display}'s default build backend", (setuptools,)),))


def _groups_only(declared: Declared) -> Declared:
    return Declared(
        groups=declared.groups,
        requires_python=declared.requires_python,
        project_name=declared.project_name,
        errors=declared.errors,
        selectors=declared.selectors,
    )


def _displays(
    declared: Sequence[Declared], files: Sequence[SourceFile]
) -> list[tuple[Declared, str]]:
    """Each runtime source with the file messages name it by (the last file for the names a
    Dockerfile installs, which come after the files)."""
    shown = [source.display for source in files] or ["the runtime requirements"]
    return [(item, shown[min(index, len(shown) - 1)]) for index, item in enumerate(declared)]
