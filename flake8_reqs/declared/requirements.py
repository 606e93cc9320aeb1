"""Requirement and Declared: what a requirement source declares, with where it said so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from packaging.markers import Marker
    from packaging.requirements import Requirement as PackagingRequirement
    from packaging.utils import NormalizedName


# A NamedTuple, not a frozen dataclass: loading a stored state defines it on every editor
# run, and a dataclass takes half a millisecond to define (bench/README.md).
class Requirement(NamedTuple):
    """One declared distribution: the requirement as packaging writes it, with the file
    and line it came from.

    Made with ``Requirement.of``. It holds text, not packaging's objects, so that loading
    a stored project state does not import packaging; ``req`` parses the text on use.
    ``marker``, ``extras`` and ``url`` answer without a parse when the text shows there is
    none: packaging writes a marker after a ``;``, extras inside ``[]`` and a URL after an
    ``@``.
    """

    text: str  # str() of packaging's requirement: "flask[async]>=2; python_version < '3.12'"
    path: str
    line: int
    name: NormalizedName  # canonical: "python-magic"
    declared_name: str  # as written: "python_magic"
    pinned: str | None = None  # the version of an ``==X`` (no wildcard) or ``===X`` pin
    # The folder (absolute) of the local project it installs: ``-e ../lib``, a poetry or uv
    # ``path`` source, ``lib @ file:///${PROJECT_ROOT}/../lib``. None for anything else.
    local: str | None = None

    @classmethod
    def of(
        cls, req: PackagingRequirement, path: str, line: int, local: str | None = None
    ) -> Requirement:
        text = str(req)
        if ";" in text or "[" in text or "@" in text:  # read again while the state is built
            _PARSED.setdefault(text, req)
        pinned = None
        if "==" in text:  # else no pin (a marker may hold "==" too: then the specifiers tell)
            for spec in req.specifier:
                if spec.operator in {"==", "==="} and not spec.version.endswith("*"):
                    pinned = spec.version
                    break
        return cls(text, path, line, _canonical(req.name), req.name, pinned, local)

    @property
    def req(self) -> PackagingRequirement:
        parsed = _PARSED.get(self.text)
        if parsed is None:
            from packaging.requirements import Requirement as PackagingRequirement

            parsed = _PARSED[self.text] = PackagingRequirement(self.text)
        return parsed

    @property
    def marker(self) -> Marker | None:
        return self.req.marker if ";" in self.text else None

    @property
    def extras(self) -> frozenset[str]:
        return frozenset(self.req.extras) if "[" in self.text else frozenset()

    @property
    def url(self) -> str | None:
        return self.req.url if "@" in self.text else None

    def without_url_secrets(self) -> Requirement:
        """This requirement with its URL (``name @ https://user:token@host/path?query``) cut
        to its scheme and host, as a project state keeps it: nothing reads more of it once
        the state is built, and it may hold a token, or a value expanded from ``${VARIABLE}``
        (SECURITY.md). ``verify`` reads the runtime files again for what it hands to pip."""
        url = self.url
        if url is None:
            return self
        from urllib.parse import urlsplit

        from packaging.requirements import Requirement as PackagingRequirement

        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        bare = PackagingRequirement(self.text)  # a parse of its own: self.req is shared
        bare.url = f"{parts.scheme}://{host}/"
        return self._replace(text=str(bare))


# packaging's canonicalize_name, bound on first use rather than imported in Requirement.of:
# that runs once a requirement line, and an import statement there took a tenth of its time.
_CANONICALIZE: list[Callable[[str], NormalizedName]] = []


def _canonical(name: str) -> NormalizedName:
    if not _CANONICALIZE:
        from packaging.utils import canonicalize_name

        _CANONICALIZE.append(canonicalize_name)
    return _CANONICALIZE[0](name)


# Requirement text -> packaging's parse of it, while it is used: kept by Requirement.of for a
# requirement with a marker, extras or a URL, which the build reads again; any other is parsed
# again when asked (rarely: a parse kept for each of 400,000 lines took 480 MB). Read-only.
_PARSED: dict[str, PackagingRequirement] = {}


def forget_parsed() -> None:
    """Drop the parses kept so far. A state's build needs each requirement's parse several
    times (markers, extras, lock files); what reads the state after needs few of them, and
    parses those again. A parse is a dozen objects: 400,000 lines kept them at 1.5 GB."""
    _PARSED.clear()


# How an installer's command line names a non-runtime set: its kind and its normalised name.
# "extra" (pip install ".[postgres]", --extra, -E), "group" (PEP 735 and uv's dev group:
# uv sync --group), "uv-default" (a group uv installs unless told not to: dev, or those
# [tool.uv] default-groups names), "poetry" (poetry install --with), "poetry-optional" (a
# poetry group marked optional, installed only when named), "pdm" ([tool.pdm.dev-dependencies]: pdm
# install -G), "pipenv" (a Pipfile category other than [packages]), "hatch" (a hatch
# environment: only --reqs-runtime-groups names it).
SELECTOR_KINDS = (
    "extra",
    "group",
    "uv-default",
    "poetry",
    "poetry-optional",
    "pdm",
    "pipenv",
    "hatch",
)


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class Declared(NamedTuple):
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
    constraints: tuple[str, ...] = ()  # the files a pip file's -c lines name (verify hashes them)
    # (label, kind, name): how an install command selects the group ``label`` (SELECTOR_KINDS).
    # A label may have several: poetry's extras are one group that any extra selects.
    selectors: tuple[tuple[str, str, str], ...] = ()
    # The X.Y that a Pipfile's [requires] python_version or an environment.yml's python=X.Y
    # names: the target Python as that file states it (not a specifier like requires_python).
    python_version: str | None = None
    # (path, line) of requirements REQ201 never reports: what conda installs, pins that
    # their file marks as another distribution's dependency (``# via sympy``).
    quiet: tuple[tuple[str, int], ...] = ()

    @property
    def declares_anything(self) -> bool:
        return bool(self.runtime or self.groups)
