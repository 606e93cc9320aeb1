"""plan_edit: the new text of a requirements source, by the editor its file name calls for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from flake8_reqs.commands.fix.edit import Addition, Edit
from flake8_reqs.commands.fix.moves import List
from flake8_reqs.commands.fix.pip import edit_pip
from flake8_reqs.commands.fix.pyproject import edit_pyproject, remove_from_list
from flake8_reqs.declared.requirements import Requirement
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import Unreadable, read_file


def plan_edit(
    path: Path,
    display: str,
    additions: Sequence[Addition],
    removals: Sequence[Requirement],
    lists: Mapping[List, Sequence[Requirement]] | None = None,
) -> Edit:
    """The new text of a pip requirements file (any name but pyproject.toml) or of a
    pyproject.toml's ``[project].dependencies``, after the removals from its other
    requirement ``lists`` (``(("dependency-groups",), "dev")``: the requirements to take out).

    Only removals whose ``path`` is ``display`` apply. Raises ReqsInputError when the file
    cannot be read as UTF-8 or cannot be edited safely.
    """
    old = _read(path, display)
    bom = "\ufeff" if old.startswith("\ufeff") else ""  # kept first, out of the edit's way
    own = [removal for removal in removals if removal.path == display]
    if path.name == "pyproject.toml":
        new = old[len(bom) :]
        for (table, key), taken in (lists or {}).items():
            new = remove_from_list(new, display, table, key, taken)
        new = edit_pyproject(new, display, additions, own)
    else:
        new = edit_pip(path, display, old[len(bom) :], additions, own)
    return Edit(path, display, old, bom + new)


def _read(path: Path, display: str) -> str:
    try:
        return read_file(path).decode("utf-8")
    except Unreadable as exc:
        raise ReqsInputError(display, None, exc.reason) from None
    except UnicodeDecodeError:
        message = "is not valid UTF-8 text; fix edits UTF-8 files only"
        raise ReqsInputError(display, None, message) from None
