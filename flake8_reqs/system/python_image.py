"""Which Python an image runs: its tag (python:3.12-slim), or the python3 its OS installs."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from flake8_reqs.data_files import load_data
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.dockerfile import StageCommands, stage_commands
from flake8_reqs.system.shell_installs import package_change

# The repository names whose tag starts with the Python version: python:3.12-slim,
# pypy:3.10, mcr.microsoft.com/devcontainers/python:1-3.11-bookworm (the 1- is the
# image's own version).
_PYTHON_REPOSITORIES = frozenset({"python", "pypy"})
_LEADING_VERSION = re.compile(r"(?:\d+-)?3\.(\d{1,2})(?!\d)")
# A version spelled into a name or tag: uv:python3.12-bookworm-slim, ubi9/python-311,
# lambda-style py3.11. Not python3 alone: that names no minor version.
_SPELLED_VERSION = re.compile(r"(?<![a-z0-9])(?:python|pypy|py)-?3\.?(\d{1,2})(?![\d.])")
# An OS package that installs the interpreter: python3.11, python3.11-venv, python3, python3-pip.
_PYTHON_PACKAGE = re.compile(
    r"python3(?:\.(\d{1,2}))?(?:-(?:minimal|venv|dev|full|pip|distutils))?"
)
_ALPINE_TOKEN = re.compile(r"alpine(\d+\.\d+)")
_RELEASE_TOKEN = re.compile(r"(debian|ubuntu)(\d+(?:\.\d+)?)")


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class ImagePython(NamedTuple):
    """The Python of a Dockerfile's shipped stage, and the line that says so."""

    version: str  # "3.12"
    evidence: str  # "Dockerfile:1 FROM python:3.12-slim"
    platform: str  # the image's sys.platform: "linux", or "win32" for a Windows image
    libc: str | None  # "musl" for an Alpine image; None for glibc or unknown


def shipped_python(text: str, display: str, target: str | None = None) -> ImagePython | None:
    """The Python a Dockerfile's shipped stage runs (``target``, else the last stage, with
    the stages it is built FROM): its base image's tag, or the ``python3`` it installs from
    the OS. None when the file does not say. Problems in the file are read_dockerfile's."""
    chain = _from_chain(stage_commands(text, display), target)
    if not chain:
        return None
    installs = [
        (line, name)
        for stage in chain
        for line, words in stage.runs
        for change in [package_change(list(words))]
        if change is not None and change.add
        for name in change.packages
    ]
    root = chain[0]
    where = f"{display}:{root.line} FROM {root.written}"
    if root.written != root.base:
        where += f" = {root.base}"  # python:${PY}-slim = python:3.11-slim
    return stage_python(root.base, where, installs, display)


def _from_chain(stages: Sequence[StageCommands], target: str | None) -> list[StageCommands]:
    """The shipped stage and the stages it is built FROM, the root first."""
    named = [i for i, stage in enumerate(stages) if target and stage.name == target.lower()]
    index = named[-1] if named else len(stages) - 1
    chain: list[StageCommands] = []
    while index >= 0:
        chain.insert(0, stages[index])
        base = stages[index].base.lower()
        parents = [i for i in range(index) if stages[i].name == base]
        if base.isdigit() and int(base) < index:
            parents.append(int(base))
        index = parents[-1] if parents else -1
    return chain


def is_python_package(name: str) -> bool:
    """Whether an OS package name installs the Python interpreter (``python3.11``, ``python3``)."""
    return _PYTHON_PACKAGE.fullmatch(name) is not None


def tagged_python(reference: str) -> str | None:
    """The X.Y of Python that an image reference names, or None when it names none:
    ``python:3.11.9-bookworm`` -> ``3.11``; ``ghcr.io/astral-sh/uv:python3.12-bookworm-slim``
    -> ``3.12``; ``python:3``, ``python:latest`` and ``node:20`` -> None."""
    name, tag = _name_and_tag(reference)
    if name in _PYTHON_REPOSITORIES:
        match = _LEADING_VERSION.match(tag)
        if match is not None:
            return f"3.{int(match.group(1))}"
    for text in (tag, name):
        match = _SPELLED_VERSION.search(text)
        if match is not None:
            return f"3.{int(match.group(1))}"
    return None


def release_python(reference: str) -> tuple[str, str] | None:
    """The X.Y of the ``python3`` of the OS release an image reference names, with the
    release (``("3.12", "alpine:3.20")``); None when data/os_python.toml does not know it."""
    name, tag = _name_and_tag(reference)
    candidates = []
    if name in ("alpine", "debian", "ubuntu"):
        first = tag.split("-")[0]
        if name == "alpine":
            first = ".".join(first.split(".")[:2])  # alpine:3.20.3 is release 3.20
        elif name == "debian":
            first = first.split(".")[0]  # debian:12.5 is release 12
        candidates.append(f"{name}:{first}")
    for token in re.split(r"[-_]", f"{name}-{tag}"):  # node:20-bookworm, cuda:...-ubuntu22.04
        alpine = _ALPINE_TOKEN.fullmatch(token)
        if alpine is not None:
            candidates.append(f"alpine:{alpine.group(1)}")
        release = _RELEASE_TOKEN.fullmatch(token)
        if release is not None:
            candidates.append(f"{release.group(1)}:{release.group(2)}")
        if token.isalpha():  # a codename: node:20-bookworm (node:12 names no Debian 12)
            candidates += [f"{distro}:{token}" for distro in ("debian", "ubuntu")]
    releases = _releases()
    for candidate in candidates:
        if candidate in releases:
            return releases[candidate], candidate
    return None


def stage_python(
    base: str, from_line: str, installs: Sequence[tuple[int, str]], display: str
) -> ImagePython | None:
    """The Python of a stage built ``FROM base`` (``from_line`` says where, as
    ``Dockerfile:1 FROM python:3.12-slim``) that installs the OS packages ``installs``
    ((line, name), in order): the version its tag names; else the last ``python3.X`` it
    installs; else the ``python3`` of its OS release, installed or in the image's name
    (gcr.io/distroless/python3-debian12). None when none of these says."""
    platform = image_platform(base)
    version = tagged_python(base)
    if version is not None:
        return ImagePython(version, from_line, *platform)
    pythons = [(line, name) for line, name in installs if is_python_package(name)]
    versioned = [(line, name) for line, name in pythons if _version_of(name)]
    if versioned:
        line, name = versioned[-1]
        return ImagePython(str(_version_of(name)), f"{display}:{line} installs {name}", *platform)
    name, _ = _name_and_tag(base)
    if not pythons and "python3" not in name:
        return None
    found = release_python(base)
    if found is None:
        return None
    if not pythons:
        return ImagePython(found[0], from_line, *platform)
    line, package = pythons[-1]
    return ImagePython(found[0], f"{display}:{line} installs {package} on {found[1]}", *platform)


@functools.cache
def _releases() -> dict[str, str]:
    """``{"alpine:3.20": "3.12", "debian:bookworm": "3.11", "debian:12": "3.11", ...}``."""
    releases = {}
    for distro, table in load_data("os_python.toml").items():
        for release, entry in table.items():
            for name in (release, *entry.get("aliases", ())):
                releases[f"{distro}:{name}"] = entry["python"]
    return releases


def image_platform(reference: str) -> tuple[str, str | None]:
    """The ``sys.platform`` and C library of an image: ``("linux", "musl")`` for Alpine,
    ``("win32", None)`` for a Windows image, else ``("linux", None)``."""
    reference = reference.lower()
    if "windows" in reference or "nanoserver" in reference:
        return "win32", None
    if "alpine" in reference:
        return "linux", "musl"
    return "linux", None


def _version_of(package: str) -> str | None:
    match = _PYTHON_PACKAGE.fullmatch(package)
    return f"3.{int(match.group(1))}" if match is not None and match.group(1) else None


def _name_and_tag(reference: str) -> tuple[str, str]:
    """``ghcr.io/astral-sh/uv:python3.12@sha256:...`` -> ``("uv", "python3.12")``."""
    last = reference.lower().partition("@")[0].rpartition("/")[2]
    name, _, tag = last.partition(":")
    return name, tag
