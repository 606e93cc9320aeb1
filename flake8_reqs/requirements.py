"""Requirement and Declared: what a requirement source declares, with where it said so."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs.errors import ReqsInputError


@dataclass(frozen=True)
class Requirement:
    """One declared distribution: packaging's requirement plus the file and line it came from."""

    req: PackagingRequirement
    path: str
    line: int

    @property
    def name(self) -> NormalizedName:
        return canonicalize_name(self.req.name)


@dataclass(frozen=True)
class Declared:
    """Everything one requirement source declares.

    ``runtime`` is what production installs. ``groups`` are the non-runtime sets
    (optional dependencies, dependency groups, dev files), each under a label that
    messages show, such as ``requirements-dev.txt`` or
    ``pyproject.toml [dependency-groups] dev``. ``errors`` are problems found while
    reading; whatever could be read is still in the other fields.
    """

    runtime: tuple[Requirement, ...] = ()
    groups: tuple[tuple[str, tuple[Requirement, ...]], ...] = ()
    requires_python: str | None = None
    project_name: str | None = None
    errors: tuple[ReqsInputError, ...] = ()

    @property
    def declares_anything(self) -> bool:
        return bool(self.runtime or self.groups)
