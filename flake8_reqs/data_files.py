"""Reading the data files shipped in flake8_reqs/data, once per process.

Each ``<name>.toml`` there (the source people edit, with the source of every entry) ships
beside ``<name>.json``, written from it by ``scripts/build_data_json.py``: parsing the TOML
costs more than the rest of a one-file flake8 run in an editor, json.loads well under a
millisecond, and flake8 has imported json already. tests/data/test_data_files.py holds each
JSON file to its TOML file. Nothing is cached per user: the data is part of the package.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_DATA = Path(__file__).parent / "data"


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """The contents of ``flake8_reqs/data/<name>`` (a .toml file), read from its JSON form."""
    data: dict[str, Any] = json.loads((_DATA / name).with_suffix(".json").read_bytes())
    return data
