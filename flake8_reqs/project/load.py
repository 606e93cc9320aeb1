"""load_state: the project state from memory or the cache folder, built when stale."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.cache import stamped
from flake8_reqs.declared.requirements import forget_parsed
from flake8_reqs.inputs import recording
from flake8_reqs.project.first_party import first_party_names
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.stored_state import STATE

if TYPE_CHECKING:
    from flake8_reqs.settings import Settings


def load_state(settings: Settings, root: Path) -> ProjectState:
    """The state of the project at ``root`` under ``settings``: from this process's memory
    or the cache folder while still valid, else built (and then stored in both).

    The first-party names are read from the project tree on every load: a module added
    to the project counts as first-party at once.
    Raises ReqsInputError when a --reqs-file or --reqs-dev-file cannot be read.
    """
    key = state_key(settings, root)
    state = stamped.load("project", key, STATE)
    if not isinstance(state, ProjectState):
        from flake8_reqs.project.build import build_state

        # A state is a tree of acyclic tuples, several per requirement line. While it grows,
        # the cyclic collector's full passes walk all of it again and again: a 200,000-line
        # file cost half as much again per line as a 20,000-line one (bench/README.md).
        # Paused for the build and the store only, then restored: the setting is the host's.
        collecting = gc.isenabled()
        gc.disable()
        try:
            build = stamped.begin()
            with recording() as inputs:
                state = build_state(settings, root)
            forget_parsed()  # before the store's copy of the state: a lower peak of memory
            stamped.store("project", key, state, STATE, build, inputs)
        finally:
            if collecting:
                # What the build made lives as long as the process. Moved straight to the
                # oldest generation (freeze, then unfreeze: two list splices), the young
                # collection that follows does not walk it all once more (1.7 us a line).
                gc.freeze()
                gc.unfreeze()
                gc.enable()
    own = settings.local_modules | state.own_names
    return state._replace(first_party=first_party_names(root, own))


def state_key(settings: Settings, root: Path) -> tuple[Settings, Path]:
    """What a stored state is found by. Where the root was looked for from is not part of
    it: every folder of a project shares the project's state."""
    return settings._replace(search_from=Path()), root
