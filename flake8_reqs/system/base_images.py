"""Official base images: what a stage built FROM one has before its Dockerfile installs anything."""

from __future__ import annotations

import fnmatch
import functools
from typing import Any

from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.native import MANAGERS

# Registries and paths under which an official image keeps its Docker Hub name.
_OFFICIAL_PATHS = frozenset({"", "docker.io", "index.docker.io", "registry-1.docker.io"})


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class BaseImage(NamedTuple):
    """An image of data/base_images.toml: its packages by family ("debian", "alpine")."""

    name: str  # the entry's name: "python-slim"
    python: bool  # an official Python image: standard-library needs are judged against it
    packages: dict[str, frozenset[str]]


def find_base_image(reference: str) -> BaseImage | None:
    """The official image ``reference`` names (``python:3.12-slim``,
    ``docker.io/library/python:3.12``), or None when it is not one we know."""
    repository, tag = _parse(reference)
    if repository is None:
        return None
    for name, entry in _images().items():
        if entry["repository"] == repository and any(
            fnmatch.fnmatchcase(tag, pattern) for pattern in entry["tags"]
        ):
            packages = {
                family: frozenset(entry[manager])
                for manager, family in MANAGERS.items()
                if manager in entry
            }
            return BaseImage(name, bool(entry.get("python", False)), packages)
    return None


def _parse(reference: str) -> tuple[str | None, str]:
    """``docker.io/library/python:3.12-slim@sha256:...`` -> ("python", "3.12-slim");
    (None, "") for an image outside Docker Hub's official ones."""
    text = reference.strip().lower().partition("@")[0]
    if not text or "$" in text:
        return None, ""
    path, _, last = text.rpartition("/")
    repository, _, tag = last.partition(":")
    official = path in _OFFICIAL_PATHS or path == "library" or path.endswith("/library")
    return (repository, tag or "latest") if official else (None, "")


@functools.cache
def _images() -> dict[str, Any]:
    from flake8_reqs.data_files import load_data

    images: dict[str, Any] = load_data("base_images.toml")["image"]
    return images
