"""STATE: the shape of the project state in the cache folder, checked field by field on load.

A requirement's URL (``name @ https://user:token@host/path?query``) is stored as its scheme
and host only: nothing reads more of it once the state is built, and it may hold a token, or
a value expanded from ``${VARIABLE}`` (SECURITY.md). ``verify`` reads the runtime files again
for what it hands to pip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from packaging.requirements import Requirement as PackagingRequirement


def _stored(requirement: Requirement) -> Requirement:
    if " @ " not in requirement.text:  # no URL (a marker cannot hold " @ " outside quotes)
        return requirement
    req = requirement.req
    if req.url is None:
        return requirement
    return requirement._replace(text=str(_without_url_secrets(req)))


def _without_url_secrets(req: PackagingRequirement) -> PackagingRequirement:
    from urllib.parse import urlsplit

    from packaging.requirements import Requirement as PackagingRequirement

    assert req.url is not None
    parts = urlsplit(req.url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    bare = PackagingRequirement(str(req))  # a copy: the original is shared (Requirement.req)
    bare.url = f"{parts.scheme}://{host}/"
    return bare


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
_REQUIREMENT = Converted(
    Record(Requirement, TEXT, TEXT, INT, TEXT, TEXT, Optional(TEXT), Optional(TEXT)),
    _stored,
    None,
)
_PROVISION = Record(Provision, _REQUIREMENT, Optional(TEXT), _NAMES)
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
    _NAMES,  # stdlib_elsewhere
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
