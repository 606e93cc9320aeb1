"""build_state: read the requirement sources and resolve what they provide."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from packaging.markers import (
    InvalidMarker,
    Marker,
    UndefinedComparison,
    UndefinedEnvironmentName,
)
from packaging.requirements import Requirement as PackagingRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

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
    repository_root,
    root_files,
)
from flake8_reqs.project.runtime_set import find_runtime_set, read_quietly, select_groups
from flake8_reqs.project.settings_modules import named_settings_files
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.transitive import find_locks, read_locks, transitive
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

_PLATFORM_SYSTEM = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}


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
    declared += [_as_group(read(source), source) for source in settings.dev_files]
    dev_sources = _default_dev_sources(settings, root, used)
    declared += [_as_group(read_quietly(source, read, notes), source) for source in dev_sources]
    for name in ("pyproject.toml", "Pipfile"):  # their non-runtime sets count wherever
        source = SourceFile(root / name, os.path.relpath(root / name, settings.start))
        if source.path.is_file() and source.path not in {found.path for found in used}:
            groups = _groups_only(read_quietly(source, read, notes))
            declared.append(select_groups(groups, None, settings.runtime_groups))
    if (root / "setup.py").is_file():
        declared.append(_legacy_build_backend(root, settings.start))
    notes += [str(error) for item in declared for error in item.errors]

    version = _target_version(settings, declared, notes)
    major, minor = version.split(".")
    target = Target((int(major), int(minor)), settings.platform)
    environment = _environment(target)
    user_map = dict(settings.module_map)
    members = find_members(root, declared, environ)
    runtime_reqs = [
        requirement
        for item in runtime.declared
        for requirement in item.runtime
        if _applies(requirement, environment)
    ]
    projects = frozenset(canonicalize_name(i.project_name) for i in declared if i.project_name)
    locks = read_locks(find_locks(settings.lock_files, used, settings.start), notes)
    pulled = transitive(
        locks, runtime_reqs, lambda marker: _holds(marker, environment), user_map, projects
    )
    guessed: set[NormalizedName] = set()
    provisions = _provisions(declared, environment, user_map, members, pulled.versions, guessed)
    system = _system_packages(settings, root, notes)
    unknown = (
        requirement.declared_name
        for item in declared
        for _, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        if requirement.name in guessed
    )
    own_names = {name.replace("-", "_") for name in projects}
    starts = read_starts(root, _dockerfiles(settings, root), settings.docker_target)
    return ProjectState(
        root=root,
        target=target,
        runtime_sources=runtime.display,
        runtime_files=tuple(used),
        provisions=provisions,
        first_party=frozenset(),
        stdlib=stdlib_modules(version),
        stdlib_elsewhere=frozenset().union(*map(stdlib_modules, known_versions()))
        - stdlib_modules(version),
        system=system,
        system_ok=settings.system_ok,
        active=active,
        notes=tuple(dict.fromkeys(notes)),
        own_names=frozenset(own_names),
        native_needs=_native_needs({**pulled.provisions, **provisions}),
        stdlib_needs=_stdlib_needs(system),
        members=member_hints(members, root, settings.start),
        all_sources=", ".join(
            dict.fromkeys(s.display for s in (*used, *settings.dev_files, *dev_sources))
        ),
        settings_files=named_settings_files(root, starts.settings_modules),
        starts=starts,
        transitive=pulled.provisions,
        quiet=pulled.quiet.union(*(item.quiet for item in declared)),
        unknown_names=tuple(dict.fromkeys(unknown)),
    )


def _system_packages(settings: Settings, root: Path, notes: list[str]) -> SystemPackages | None:
    """What the system files install, merged; None when there is no usable system file."""
    sources = settings.system_files or tuple(
        SourceFile(root / name, os.path.relpath(root / name, settings.start))
        for name in SYSTEM_FILES
        if (root / name).is_file()
    )
    found = []
    for source in sources:
        try:
            system = read_system_file(source.path, source.display, settings.docker_target)
        except ReqsInputError as error:
            notes.append(f"{error}; reporting every system need")
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


def _dockerfiles(settings: Settings, root: Path) -> list[Path]:
    """The Dockerfiles among the system files: their shipped stage says how the image starts."""
    paths = [source.path for source in settings.system_files] or [
        root / name for name in SYSTEM_FILES if (root / name).is_file()
    ]
    return [path for path in paths if is_system_file(path) and _is_dockerfile(path.name.lower())]


def _is_dockerfile(name: str) -> bool:
    return "dockerfile" in name or "containerfile" in name


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


def _target_version(settings: Settings, declared: Iterable[Declared], notes: list[str]) -> str:
    if settings.python_version:
        return settings.python_version
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for item in declared:
        if item.requires_python:
            try:
                spec = SpecifierSet(item.requires_python)
            except InvalidSpecifier:
                notes.append(f"ignoring requires-python {item.requires_python!r}: not a specifier")
                continue
            for version in known_versions():
                if spec.contains(version, prereleases=True) or spec.contains(f"{version}.99"):
                    return version
    return running


def _environment(target: Target) -> dict[str, str]:
    """The marker environment of the target: its Python and platform."""
    return {
        "python_version": ".".join(map(str, target.version)),
        "python_full_version": ".".join(map(str, target.version)) + ".0",
        "sys_platform": target.platform,
        "platform_system": _PLATFORM_SYSTEM[target.platform],
        "os_name": "nt" if target.platform == "win32" else "posix",
        "extra": "",
    }


def _provisions(
    declared: Iterable[Declared],
    environment: dict[str, str],
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    members: Mapping[str, str],
    locked: Mapping[NormalizedName, str],
    guessed: set[NormalizedName],
) -> Mapping[str, tuple[Provision, ...]]:
    """Import name -> the declared requirements that provide it. A runtime requirement
    without a pin takes the version a lock file gives it (for the native-library ranges);
    the distributions whose names only the name guess gives are added to ``guessed``."""
    applying = [
        (group, requirement)
        for item in declared
        for group, requirements in [(None, item.runtime), *item.groups]
        for requirement in requirements
        if _applies(requirement, environment)
    ]
    # A local project (a workspace member) provides what it packages; the others are
    # looked up together (resolve.provided_names opens the import index once for all).
    local = {
        requirement.name: _packaged(requirement, user_map, members) for _, requirement in applying
    }
    names_of = provided_names(
        (requirement.name for _, requirement in applying if not local[requirement.name]),
        user_map,
        guessed,
    )
    names_of.update((name, names) for name, names in local.items() if names)
    index: dict[str, list[Provision]] = {}
    for group, requirement in applying:
        names = names_of[requirement.name]
        if group is None and requirement.pinned is None and requirement.name in locked:
            requirement = requirement._replace(pinned=locked[requirement.name])
        provision = Provision(requirement, group, names)
        for name in names:
            index.setdefault(name, []).append(provision)
    return {name: tuple(found) for name, found in index.items()}


def _packaged(
    requirement: Requirement,
    user_map: Mapping[NormalizedName, tuple[str, ...]],
    members: Mapping[str, str],
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


def _applies(requirement: Requirement, environment: dict[str, str]) -> bool:
    marker = requirement.req.marker
    if marker is None:
        return True
    try:
        return marker.evaluate(environment)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # a marker we cannot evaluate: assume it holds rather than hide a package


def _holds(marker: str, environment: dict[str, str]) -> bool:
    """Whether a lock file's marker holds on the target; True when it cannot be told."""
    try:
        return Marker(marker).evaluate(environment)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True
