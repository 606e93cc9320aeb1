"""Reading the TOML data files shipped in flake8_reqs/data, once per process."""

from __future__ import annotations

import functools
import sys
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """The parsed contents of ``flake8_reqs/data/<name>``."""
    text = (
        resources.files("flake8_reqs").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )
    return tomllib.loads(text)
