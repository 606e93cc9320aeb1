"""build_state: read the requirement sources and resolve what they provide."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import Requirement as PackagingRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from flake8_reqs import inputs
from flake8_reqs.code.guards import Target
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.resolve import Provision, provided_names
from flake8_reqs.declared.sources import read_source
from flake8_reqs.declared.stdlib import known_versions, stdlib_modules
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project.root import (
    ROOT_MARKERS,
    SYSTEM_FILES,
    candidate_sources,
    find_root,
    root_files,
)
from flake8_reqs.project.state import ProjectState
from flake8_reqs.settings import Settings, SourceFile
from flake8_reqs.system.files import SystemPackages, read_system_file
from flake8_reqs.system.native import NativeNeed, find_need

_PLATFORM_SYSTEM = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}
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


def build_state(settings: Settings) -> ProjectState:
    """Read the requirement sources and resolve what they provide.

    Every file read or looked for is reported to inputs.note_read, so that a
    stored state is used only while they are unchanged. ``first_party`` is left empty:
    load_state reads it from the tree on every load.
    """
    root = find_root(settings.search_from)
    for folder in (settings.search_from, *settings.search_from.parents):
        for marker in ROOT_MARKERS:  # a marker added below the root moves the root
            inputs.note_read(folder / marker)
        if folder == root:
            break
    for path in root_files(root):
        inputs.note_read(path)
    environ = _WatchedEnviron()
    notes: list[str] = []
    runtime, used, active = _runtime_sources(settings, root, environ, notes)
    declared = list(runtime)
    declared += [
        _as_group(_read_guarded(source, environ, notes, required=True), source)
        for source in settings.dev_files
    ]
    pyproject = SourceFile(
        root / "pyproject.toml", os.path.relpath(root / "pyproject.toml", settings.start)
    )
    if _is_there(pyproject.path) and pyproject.path not in {source.path for source in used}:
        declared.append(_groups_only(_read_guarded(pyproject, environ, notes, required=False)))
    if (root / "setup.py").is_file():
        declared.append(_legacy_build_backend(root, settings.start))
    notes += [str(error) for item in declared for error in item.errors]

    version = _target_version(settings, declared, notes)
    major, minor = version.split(".")
    target = Target((int(major), int(minor)), settings.platform)
    provisions = _provisions(declared, target, dict(settings.module_map))
    own_names = {
        canonicalize_name(item.project_name).replace("-", "_")
        for item in declared
        if item.project_name
    }
    return ProjectState(
        root=root,
        target=target,
        runtime_sources=", ".join(source.display for source in used),
        runtime_files=tuple(used),
        provisions=provisions,
        first_party=frozenset(),
        stdlib=stdlib_modules(version),
        stdlib_elsewhere=frozenset().union(*map(stdlib_modules, known_versions()))
        - stdlib_modules(version),
        system=_system_packages(settings, root, notes),
        system_ok=settings.system_ok,
        active=active,
        notes=tuple(dict.fromkeys(notes)),
        own_names=frozenset(own_names),
        native_needs=_native_needs(provisions),
    )


def _runtime_sources(
    settings: Settings, root: Path, environ: Mapping[str, str], notes: list[str]
) -> tuple[list[Declared], list[SourceFile], bool]:
    if settings.reqs_files:
        return (
            [read_source(s, environ) for s in settings.reqs_files],
            list(settings.reqs_files),
            True,
        )
    candidates = candidate_sources(root, settings.start)
    passed_over: list[str] = []
    for source in candidates:
        if _is_there(source.path):
            declared = _read_quietly(source, environ, notes)
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
    packages = frozenset().union(*(system.packages for system in found))
    commands = frozenset().union(*(system.commands for system in found))
    return SystemPackages(family, packages, commands=commands)


def _is_there(path: Path) -> bool:
    """Whether ``path`` names something other than a folder, to be read or named as
    unreadable: a FIFO or a dangling link in the root is reported, not passed over."""
    return os.path.lexists(path) and not os.path.isdir(path)


def _read_quietly(source: SourceFile, environ: Mapping[str, str], notes: list[str]) -> Declared:
    try:
        return read_source(source, environ)
    except ReqsInputError as error:
        notes.append(str(error))
        return Declared()


def _read_guarded(
    source: SourceFile, environ: Mapping[str, str], notes: list[str], *, required: bool
) -> Declared:
    """A source that is not runtime. One that cannot be read is named (or, if ``required``,
    as a --reqs-dev-file is, stops the run); a bug of ours reading it is named and does
    not stop the checks of the runtime requirements."""
    try:
        return read_source(source, environ)
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


def _provisions(
    declared: Iterable[Declared], target: Target, user_map: Mapping[str, tuple[str, ...]]
) -> Mapping[str, tuple[Provision, ...]]:
    environment = {
        "python_version": ".".join(map(str, target.version)),
        "python_full_version": ".".join(map(str, target.version)) + ".0",
        "sys_platform": target.platform,
        "platform_system": _PLATFORM_SYSTEM[target.platform],
        "os_name": "nt" if target.platform == "win32" else "posix",
        "extra": "",
    }
    index: dict[str, list[Provision]] = {}
    known: dict[str, frozenset[str]] = {}  # a distribution in many groups is looked up once
    for item in declared:
        sets = [(None, item.runtime), *item.groups]
        for group, requirements in sets:
            for requirement in requirements:
                if not _applies(requirement, environment):
                    continue
                names = known.get(requirement.name)
                if names is None:
                    names = provided_names(requirement.name, user_map)  # type: ignore[arg-type]
                    known[requirement.name] = names
                provision = Provision(requirement, group, names)
                for name in names:
                    index.setdefault(name, []).append(provision)
    return {name: tuple(found) for name, found in index.items()}


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
