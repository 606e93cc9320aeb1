"""The checks, and the order one import goes through them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from flake8_reqs.checks.declared import check_declared
from flake8_reqs.checks.stdlib_removed import check_stdlib_gap
from flake8_reqs.checks.system import check_stdlib_system, check_system, need_of
from flake8_reqs.checks.uses import chosen_alternative
from flake8_reqs.declared.resolve import find_provisions, known_providers, split_by_name
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.declared.requirements import Requirement
    from flake8_reqs.declared.resolve import Provision
    from flake8_reqs.project.import_roots import FileRoots
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.system.native import NativeNeed


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class FileContext(NamedTuple):
    """What the checks need to know about the file being checked."""

    is_dev: bool  # matches --reqs-dev-paths: non-runtime sets count as declared
    roots: FileRoots  # the names the file's own import roots give it


# A memo of check_imports for one project state: an import (its position left out) and
# whether the file is a dev one -> its problems, at line 0. A project imports the same
# modules in many files, and the answer depends on nothing else.
Memo = dict[tuple["ImportRef", bool], tuple[Problem, ...]]


def check_imports(
    refs: Iterable[ImportRef], file: FileContext, state: ProjectState, memo: Memo | None = None
) -> Iterator[Problem]:
    """Problems with ``refs``: stdlib, then first-party (the project's and the file's import
    roots'), then what the requirements provide, then (outside dev paths) what the
    distribution, or the standard-library module, needs from the system. ``memo``, kept
    for one ``state`` over many files, answers an import checked before."""
    stdlib = state.stdlib
    for imported in refs:
        top = imported.top_level
        if top in stdlib and state.stdlib_needs and top in state.stdlib_needs:
            if not file.is_dev and top not in state.first_party and not file.roots.covers(imported):
                problem = check_stdlib_system(
                    imported, state.stdlib_needs, state.system, state.system_ok
                )
                if problem is not None:
                    yield problem
            continue
        if top in stdlib or top in state.first_party or file.roots.covers(imported):
            continue
        if imported.use and _names_settings_module(imported):
            continue  # the project's own settings, for the import graph only
        if memo is None:
            yield from _check_one(imported, file, state)
            continue
        key = (imported._replace(line=0, col=0), file.is_dev)
        found = memo.get(key)
        if found is None:
            found = memo[key] = tuple(_check_one(key[0], file, state))
        for problem in found:  # every check reports at the import's position
            yield problem._replace(line=imported.line, col=imported.col)


def _names_settings_module(imported: ImportRef) -> bool:
    """Whether ``imported`` is DJANGO_SETTINGS_MODULE's value; the settings reader (its
    regular expressions and data) is imported only for a string use, never for an import
    statement (an editor run pays for every import)."""
    from flake8_reqs.code.settings_reader import SETTINGS_MODULE_USE

    return imported.use == SETTINGS_MODULE_USE


def _check_one(imported: ImportRef, file: FileContext, state: ProjectState) -> Iterator[Problem]:
    imported = chosen_alternative(imported, state.provisions)
    for ref in split_by_name(imported, state.provisions):
        provisions = find_provisions(ref, state.provisions)
        problem = check_stdlib_gap(ref, provisions, state) or check_declared(
            ref, provisions, file.is_dev, state
        )
        if problem is not None:
            yield problem
        if not file.is_dev:
            if not provisions and state.transitive:  # REQ005: the locked version decides
                provisions = find_provisions(ref, state.transitive)
            provider = provider_of(ref, provisions)
            if provider is not None:
                distribution, version = provider
                problem = check_system(
                    ref, distribution, version, state.system, state.system_ok, state.native_needs
                )
                if problem is not None:
                    yield problem


def check_unimported(
    runtime_refs: Iterable[ImportRef], state: ProjectState
) -> Iterator[tuple[Requirement, Problem]]:
    """REQ101-REQ104 of the runtime requirements that none of ``runtime_refs`` (the imports
    of the files that ship) uses, at the requirement's line: a database driver named only
    in the settings (``psycopg2`` behind ``ENGINE = "django.db.backends.postgresql"``)
    needs its OS packages all the same. Imported ones are reported where they are imported.
    """
    from flake8_reqs.checks.system import need_problem

    for requirement, module, need in unimported_needs(runtime_refs, state):
        problem = need_problem(requirement.line, 0, module, need, state.system)
        if problem is not None:
            yield requirement, problem


def unimported_needs(
    runtime_refs: Iterable[ImportRef], state: ProjectState
) -> list[tuple[Requirement, str, NativeNeed]]:
    """The runtime requirements none of ``runtime_refs`` uses that need something from the
    system (met or not), each with the import name it provides (for messages) and its need;
    those in --reqs-system-ok left out. In file and line order."""
    used = requirements_used(runtime_refs, state.provisions)
    runtime = {
        provision.requirement: provision.names
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
    }
    found = []
    for requirement in sorted(runtime, key=lambda item: (item.path, item.line)):
        if requirement in used or requirement.name in state.system_ok:
            continue
        need = need_of(requirement.name, requirement.pinned, state.native_needs)
        if need is not None:
            module = min(runtime[requirement], default=requirement.declared_name)
            found.append((requirement, module, need))
    return found


def requirements_used(
    refs: Iterable[ImportRef], provisions: Mapping[str, tuple[Provision, ...]]
) -> set[Requirement]:
    """The requirements that provide any of ``refs`` (absolute ones). Each name of a
    from-import may come from its own distribution (``from google.cloud import storage,
    bigquery`` uses two), and a database engine uses any of its drivers that is declared
    (checks/uses.py). A module imported by many files is looked up once."""
    used: set[Requirement] = set()
    seen = set()
    looked_up: set[tuple[str, tuple[str, ...]]] = set()
    # Every name a ref is looked up by begins with its module's (or an alternative's) first
    # part, or that part in lower case: a ref whose first parts no key begins with is used
    # by nothing declared, and in a large project most are its own modules.
    tops = {name.partition(".")[0] for name in provisions}
    for ref in refs:
        key = (ref.module, ref.names, ref.alternatives)
        if ref.level or key in seen:
            continue
        seen.add(key)
        if not any(
            top in tops or top.lower() in tops
            for top in (module.partition(".")[0] for module in (ref.module, *ref.alternatives))
        ):
            continue
        # find_provisions looks at a ref's module and names alone: each pair once
        asked = [(ref.module, ref.names), *((ref.module, (name,)) for name in ref.names)]
        asked += [(module, ref.names) for module in ref.alternatives]
        for pair in asked:
            if pair not in looked_up:
                looked_up.add(pair)
                one = ref._replace(module=pair[0], names=pair[1])
                used.update(p.requirement for p in find_provisions(one, provisions))
    return used


def provider_of(
    ref: ImportRef, provisions: tuple[Provision, ...]
) -> tuple[NormalizedName, str | None] | None:
    """The distribution that provides ``ref``: the declared one (with the version it pins),
    else the one installed metadata or the bundled map knows."""
    if provisions:
        runtime = [p for p in provisions if p.group is None] or list(provisions)
        requirement = runtime[0].requirement
        return requirement.name, requirement.pinned
    known = known_providers(ref.module)
    return (known[0], None) if known else None
