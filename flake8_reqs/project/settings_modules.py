"""The Django settings modules a project names: ``DJANGO_SETTINGS_MODULE`` in its manage.py."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from flake8_reqs.code.settings_reader import settings_module_names
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text

_FOLDERS = ("", "src")  # where manage.py is looked for, and modules from it


def named_settings_files(root: Path) -> frozenset[str]:
    """The files (absolute) that the ``DJANGO_SETTINGS_MODULE`` literal of ``manage.py`` in
    the root or ``src/`` may be: ``config/settings/production.py`` or its package's
    ``__init__.py``. Each is a settings module whatever it assigns (one that only imports
    ``*`` from a base and sets ``DATABASES``). Empty when there is no such literal."""
    files: set[str] = set()
    for folder in _FOLDERS:
        manage = root / folder / "manage.py"
        try:
            tree = ast.parse(read_text(manage, str(manage)))  # read_text records it
        except (ReqsInputError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for name in settings_module_names(tree):
            parts = name.split(".")
            for base in {manage.parent, root, root / "src"}:
                module = base.joinpath(*parts)
                files.add(os.path.abspath(module.with_name(parts[-1] + ".py")))
                files.add(os.path.abspath(module / "__init__.py"))
    return frozenset(files)
