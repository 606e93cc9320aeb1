"""STATE: the shape of the project state in the cache folder, checked field by field on load.

A state's requirements hold no URL secrets (Requirement.without_url_secrets, applied where a
Provision is made), so a provision is written as it is, without a call per requirement.
"""

from __future__ import annotations

from typing import Any

from flake8_reqs.cache.codec import (
    BOOL,
    INT,
    PATH,
    TEXT,
    Converted,
    Fixed,
    FrozenSetOf,
    MapOf,
    Optional,
    Record,
    Shape,
    TupleOf,
)
from flake8_reqs.code.guards import Target
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.resolve import Provision
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.project.state import ProjectState
from flake8_reqs.settings import SourceFile


def _system_packages() -> Any:
    # Imported when a state with system packages is read: most editor runs have none.
    from flake8_reqs.system.files import SystemPackages

    return SystemPackages


def _starts() -> Any:
    from flake8_reqs.system.starts import Starts

    return Starts


def _start_use() -> Any:
    from flake8_reqs.system.starts import StartUse

    return StartUse


def _native_need() -> Any:
    from flake8_reqs.system.native import NativeNeed

    return NativeNeed


_NAMES = FrozenSetOf(TEXT)
_PACKAGES = MapOf(TEXT, TupleOf(TEXT))
_ERROR = Converted(
    Fixed(TEXT, Optional(INT), TEXT),
    lambda error: (error.path, error.line, error.message),
    lambda fields: ReqsInputError(*fields),
)
_REQUIREMENT = Record(Requirement, TEXT, TEXT, INT, TEXT, TEXT, Optional(TEXT), Optional(TEXT))
_PROVISION = Record(Provision, _REQUIREMENT, Optional(TEXT), TupleOf(TEXT))
_NEED = Record(
    _native_need, TEXT, TEXT, TEXT, _PACKAGES, _PACKAGES, Optional(TEXT), TEXT, Optional(TEXT)
)
_SYSTEM = Record(
    _system_packages,
    Optional(TEXT),  # family
    _NAMES,  # packages
    TupleOf(_ERROR),
    _NAMES,  # commands
    _NAMES,  # build_packages
    Optional(TEXT),  # base
    _NAMES,  # base_packages
    BOOL,  # sees_builds
)

_STARTS = Record(
    _starts,
    TupleOf(Record(_start_use, TEXT, INT, TEXT, TEXT, TEXT, TupleOf(TEXT))),  # uses
    _NAMES,  # pip_installed
    _NAMES,  # copied
    TupleOf(TEXT),  # notes
    TupleOf(TEXT),  # settings_modules
)

STATE: Shape = Record(
    ProjectState,
    PATH,  # root
    Record(Target, Optional(Fixed(INT, INT)), TEXT, Optional(TEXT)),  # version None: unknown
    TEXT,  # runtime_sources
    TupleOf(Record(SourceFile, PATH, TEXT)),
    MapOf(TEXT, TupleOf(_PROVISION)),
    _NAMES,  # first_party
    _NAMES,  # stdlib
    Optional(_SYSTEM),
    _NAMES,  # system_ok
    BOOL,  # active
    TupleOf(TEXT),  # notes
    _NAMES,  # own_names
    Optional(MapOf(Fixed(TEXT, Optional(TEXT)), Optional(_NEED))),  # native_needs
    Optional(MapOf(TEXT, _NEED)),  # stdlib_needs
    TupleOf(Fixed(TEXT, TEXT, TEXT)),  # members
    TEXT,  # all_sources
    _NAMES,  # settings_files
    Optional(_STARTS),
    Optional(MapOf(TEXT, TupleOf(_PROVISION))),  # transitive
    FrozenSetOf(Fixed(TEXT, INT)),  # quiet
    TupleOf(TEXT),  # unknown_names
    TEXT,  # target_source
    Optional(MapOf(TEXT, TupleOf(_PROVISION))),  # excluded
)
