"""The imports of a Jupyter notebook's code cells.

A notebook is JSON (nbformat 4): a list of cells, each with a ``cell_type`` and its
``source``, a string or a list of lines. Each code cell is read as a module of its own, with
IPython's own syntax blanked first: a line that starts with ``%``, ``!`` or ``?``, one that
assigns one (``files = !ls``), and a cell whose ``%%`` magic runs something else than
Python (``%%bash``, ``%%sql``; the body of ``%%time`` is Python). A cell that still does not
parse gives the imports of its lines that parse alone (``import x``, ``from x import y``).
A notebook whose kernel is not Python (R, Julia) has no Python imports.

``check`` counts these imports as uses of the requirements (REQ201) and checks nothing in
them: a notebook is where a project explores its data, not what its image runs.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from flake8_reqs.code.skeleton import source_imports

if TYPE_CHECKING:
    from flake8_reqs.code.guards import Target
    from flake8_reqs.code.imports import ImportRef

_MAGIC_STARTS = ("%", "!", "?")
_MAGIC_ASSIGNED = re.compile(r"^[\w\s.,()\[\]*]*=\s*[!%]")  # files = !ls
# Cell magics whose body is Python, run by IPython: the magic's line alone is blanked.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python"})


class NotANotebook(Exception):
    """Why a file named ``*.ipynb`` cannot be read as a notebook (a line after its name)."""


def notebook_imports(data: bytes, target: Target) -> list[ImportRef]:
    """The absolute imports of every code cell of the notebook ``data``, each at its
    line within its cell.

    Raises NotANotebook when ``data`` is not a notebook's JSON.
    """
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise NotANotebook(f"not a notebook: invalid JSON ({error})") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotANotebook("not a notebook: no list of cells")
    if not _is_python(document.get("metadata")):
        return []
    refs: list[ImportRef] = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            found = _cell_imports(_python_of(cell.get("source")), target)
            refs += (ref for ref in found if ref.level == 0)
    return refs


def _cell_imports(source: str, target: Target) -> list[ImportRef]:
    """The imports of one cell; of its import lines alone when it does not parse."""
    try:
        return _imports(source, target)
    except _CANNOT_PARSE:
        pass
    found = []
    for number, line in enumerate(source.split("\n")):
        statement = line.strip()
        if statement.startswith(("import ", "from ")):
            try:  # at its own line: blank lines before it
                found += _imports("\n" * number + statement, target)
            except _CANNOT_PARSE:
                continue
    return found


def _imports(source: str, target: Target) -> list[ImportRef]:
    return source_imports(source.encode("utf-8", "surrogatepass"), target)


_CANNOT_PARSE = (SyntaxError, ValueError, RecursionError, MemoryError)  # UnicodeError is one


def _is_python(metadata: Any) -> bool:
    """Whether the notebook's kernel runs Python (True when it does not say)."""
    if not isinstance(metadata, dict):
        return True
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        language = value.get(field) if isinstance(value, dict) else None
        if isinstance(language, str):
            return language.lower() == "python"
    return True


def _python_of(source: Any) -> str:
    """A code cell's source with IPython's syntax blanked, its lines where they were."""
    if isinstance(source, list):
        text = "".join(part for part in source if isinstance(part, str))
    else:
        text = source if isinstance(source, str) else ""
    lines = text.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split(maxsplit=1)
        if not magic or magic[0] not in _PYTHON_CELL_MAGICS:
            return ""  # %%bash, %%sql, %%writefile: the body is not Python run here
    return "\n".join(
        "" if line.lstrip().startswith(_MAGIC_STARTS) or _MAGIC_ASSIGNED.match(line) else line
        for line in lines
    )
