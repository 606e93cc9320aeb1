"""pyproject.toml: [project], setuptools' dynamic files, and the readers of its other tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from packaging.utils import canonicalize_name

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.dependency_groups import read_dependency_groups
from flake8_reqs.declared.sources.metadata import (
    OUTSIDE_FOLDER,
    Group,
    beside,
    is_inside,
    parse_requirements,
)
from flake8_reqs.declared.sources.poetry import read_poetry
from flake8_reqs.declared.sources.tool_groups import read_tool_groups, uv_installs_by_default
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text
from flake8_reqs.toml_document import (
    Keys,
    TomlError,
    TomlReader,
    load_toml,
    toml_error_of,
    where,
)

DYNAMIC = ("tool", "setuptools", "dynamic")
BUILD_REQUIRES = ("build-system", "requires")


def read_pyproject(path: Path, display: str, environ: Mapping[str, str]) -> Declared:
    """What a pyproject.toml declares, in every table this reader knows.

    Raises ReqsInputError when the file cannot be read. Invalid TOML is the one error of
    an otherwise empty Declared; other problems are errors beside what could be read.
    """
    text = read_text(path, display)
    try:
        data = load_toml(text)
    except TomlError as exc:
        return Declared(errors=(ReqsInputError(display, exc.line, exc.message),))
    reader = TomlReader(display, text, data)
    parts = (
        _read_project(reader),
        _read_dynamic(reader, path.parent, environ),
        _dependency_groups(reader),
        read_poetry(reader),
        read_tool_groups(reader),
    )
    declared = _merge(parts, tuple(reader.errors))
    if "path" in text or "file:" in text or "{root" in text:  # most name no local project
        from flake8_reqs.declared.sources.local_paths import with_local_folders

        declared = with_local_folders(declared, reader, path.parent)
    return declared


def toml_error(display: str, text: str, exc: ValueError) -> ReqsInputError:
    """The one-line error for invalid TOML, at the line tomllib names (the last line with text
    when it says "at end of document")."""
    error = toml_error_of(text, exc)
    return ReqsInputError(display, error.line, error.message)


def _read_project(reader: TomlReader) -> Declared:
    """PEP 621: ``dependencies``, ``optional-dependencies``, ``name``, ``requires-python``."""
    groups = (
        (
            f"{reader.display} [project.optional-dependencies] {extra}",
            _requirements(reader, ("project", "optional-dependencies", extra)),
        )
        for extra in reader.table(("project", "optional-dependencies"))
    )
    # What the build backend needs is installed to build, not to run: setup.py imports it.
    build = (f"{reader.display} [build-system] requires", _requirements(reader, BUILD_REQUIRES))
    all_groups = tuple(group for group in (*groups, build) if group[1])
    return Declared(
        runtime=_requirements(reader, ("project", "dependencies")),
        groups=all_groups,
        requires_python=reader.string(("project", "requires-python")),
        project_name=reader.string(("project", "name")),
        selectors=_extras(reader, all_groups),
    )


def _extras(reader: TomlReader, groups: Iterable[Group]) -> tuple[tuple[str, str, str], ...]:
    """Each optional-dependencies group is selected by its extra's name."""
    prefix = f"{reader.display} [project.optional-dependencies] "
    return tuple(
        (label, "extra", canonicalize_name(label[len(prefix) :]))
        for label, _ in groups
        if label.startswith(prefix)
    )


def _dependency_groups(reader: TomlReader) -> Declared:
    groups = read_dependency_groups(reader)
    prefix = f"{reader.display} [dependency-groups] "
    selectors: list[tuple[str, str, str]] = []
    for label, _ in groups:
        name = canonicalize_name(label[len(prefix) :])
        selectors.append((label, "group", name))
        if uv_installs_by_default(reader, name):
            selectors.append((label, "uv-default", name))
    return Declared(groups=groups, selectors=tuple(selectors))


def _requirements(reader: TomlReader, keys: Keys) -> tuple[Requirement, ...]:
    return parse_requirements(reader.strings(keys), reader.display, reader.errors)


def _read_dynamic(reader: TomlReader, folder: Path, environ: Mapping[str, str]) -> Declared:
    """setuptools' ``dynamic`` dependencies read from requirements files."""
    dynamic = {name for name, _ in reader.strings(("project", "dynamic"))}
    runtime: tuple[Requirement, ...] = ()
    if "dependencies" in dynamic:
        runtime = _read_files(reader, (*DYNAMIC, "dependencies"), folder, environ)
    groups: list[Group] = []
    if "optional-dependencies" in dynamic:
        keys = (*DYNAMIC, "optional-dependencies")
        for extra in reader.table(keys):
            label = f"{reader.display} [project.optional-dependencies] {extra}"
            groups.append((label, _read_files(reader, (*keys, extra), folder, environ)))
    kept = tuple(group for group in groups if group[1])
    return Declared(runtime=runtime, groups=kept, selectors=_extras(reader, kept))


def _read_files(
    reader: TomlReader, keys: Keys, folder: Path, environ: Mapping[str, str]
) -> tuple[Requirement, ...]:
    """The requirements of the files in ``{file = [...]}`` at ``keys``."""
    # Imported here: the pip reader is only needed for projects that use this.
    from flake8_reqs.declared.sources.pip import read_requirements_file

    file_keys = (*keys, "file")
    value = reader.table(keys).get("file")
    if isinstance(value, str):  # setuptools takes one file name as well as a list
        files = [(value, reader.line(file_keys))]
    else:
        files = reader.strings(file_keys)
    reqs: list[Requirement] = []
    for name, line in files:
        if not is_inside(folder / name, folder):
            reader.report(file_keys, f"{where(file_keys)} names '{name}', {OUTSIDE_FOLDER}", line)
            continue
        try:
            display = beside(reader.display, name)
            declared = read_requirements_file(folder / name, display, environ, folder)
        except ReqsInputError as exc:
            reader.report(file_keys, f"{where(file_keys)} names '{name}': {exc.message}", line)
            continue
        reqs.extend(declared.runtime)
        reader.errors.extend(declared.errors)
    return tuple(reqs)


def _merge(parts: Iterable[Declared], errors: tuple[ReqsInputError, ...]) -> Declared:
    """One Declared from the tables' parts; groups with the same label are joined."""
    parts = tuple(parts)
    groups: dict[str, tuple[Requirement, ...]] = {}
    for part in parts:
        for label, reqs in part.groups:
            groups[label] = groups.get(label, ()) + reqs
    return Declared(
        runtime=tuple(req for part in parts for req in part.runtime),
        groups=tuple(groups.items()),
        requires_python=next((p.requires_python for p in parts if p.requires_python), None),
        project_name=next((p.project_name for p in parts if p.project_name), None),
        errors=errors,
        selectors=tuple(dict.fromkeys(sel for part in parts for sel in part.selectors)),
    )
