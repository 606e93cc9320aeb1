"""The dev sets of uv, pdm and hatch in pyproject.toml, each a non-runtime set of its own."""

from __future__ import annotations

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.metadata import Group, parse_requirement
from flake8_reqs.toml_document import Keys, TomlReader

UV_DEV = ("tool", "uv", "dev-dependencies")
UV_DEFAULT_GROUPS = ("tool", "uv", "default-groups")
PDM_DEV = ("tool", "pdm", "dev-dependencies")
HATCH_ENVS = ("tool", "hatch", "envs")


def read_tool_groups(reader: TomlReader) -> Declared:
    """``[tool.uv] dev-dependencies`` (uv's group "dev"), each group of
    ``[tool.pdm.dev-dependencies]`` and each ``[tool.hatch.envs.NAME]``'s ``dependencies``
    and ``extra-dependencies``; errors go to ``reader``."""
    groups: list[Group] = []
    selectors: list[tuple[str, str, str]] = []

    def add(label: str, kind: str, name: str, reqs: tuple[Requirement, ...]) -> None:
        if reqs:
            groups.append((label, reqs))
            selectors.append((label, kind, canonicalize_name(name)))

    display = reader.display
    label = f"{display} [tool.uv] dev-dependencies"
    add(label, "group", "dev", _strings(reader, UV_DEV))
    if groups and groups[-1][0] == label and uv_installs_by_default(reader, "dev"):
        selectors.append((label, "uv-default", "dev"))
    for name in reader.table(PDM_DEV):
        label = f"{display} [tool.pdm.dev-dependencies] {name}"
        add(label, "pdm", name, _strings(reader, (*PDM_DEV, name)))
    for env in reader.table(HATCH_ENVS):
        keys = (*HATCH_ENVS, env)
        if not reader.table(keys):
            continue
        reqs = _strings(reader, (*keys, "dependencies"))
        reqs += _strings(reader, (*keys, "extra-dependencies"))
        add(f"{display} [tool.hatch.envs.{env}]", "hatch", env, reqs)
    return Declared(groups=tuple(groups), selectors=tuple(selectors))


def uv_installs_by_default(reader: TomlReader, group: str) -> bool:
    """Whether ``uv sync`` (``uv run``, ``uv export``) installs the dependency group
    ``group`` (normalised) unless told otherwise: those ``[tool.uv] default-groups`` names,
    or every one for ``"all"``; without the setting, ``dev`` alone (uv's documented
    default, which ``[tool.uv] dev-dependencies`` joins)."""
    value = reader.value(UV_DEFAULT_GROUPS)
    if value == "all":
        return True
    if isinstance(value, list):
        return group in {canonicalize_name(item) for item in value if isinstance(item, str)}
    return group == "dev"


def _strings(reader: TomlReader, keys: Keys) -> tuple[Requirement, ...]:
    """The requirements of the list at ``keys``.

    pdm writes editable and local items as ``-e <path or URL>``, hatch fills in
    ``{root:uri}``: such an item declares a local project, which has no name to check, so
    it is left out without a message when it does not read as a requirement.
    """
    found = []
    for text, line in reader.strings(keys):
        local = text.lstrip().startswith("-e") or "{" in text
        if local and not _is_requirement(text.lstrip().removeprefix("-e").strip()):
            continue
        req = parse_requirement(
            text.lstrip().removeprefix("-e").strip(), reader.display, line, reader.errors
        )
        if req is not None:
            found.append(req)
    return tuple(found)


def _is_requirement(text: str) -> bool:
    try:
        PackagingRequirement(text)
    except InvalidRequirement:
        return False
    return True
