"""The runtime set: what the image installs, and which extras and groups production gets."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs import inputs
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources import read_source
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.project.root import candidate_sources
from flake8_reqs.project.transitive import compiled_input
from flake8_reqs.settings import Settings, SourceFile
from flake8_reqs.system.files import is_system_file

if TYPE_CHECKING:
    # Imported where a Dockerfile is read: it brings the Dockerfile parser, which a project
    # without one does not need (bench/README.md, an ordinary state).
    from flake8_reqs.system.python_installs import PythonInstall

# What installs the installers: a Dockerfile that installs only these has not said what
# the project needs.
_TOOLS = frozenset(
    {
        "pip", "setuptools", "wheel", "uv", "poetry", "pipenv", "pdm", "virtualenv", "build",
        "pip-tools", "hatch", "pipx", "poetry-plugin-export", "conda", "mamba",
    }
)  # fmt: skip
_METADATA = ("pyproject.toml", "setup.cfg", "setup.py")
Read = Callable[[SourceFile], Declared]  # read_source, with the environment and boundary
# Read when none of the root's default sources declares runtime requirements.
_MORE_SOURCES = ("Pipfile", "environment.yml")


class RuntimeSet(NamedTuple):
    """What production installs: the sources read (their runtime, and the groups made
    runtime), the files among them, and how messages name them."""

    declared: list[Declared]
    files: list[SourceFile]
    display: str


class Image(NamedTuple):
    """The Dockerfile a project ships, and the Python installs of its shipped stage."""

    dockerfile: SourceFile
    installs: tuple[PythonInstall, ...]


def find_runtime_set(
    settings: Settings, root: Path, read: Read, notes: list[str]
) -> tuple[RuntimeSet, bool]:
    """What production installs, and whether anything declares it: the --reqs-file
    sources; else what the Dockerfile's shipped stage installs; else the first source in
    the root that declares runtime requirements. The extras and groups the image installs
    are runtime in each case."""
    image = read_image(settings, root, notes)
    if settings.reqs_files:
        named = [
            selected_by_image(read(source), source, image, settings, root)
            for source in settings.reqs_files
        ]
        shown = ", ".join(source.display for source in settings.reqs_files)
        return RuntimeSet(named, list(settings.reqs_files), shown), True
    installed = from_image(image, settings, root, read, notes) if image else None
    if installed is not None and installed.files:
        return installed, True
    # An image that installs distributions by name only (gunicorn on top of a base image)
    # has not said where the rest comes from: those names are added to what is found.
    named = installed.declared if installed is not None else []
    candidates = (
        *candidate_sources(root, settings.start),
        *(
            SourceFile(root / name, os.path.relpath(root / name, settings.start))
            for name in _MORE_SOURCES
        ),
    )
    passed_over: list[str] = []
    for source in candidates:
        inputs.note_read(source.path)
        if is_there(source.path):
            declared = read_quietly(source, read, notes)
            if declared.runtime:
                source, display = declaring(source, settings.start)
                if display != source.display:
                    declared = read_quietly(source, read, notes)
                chosen = selected_by_image(declared, source, image, settings, root)
                shown = "; ".join([display, installed.display] if installed else [display])
                return RuntimeSet([chosen, *named], [source], shown), True
            passed_over += [str(error) for error in declared.errors]
    if installed is not None:
        return installed, True
    notes += passed_over  # why the sources that are there declare nothing
    looked_for = ", ".join(source.display for source in candidates)
    notes.append(f"no runtime requirements found (looked for {looked_for}); nothing is checked")
    return RuntimeSet([], [], ""), False


def is_there(path: Path) -> bool:
    """Whether ``path`` names something other than a folder, to be read or named as
    unreadable: a FIFO or a dangling link in the root is reported, not passed over."""
    return os.path.lexists(path) and not os.path.isdir(path)


def read_quietly(source: SourceFile, read: Read, notes: list[str]) -> Declared:
    """What ``source`` declares; when it cannot be read, nothing, and a note says why."""
    try:
        return read(source)
    except ReqsInputError as error:
        notes.append(str(error))
        return Declared()


def read_image(settings: Settings, root: Path, notes: list[str]) -> Image | None:
    """The Python installs of the project's Dockerfile (a --reqs-system-file, else one in
    the root); None when there is none or it cannot be read (read_system_file says why)."""
    names = ("Dockerfile", "Containerfile")
    candidates = [source for source in settings.system_files if _is_dockerfile(source.path)]
    if not settings.system_files:
        candidates = [
            SourceFile(root / name, os.path.relpath(root / name, settings.start)) for name in names
        ]
    for source in candidates:
        if source.path.is_file():
            from flake8_reqs.system.python_installs import read_python_installs

            try:
                installs = read_python_installs(source.path, source.display, settings.docker_target)
            except ReqsInputError:
                return None
            return Image(source, installs)
    return None


def from_image(
    image: Image, settings: Settings, root: Path, read: Read, notes: list[str]
) -> RuntimeSet | None:
    """The runtime set the image installs; None when it installs nothing of the project's
    (only pip, uv, ...) or something that cannot be told, which a note then names."""
    if not any(_says_what_project_needs(install) for install in image.installs):
        return None
    declared: list[Declared] = []
    files: list[SourceFile] = []
    shown: list[str] = []
    where = image.dockerfile.display
    for install in image.installs:
        if install.unknown is not None:
            notes.append(
                f"{where}:{install.line}: cannot tell what {install.unknown} installs; the "
                "runtime requirements are found as without a Dockerfile"
            )
            return None
        sources, missing = install_sources(install, image.dockerfile, root, settings.start)
        if missing is not None:
            notes.append(
                f"{where}:{install.line}: installs {missing}; the runtime requirements are "
                "found as without a Dockerfile"
            )
            return None
        for installed in sources:
            source, display = declaring(installed, settings.start)
            found = read_quietly(source, read, notes)
            declared.append(select_groups(found, install, settings.runtime_groups))
            files.append(source)
            shown.append(f"{display}, installed at {where}:{install.line}")
        named = _by_name(install, where, notes)
        if named:
            # Often tools (gunicorn, awscli): REQ201 does not ask to remove them.
            quiet = tuple((requirement.path, requirement.line) for requirement in named)
            declared.append(Declared(runtime=named, quiet=quiet))
            shown.append(f"{where}:{install.line}")
    return RuntimeSet(declared, list(dict.fromkeys(files)), "; ".join(dict.fromkeys(shown)))


def declaring(source: SourceFile, start: Path) -> tuple[SourceFile, str]:
    """The source that declares what ``source`` installs, and how messages name it: the
    pip-tools input ``requirements.in`` of a compiled ``requirements.txt``, else itself."""
    given = compiled_input(source, start)
    if given is None:
        return source, source.display
    return given, f"{given.display}, compiled to {source.display}"


def selected_by_image(
    declared: Declared, source: SourceFile, image: Image | None, settings: Settings, root: Path
) -> Declared:
    """``declared`` with the groups made runtime that the image's installs of the same file
    select (``uv sync --group datasources`` with ``--reqs-file pyproject.toml``), and those
    --reqs-runtime-groups names."""
    declared = select_groups(declared, None, settings.runtime_groups)
    if image is None:
        return declared
    for install in image.installs:
        sources, _ = install_sources(install, image.dockerfile, root, settings.start)
        if install.unknown is None and source.path in {found.path for found in sources}:
            declared = select_groups(declared, install, settings.runtime_groups)
    return declared


def select_groups(
    declared: Declared, install: PythonInstall | None, names: Iterable[str]
) -> Declared:
    """``declared`` with the groups ``install`` selects, and those named in ``names``, made
    runtime; without the source's own runtime set when the install leaves it out."""
    wanted = {canonicalize_name(name) for name in names}
    chosen = {
        label
        for label, kind, name in declared.selectors
        if name in wanted or (install is not None and _selects(install, kind, name))
    }
    if not chosen and (install is None or install.main):
        return declared
    own = declared.runtime if install is None or install.main else ()
    made = tuple(req for label, reqs in declared.groups if label in chosen for req in reqs)
    return declared._replace(
        runtime=own + made,
        groups=tuple((label, reqs) for label, reqs in declared.groups if label not in chosen),
    )


def _selects(install: PythonInstall, kind: str, name: str) -> bool:
    """Whether ``install`` installs the set of ``kind`` and ``name`` (Declared.selectors)."""
    from flake8_reqs.system.python_installs import ALL  # loaded with the install

    def named(values: Sequence[str]) -> bool:
        return ALL in values or name in {canonicalize_name(value) for value in values}

    if kind == "extra":
        return named(install.extras)
    if named(install.without):
        return False
    default = install.default_groups
    if kind == "group":  # PEP 735 groups; pdm's default groups are all of them
        return named(install.groups) or (default and install.tool == "pdm")
    if kind == "uv-default":  # declared/sources/tool_groups.py, uv_installs_by_default
        return default and install.tool == "uv"
    if kind == "poetry":
        return install.tool == "poetry" and (default or named(install.groups))
    if kind == "poetry-optional":
        return install.tool == "poetry" and named(install.groups)
    if kind == "pdm":
        return install.tool == "pdm" and (default or named(install.groups))
    if kind == "pipenv":
        return install.tool == "pipenv" and named(install.groups)
    return False  # hatch environments: only --reqs-runtime-groups names them


def install_sources(
    install: PythonInstall, dockerfile: SourceFile, root: Path, start: Path
) -> tuple[list[SourceFile], str | None]:
    """The project's files ``install`` reads, and what it reads that is not in the project
    (as a note says it), if anything."""
    found: list[SourceFile] = []
    for written in install.files:
        path = _find(written, (dockerfile.path.parent, root))
        if path is None:
            return found, f"'{written}', which is not in the project"
        found.append(SourceFile(path, os.path.relpath(path, start)))
    if install.project:
        names = _project_files(install.tool)
        for name in names:
            inputs.note_read(root / name)
        existing = [root / name for name in names if (root / name).is_file()]
        if not existing:
            where = os.path.relpath(root, start)
            return found, f"the project, but {' or '.join(names)} is not in '{where}'"
        sources = [SourceFile(path, os.path.relpath(path, start)) for path in existing]
        # pip builds the project from whichever file declares its requirements: a
        # pyproject.toml may hold only [build-system] beside a setup.cfg that does.
        declaring = [source for source in sources if _declares_runtime(source)]
        found.append((declaring or sources)[0])
    return found, None


def _declares_runtime(source: SourceFile) -> bool:
    try:
        return bool(read_source(source, {}).runtime)
    except ReqsInputError:
        return False


def _find(written: str, folders: Iterable[Path]) -> Path | None:
    """The file a path inside the image names: the path, and each shorter tail of it
    (``/app/requirements/prod.txt`` is ``requirements/prod.txt`` of the build context),
    below the Dockerfile's folder or the project root."""
    parts = [part for part in PurePosixPath(written).parts if part not in ("/", ".")]
    for start in range(len(parts)):
        for folder in dict.fromkeys(folders):
            path = folder.joinpath(*parts[start:])
            inputs.note_read(path)
            if path.is_file():
                return path
    return None


def _project_files(tool: str) -> tuple[str, ...]:
    """The files that hold the project's own requirements for ``tool``, in the order tried."""
    if tool == "pipenv":
        return ("Pipfile",)
    if tool in ("uv", "poetry", "pdm"):
        return ("pyproject.toml",)
    return _METADATA


def _by_name(install: PythonInstall, where: str, notes: list[str]) -> tuple[Requirement, ...]:
    found = []
    for text in install.requirements:
        try:
            found.append(Requirement.of(PackagingRequirement(text), where, install.line))
        except InvalidRequirement as exc:
            notes.append(f"{where}:{install.line}: invalid requirement '{text}': {exc}")
    return tuple(found)


def _says_what_project_needs(install: PythonInstall) -> bool:
    return bool(
        install.files
        or install.project
        or install.unknown
        or any(canonicalize_name(_name_of(text)) not in _TOOLS for text in install.requirements)
    )


def _name_of(text: str) -> str:
    for mark in "[=<>!~;@ ":
        text = text.partition(mark)[0]
    return text


def _is_dockerfile(path: Path) -> bool:
    name = path.name.lower()
    return (
        is_system_file(path)
        and name not in ("aptfile", "apt.txt", "packages.txt")
        and ("dockerfile" in name or "containerfile" in name)
    )
