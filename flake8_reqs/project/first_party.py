"""The project's first-party module names: the top-level modules of its root, ``src/`` and
the folders Django runs from. A module of its own, importing nothing heavy: a warm check
(commands/warm.py) compares them with the stored ones on every run."""

from __future__ import annotations

import os

from flake8_reqs.code.folders import listing, module_names_in

TYPE_CHECKING = False  # not typing's: see cache/codec.py
if TYPE_CHECKING:
    from pathlib import Path


def first_party_names(root: str | os.PathLike[str], extra: frozenset[str]) -> frozenset[str]:
    """Names of the project's own top-level modules: in the root, in ``src/``, beside a
    ``manage.py`` in a folder of the root (Django runs from there, and pytest-django puts
    that folder on sys.path), and ``extra``."""
    root = os.fspath(root)
    names = module_names_in(root) | module_names_in(os.path.join(root, "src")) | extra
    for name in _manage_py_folder_names(root):
        names |= module_names_in(os.path.join(root, name))
    return names


def first_party_folders(root: str | os.PathLike[str]) -> list[str]:
    """The folders whose entries decide first_party_names(root): the root and ``src/``,
    each folder in them (it names a package when it holds anything importable, and a
    ``manage.py`` in one of the root's makes it a folder Django runs from), and each folder
    in such a folder. A folder's stamp changes when an entry is added to it, removed or
    renamed (cache/stamps.py), and no other change can change the names."""
    root = os.fspath(root)
    src = os.path.join(root, "src")
    found = [root, src]
    for folder in (
        root,
        src,
        *(os.path.join(root, name) for name in _manage_py_folder_names(root)),
    ):
        found += (os.path.join(folder, name) for name in listing(folder).subfolders)
    return list(dict.fromkeys(found))


def manage_py_folders(root: Path) -> list[Path]:
    """The folders of the root that hold a ``manage.py``: one look per folder, no deeper."""
    return [root / name for name in _manage_py_folder_names(os.fspath(root))]


def _manage_py_folder_names(root: str) -> list[str]:
    return [
        name
        for name in listing(root).subfolders
        if os.path.isfile(os.path.join(root, name, "manage.py"))
    ]
