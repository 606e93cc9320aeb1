"""PEP 735 [dependency-groups] in pyproject.toml, with include-group items resolved."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from packaging.utils import NormalizedName, canonicalize_name

from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.declared.sources.metadata import Group, parse_requirement
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.toml_document import Keys, TomlReader, a_type, where

GROUPS = ("dependency-groups",)


class _Include(NamedTuple):
    """An ``{include-group = "name"}`` item of a dependency group."""

    group: str
    line: int


class _Group(NamedTuple):
    name: str
    items: tuple[Requirement | _Include, ...]


def read_dependency_groups(reader: TomlReader) -> tuple[Group, ...]:
    """Each group of ``[dependency-groups]``, includes resolved; errors go to ``reader``.

    Group names are compared normalized (PEP 735), and each is labelled as written.
    """
    groups: dict[NormalizedName, _Group] = {}
    for name, value in reader.table(GROUPS).items():
        key = canonicalize_name(name)
        if key in groups:
            first = groups[key].name
            message = f"dependency group names '{first}' and '{name}' are the same once normalized"
            reader.report((*GROUPS, name), message)
            continue
        groups[key] = _Group(name, _group_items(reader, (*GROUPS, name), value))
    resolved: dict[NormalizedName, tuple[Requirement, ...]] = {}
    for key in groups:
        if key not in resolved:
            _resolve(reader, groups, key, resolved)
    labelled = (
        (f"{reader.display} [dependency-groups] {groups[key].name}", resolved[key])
        for key in groups
    )
    return tuple(group for group in labelled if group[1])


def _group_items(
    reader: TomlReader, keys: Keys, value: object
) -> tuple[Requirement | _Include, ...]:
    if not isinstance(value, list):
        reader.report(keys, f"{where(keys)} must be a list, not {a_type(value)}")
        return ()
    lines = reader.string_lines(keys, [_string_of(item) for item in value])
    items: list[Requirement | _Include] = []
    for number, (item, line) in enumerate(zip(value, lines), start=1):
        include = _include_of(item)
        if isinstance(item, str):
            req = parse_requirement(item, reader.display, line, reader.errors)
            items.extend([] if req is None else [req])
        elif include is not None:
            items.append(_Include(include, line))
        else:
            message = "must be a requirement string or an {include-group = ...} table"
            reader.report(keys, f"{where(keys)} item {number} {message}", line)
    return tuple(items)


def _string_of(item: object) -> str | None:
    """The string literal that marks where ``item`` is written, if it has one."""
    return item if isinstance(item, str) else _include_of(item)


def _include_of(item: object) -> str | None:
    """The group an ``{include-group = "name"}`` item names; None for anything else."""
    if isinstance(item, dict) and list(item) == ["include-group"]:
        group = item["include-group"]
        return group if isinstance(group, str) else None
    return None


def _resolve(
    reader: TomlReader,
    groups: Mapping[NormalizedName, _Group],
    start: NormalizedName,
    resolved: dict[NormalizedName, tuple[Requirement, ...]],
) -> None:
    """Resolve group ``start`` and every group it includes into ``resolved``.

    A depth-first walk with an explicit stack, not recursion: a chain of thousands of
    include-group items must not exhaust Python's stack. An include that closes a cycle
    or names no group is reported and skipped.
    """
    frames: list[tuple[NormalizedName, list[Requirement], Iterator[Requirement | _Include]]] = []
    on_chain: dict[NormalizedName, int] = {}  # group -> its frame: the include path here

    def enter(key: NormalizedName) -> None:
        on_chain[key] = len(frames)
        frames.append((key, [], iter(groups[key].items)))

    enter(start)
    while frames:
        key, reqs, items = frames[-1]
        item = next(items, None)
        if item is None:
            frames.pop()
            del on_chain[key]
            resolved[key] = tuple(reqs)
            if frames:
                frames[-1][1].extend(resolved[key])
        elif isinstance(item, Requirement):
            reqs.append(item)
        else:
            target = canonicalize_name(item.group)
            name = groups[key].name
            if target not in groups:
                message = f"{where((*GROUPS, name))} includes '{item.group}', which is not a group"
                reader.report(GROUPS, message, item.line)
            elif target in on_chain:
                names = [groups[frame[0]].name for frame in frames[on_chain[target] :]]
                cycle = " -> ".join([*names, groups[target].name])
                reader.report(GROUPS, f"[dependency-groups] include cycle: {cycle}", item.line)
            elif target in resolved:
                reqs.extend(resolved[target])
            else:
                enter(target)
