"""Which requirements of a pyproject.toml install a local project, and from which folder.

uv's ``[tool.uv.sources] lib = { path = "../lib" }``, poetry's ``lib = { path = "../lib",
develop = true }``, and PEP 508 direct references to a folder: ``lib @ file:///abs/lib``,
PDM's ``lib @ file:///${PROJECT_ROOT}/../lib`` and Hatch's ``lib @ {root:uri}/../lib``.
(uv's ``{ workspace = true }`` names a member of the workspace: project/build.py finds it.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from packaging.utils import canonicalize_name

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.poetry import POETRY
from flake8_reqs.toml_document import Keys, TomlReader

_HATCH_ROOT = re.compile(r"\{root((?::parent)*):uri\}")


def with_local_folders(declared: Declared, reader: TomlReader, folder: Path) -> Declared:
    """``declared`` with ``local`` set on each requirement that installs a local project."""
    by_name = _path_sources(reader, folder)

    def located(reqs: tuple[Requirement, ...]) -> tuple[Requirement, ...]:
        return tuple(
            req
            if req.local
            else req._replace(local=by_name.get(req.name) or _url_folder(req, folder))
            for req in reqs
        )

    groups = tuple((label, located(reqs)) for label, reqs in declared.groups)
    return declared._replace(runtime=located(declared.runtime), groups=groups)


def _path_sources(reader: TomlReader, folder: Path) -> dict[str, str]:
    """Distribution (normalised) -> folder, from uv's sources and poetry's path entries."""
    found: dict[str, str] = {}
    tables: list[Keys] = [("tool", "uv", "sources")]
    tables += [(*POETRY, "dependencies"), (*POETRY, "dev-dependencies")]
    tables += [
        (*POETRY, "group", name, "dependencies") for name in reader.table((*POETRY, "group"))
    ]
    for keys in tables:
        for name, value in reader.table(keys).items():
            for entry in value if isinstance(value, list) else [value]:
                path = entry.get("path") if isinstance(entry, dict) else None
                if isinstance(path, str) and os.path.isdir(folder / path):
                    found.setdefault(canonicalize_name(name), os.path.normpath(folder / path))
                    break
    return found


def _url_folder(req: Requirement, folder: Path) -> str | None:
    url = req.url
    if not url:
        return None
    url = url.replace("${PROJECT_ROOT}", folder.as_posix())
    url = _HATCH_ROOT.sub(lambda found: _parent(folder, found.group(1)).as_uri(), url)
    if not url.startswith("file:"):
        return None
    from urllib.request import url2pathname  # slow to import (ssl): only for a file: URL

    try:
        path = url2pathname(urlsplit(url).path)
    except ValueError:
        return None
    if os.path.isabs(path):
        path = "/" + path.lstrip("/")  # file:////srv/lib, after PDM's ${PROJECT_ROOT}
    found = os.path.normpath(os.path.join(folder, path))
    return found if os.path.isdir(found) else None


def _parent(folder: Path, parents: str) -> Path:
    for _ in range(parents.count(":parent")):
        folder = folder.parent
    return folder
