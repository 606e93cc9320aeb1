"""build_state: read the requirement sources and resolve what they provide."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs import inputs
from flake8_reqs.code.guards import Target
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.resolve import Provision, provided_names
from flake8_reqs.declared.sources import read_source
from flake8_reqs.declared.stdlib import known_versions, stdlib_modules
from flake8_reqs.declared.workspace import packaged_names
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project.members import find_members, member_hints
from flake8_reqs.project.root import (
    SYSTEM_FILES,
    candidate_dev_sources,
    candidate_sources,
    repository_root,
    root_files,
)
from flake8_reqs.project.settings_modules import named_settings_files
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.target import candidate_versions, find_target, marker_environments
from flake8_reqs.settings import Settings, SourceFile
from flake8_reqs.system.base_images import find_base_image
from flake8_reqs.system.files import (
    SystemPackages,
    is_provided,
    is_system_file,
    read_system_file,
)
from flake8_reqs.system.native import NativeNeed, find_need, find_stdlib_needs
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
    runtime, used, active = _runtime_sources(settings, root, read, notes)
    declared = list(runtime)
    pythons = [(item.requires_python, source.display) for item, source in zip(runtime, used)]
    declared += [
        _as_group(_read_guarded(source, read, notes, required=True), source)
        for source in settings.dev_files
    ]
    dev_sources = _default_dev_sources(settings, root, used)
    declared += [
        _as_group(_read_guarded(source, read, notes, required=False), source)
        for source in dev_sources
    ]
    pyproject = SourceFile(
        root / "pyproject.toml", os.path.relpath(root / "pyproject.toml", settings.start)
    )
    if _is_there(pyproject.path) and pyproject.path not in {source.path for source in used}:
        declared.append(_groups_only(_read_guarded(pyproject, read, notes, required=False)))
        pythons.append((declared[-1].requires_python, pyproject.display))
    if (root / "setup.py").is_file():
        declared.append(_legacy_build_backend(root, settings.start))
    notes += [str(error) for item in declared for error in item.errors]

    choice = find_target(root, settings, [(spec, shown) for spec, shown in pythons if spec])
    notes += choice.notes
    target = choice.target
    versions = candidate_versions(target)
    members = find_members(root, declared, environ)
    provisions, excluded = _provisions(
        declared, target, versions, dict(settings.module_map), members
    )
    system = _system_packages(settings, root, notes)
    own_names = {
        canonicalize_name(item.project_name).replace("-", "_")
        for item in declared
        if item.project_name
    }
    stdlib = frozenset().union(*map(stdlib_modules, versions))
    starts = _starts(settings, root, notes)
    return ProjectState(
        root=root,
        target=target,
        target_source=choice.source,
        runtime_sources=", ".join(source.display for source in used),
        runtime_files=tuple(used),
        provisions=provisions,
        excluded=excluded,
        first_party=frozenset(),
        stdlib=stdlib,
        # An unknown target has every version's standard library: no REQ004.
        stdlib_elsewhere=frozenset().union(*map(stdlib_modules, known_versions())) - stdlib,
        system=system,
        system_ok=settings.system_ok,
        active=active,
        notes=tuple(dict.fromkeys(notes)),
        own_names=frozenset(own_names),
        native_needs=_native_needs(provisions),
        stdlib_needs=_stdlib_needs(system),
        members=member_hints(members, root, settings.start),
        all_sources=", ".join(
            dict.fromkeys(s.display for s in (*used, *settings.dev_files, *dev_sources))
        ),
        settings_files=named_settings_files(root, starts.settings_modules),
        starts=starts,
    )


def _runtime_sources(
    settings: Settings, root: Path, read: _Read, notes: list[str]
) -> tuple[list[Declared], list[SourceFile], bool]:
    if settings.reqs_files:
        return [read(s) for s in settings.reqs_files], list(settings.reqs_files), True
    candidates = candidate_sources(root, settings.start)
    passed_over: list[str] = []
    for source in candidates:
        if _is_there(source.path):
            declared = _read_quietly(source, read, notes)
            if declared.runtime:
                return [declared], [source], True
            passed_over += [str(error) for error in declared.errors]
    notes += passed_over  # why the sources that are there declare nothing
    looked_for = ", ".join(source.display for source in candidates)
    notes.append(f"no runtime requirements found (looked for {looked_for}); nothing is checked")
    return [], [], False


def _system_packages(settings: Settings, root: Path, notes: list[str]) -> SystemPackages | None:
    """What the system files install, merged; None when there is no usable system file."""
    sources = settings.system_files or tuple(
        SourceFile(root / name, os.path.relpath(root / name, settings.start))
        for name in SYSTEM_FILES
        if _is_there(root / name)
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
    image = find_base_image(system.base) if system is not None and system.base else None
    if system is None or image is None or not image.python:
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


def _is_there(path: Path) -> bool:
    """Whether ``path`` names something other than a folder, to be read or named as
    unreadable: a FIFO or a dangling link in the root is reported, not passed over."""
    return os.path.lexists(path) and not os.path.isdir(path)


def _dockerfiles(settings: Settings, root: Path) -> list[Path]:
    """The Dockerfiles among the system files: their shipped stage says how the image starts."""
    paths = [source.path for source in settings.system_files] or [
        root / name for name in SYSTEM_FILES if (root / name).is_file()
    ]
    return [path for path in paths if is_system_file(path) and _is_dockerfile(path.name.lower())]


def _is_dockerfile(name: str) -> bool:
    return "dockerfile" in name or "containerfile" in name


def _read_quietly(source: SourceFile, read: _Read, notes: list[str]) -> Declared:
    try:
        return read(source)
    except ReqsInputError as error:
        notes.append(str(error))
        return Declared()


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
    )


def _provisions(
    declared: Iterable[Declared],
    target: Target,
    versions: Sequence[str],
    user_map: Mapping[str, tuple[str, ...]],
    members: Mapping[str, str],
) -> tuple[Mapping[str, tuple[Provision, ...]], Mapping[str, tuple[Provision, ...]]]:
    """Import name -> what provides it on the target; and import name -> the runtime
    requirements whose marker is false on it (so REQ001 can say so). On a target of
    unknown version a marker counts when it holds on any version it may be."""
    environments = marker_environments(target, versions)
    kept = [
        (group, requirement, applies)
        for item in declared
        for group, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        for applies in [_applies(requirement, environments)]
        if applies or group is None  # a runtime one excluded by its marker, REQ001 names
    ]
    # A local project (a workspace member) provides what it packages; the others are
    # looked up together (resolve.provided_names opens the import index once for all).
    local = {
        requirement.name: _packaged(requirement, user_map, members) for _, requirement, _ in kept
    }
    names_of = provided_names(
        (requirement.name for _, requirement, _ in kept if not local[requirement.name]),
        user_map,  # type: ignore[arg-type]
    )
    names_of.update((name, names) for name, names in local.items() if names)
    index: dict[str, list[Provision]] = {}
    excluded: dict[str, list[Provision]] = {}
    for group, requirement, applies in kept:
        names = names_of[requirement.name]
        provision = Provision(requirement, group, names)
        for name in names:
            (index if applies else excluded).setdefault(name, []).append(provision)
    return (
        {name: tuple(found) for name, found in index.items()},
        {name: tuple(found) for name, found in excluded.items()},
    )


def _packaged(
    requirement: Requirement, user_map: Mapping[str, tuple[str, ...]], members: Mapping[str, str]
) -> frozenset[str]:
    """What a local project (a workspace member) packages, unless --reqs-module-map says
    what the distribution provides; empty for any other requirement."""
    folder = requirement.local or members.get(requirement.name)
    if folder is None or requirement.name in user_map:
        return frozenset()
    return packaged_names(folder)


def _native_needs(
    provisions: Mapping[str, tuple[Provision, ...]],
) -> dict[tuple[str, str | None], NativeNeed | None]:
    keys = {
        (provision.requirement.name, provision.requirement.pinned)
        for found in provisions.values()
        for provision in found
    }
    return {key: find_need(*key) for key in keys}


def _applies(requirement: Requirement, environments: Sequence[dict[str, str]]) -> bool:
    marker = requirement.req.marker
    if marker is None:
        return True
    try:
        return any(marker.evaluate(environment) for environment in environments)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # a marker we cannot evaluate: assume it holds rather than hide a package
