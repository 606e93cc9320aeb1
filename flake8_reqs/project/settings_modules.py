"""The Django settings modules a project names: ``DJANGO_SETTINGS_MODULE`` in its manage.py
or its image's ENV."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable
from pathlib import Path

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text

_FOLDERS = ("", "src")  # where manage.py is looked for, and modules from it
_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"  # re compiles it on first use only


def named_settings_files(root: Path, image_names: Iterable[str] = ()) -> frozenset[str]:
    """The files (absolute) that the ``DJANGO_SETTINGS_MODULE`` literal of ``manage.py`` in
    the root or ``src/``, or ``image_names`` (what the Dockerfile's ENV sets), may be:
    ``config/settings/production.py`` or its package's ``__init__.py``. Each is a settings
    module whatever it assigns (one that only imports ``*`` from a base and sets
    ``DATABASES``). Empty when nothing names one."""
    named: list[tuple[str, Path]] = [(name, root) for name in image_names]
    for folder in _FOLDERS:
        manage = root / folder / "manage.py"
        try:
            tree = ast.parse(read_text(manage, str(manage)))  # read_text records it
        except (ReqsInputError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        # Only for a manage.py: the settings reader is not an ordinary project's import.
        from flake8_reqs.code.settings_reader import settings_module_names

        named += [(name, manage.parent) for name in settings_module_names(tree)]
    files: set[str] = set()
    for name, beside in named:
        if re.fullmatch(_DOTTED, name):
            parts = name.split(".")
            for base in dict.fromkeys((beside, root, root / "src")):
                module = base.joinpath(*parts)
                files.add(os.path.abspath(module.with_name(parts[-1] + ".py")))
                files.add(os.path.abspath(module / "__init__.py"))
    return frozenset(files)
