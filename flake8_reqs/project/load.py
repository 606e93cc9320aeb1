"""load_state: the project state from memory or the cache folder, built when stale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.cache import stamped
from flake8_reqs.inputs import recording
from flake8_reqs.project.root import find_root, first_party_names
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.stored_state import STATE

if TYPE_CHECKING:
    from flake8_reqs.settings import Settings


def load_state(settings: Settings) -> ProjectState:
    """The state for ``settings``: from this process's memory or the cache folder while
    still valid, else built (and then stored in both).

    The first-party names are read from the project tree on every load: a module added
    to the project counts as first-party at once.
    Raises ReqsInputError when a --reqs-file or --reqs-dev-file cannot be read.
    """
    state = stamped.load("project", settings, STATE)
    if not isinstance(state, ProjectState):
        from flake8_reqs.project.build import build_state

        build = stamped.begin()
        with recording() as inputs:
            state = build_state(settings)
        stamped.store("project", settings, state, STATE, build, inputs)
    root = find_root(settings.search_from)
    own = settings.local_modules | state.own_names
    return state._replace(first_party=first_party_names(root, own))
