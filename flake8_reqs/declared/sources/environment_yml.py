"""conda's environment.yml: its ``dependencies:`` list, read by a strict line reader.

There is no YAML parser among our dependencies, and an environment file's dependencies are
a small, regular subset of YAML: a block list of conda package specs, and in it one
``- pip:`` item with a nested block list of pip requirement lines. Exactly that is read;
anything else inside ``dependencies:`` is reported, one line each, and skipped. The other
top-level keys (``name:``, ``channels:``, ``variables:``) are passed over.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from packaging.requirements import Requirement as PackagingRequirement

from flake8_reqs.data_files import load_data
from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text
from flake8_reqs.named_tuple import NamedTuple

_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$")
_ITEM = re.compile(r"( *)- *(.*)$")
# A conda match spec: [channel::]name[ version[ build]] or name<op>version, name[key=value].
_CONDA_SPEC = re.compile(r"(?:[\w./:-]*::)?([A-Za-z0-9_][A-Za-z0-9_.-]*)(.*)$")
_EXACT = re.compile(r"\s*==?\s*(\d[\w.+!]*)\s*$")  # numpy=1.26.4 or numpy==1.26.4: one version
_PYTHON = re.compile(r"\s*(?:==?|>=)?\s*(3)\.(\d+)(?:\.[\d*]+)*\s*$")
_NOT_READ = "is not read: expected '- <conda package>' or '- pip:' with its list under it"


class _Item(NamedTuple):
    line: int
    indent: int
    text: str  # the scalar, unquoted and without its comment


def read_environment_yml(
    path: Path, display: str, environ: Mapping[str, str], project: Path | None = None
) -> Declared:
    """The runtime requirements of an environment file: its conda packages under the names
    of their PyPI distributions (``pytorch`` as ``torch``; programs and libraries such as
    ``ffmpeg`` declare nothing), and its ``pip:`` list read as a requirements file would be.

    ``python=X.Y`` gives ``python_version``. Conda packages are listed in ``quiet``: REQ201
    does not report what conda installs, as many of them are never imported.
    Raises ReqsInputError when the file cannot be read.
    """
    text = read_text(path, display)
    errors: list[ReqsInputError] = []
    conda, pip = _dependencies(text.split("\n"), display, errors)
    runtime: list[Requirement] = []
    python_version = None
    for item in conda:
        found = _conda_requirement(item, display, errors)
        if isinstance(found, Requirement):
            runtime.append(found)
        elif found:
            python_version = found
    pip_declared = _pip_requirements(path, display, text, pip, environ, project)
    return Declared(
        runtime=(*runtime, *pip_declared.runtime),
        errors=(*errors, *pip_declared.errors),
        constraints=pip_declared.constraints,
        python_version=python_version,
        quiet=tuple((req.path, req.line) for req in runtime),
    )


def _dependencies(
    lines: list[str], display: str, errors: list[ReqsInputError]
) -> tuple[list[_Item], list[_Item]]:
    """The items of ``dependencies:`` and of its ``- pip:`` list."""
    conda: list[_Item] = []
    pip: list[_Item] = []
    inside = False
    pip_indent: int | None = None  # the indent of the "- pip:" item while in its list
    list_indent: int | None = None
    for number, raw in enumerate(lines, start=1):
        line = _without_comment(raw).rstrip()
        if not line.strip() or line.strip() == "---":
            continue
        if not line[0].isspace() and not line.startswith("-"):
            key = _TOP_KEY.match(line)
            inside = key is not None and key.group(1) == "dependencies"
            pip_indent = list_indent = None
            if inside and key is not None and key.group(2):
                errors.append(ReqsInputError(display, number, f"'{line.strip()}' {_NOT_READ}"))
            elif key is None:
                errors.append(ReqsInputError(display, number, f"'{line.strip()}' is not read"))
            continue
        if not inside:
            continue
        item = _ITEM.match(line)
        if item is None:
            errors.append(ReqsInputError(display, number, f"'{line.strip()}' {_NOT_READ}"))
            continue
        indent, value = len(item.group(1)), item.group(2).strip()
        if pip_indent is not None and indent > pip_indent:
            pip.append(_Item(number, indent, _unquoted(value)))
            continue
        pip_indent = None
        if list_indent is None:
            list_indent = indent
        if indent != list_indent:
            errors.append(ReqsInputError(display, number, f"'{line.strip()}' {_NOT_READ}"))
        elif value == "pip:":
            pip_indent = indent
        elif not value or value.startswith(("[", "{", "&", "*", "|", ">")) or ": " in value:
            errors.append(ReqsInputError(display, number, f"'{line.strip()}' {_NOT_READ}"))
        else:
            conda.append(_Item(number, indent, _unquoted(value)))
    return conda, pip


def _without_comment(line: str) -> str:
    """The line without a YAML comment: ``#`` at its start or after a space, outside quotes."""
    quote = None
    for index, char in enumerate(line):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index]
    return line


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _conda_requirement(
    item: _Item, display: str, errors: list[ReqsInputError]
) -> Requirement | str | None:
    """The requirement a conda spec declares; for ``python``, the X.Y it names, if one."""
    match = _CONDA_SPEC.match(item.text)
    if match is None:
        errors.append(ReqsInputError(display, item.line, f"'{item.text}' is not a conda package"))
        return None
    name, rest = match.group(1).lower(), match.group(2)
    if name == "python":
        version = _PYTHON.match(rest)
        return f"{version.group(1)}.{version.group(2)}" if version else None
    if name == "pip" or name in _not_python():
        return None
    distribution = _pypi_names().get(name, name)
    exact = _EXACT.match(rest)
    text = distribution if exact is None else f"{distribution}=={exact.group(1)}"
    try:
        return Requirement.of(PackagingRequirement(text), display, item.line)
    except ValueError:  # a conda version that is not PEP 440: the name alone
        return Requirement.of(PackagingRequirement(distribution), display, item.line)


def _pip_requirements(
    path: Path,
    display: str,
    text: str,
    pip: list[_Item],
    environ: Mapping[str, str],
    project: Path | None,
) -> Declared:
    """The ``pip:`` items read as lines of a requirements file at their own line numbers."""
    if not pip:
        return Declared()
    from flake8_reqs.declared.sources.pip import read_requirement_lines

    lines = [""] * (text.count("\n") + 1)
    for item in pip:
        lines[item.line - 1] = item.text
    return read_requirement_lines(path, display, "\n".join(lines), environ, project)


@functools.cache
def _pypi_names() -> Mapping[str, str]:
    table = load_data("conda_names.toml")["distributions"]
    return {conda: entry["pypi"] for conda, entry in table.items()}


@functools.cache
def _not_python() -> frozenset[str]:
    return frozenset(load_data("conda_names.toml")["not_python"])
