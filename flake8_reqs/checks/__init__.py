"""The checks, and the order one import goes through them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flake8_reqs.checks.declared import check_declared
from flake8_reqs.checks.stdlib_removed import check_stdlib_gap
from flake8_reqs.imports import ImportRef
from flake8_reqs.problems import Problem
from flake8_reqs.resolve import find_provisions
from flake8_reqs.state import ProjectState
from flake8_reqs.stdlib import stdlib_modules


@dataclass(frozen=True)
class FileContext:
    """What the checks need to know about the file being checked."""

    is_dev: bool  # matches --reqs-dev-paths: non-runtime sets count as declared
    siblings: frozenset[str]  # modules beside a file whose folder is not a package


def check_imports(
    refs: Iterable[ImportRef], file: FileContext, state: ProjectState
) -> Iterator[Problem]:
    """Problems with ``refs``: stdlib, then first-party, then what the requirements provide."""
    stdlib = stdlib_modules("{}.{}".format(*state.target.version))
    for ref in refs:
        top = ref.top_level
        if top in stdlib or top in state.first_party or top in file.siblings:
            continue
        provisions = find_provisions(ref, state.provisions)
        problem = check_stdlib_gap(ref, provisions, state) or check_declared(
            ref, provisions, file.is_dev, state
        )
        if problem is not None:
            yield problem
