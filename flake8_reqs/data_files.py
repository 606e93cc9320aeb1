"""Reading the TOML data files shipped in flake8_reqs/data, once per process."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from flake8_reqs.cache_files import write_cache_file

_DATA = Path(__file__).parent / "data"


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """The parsed contents of ``flake8_reqs/data/<name>``.

    Parsing TOML costs more than the rest of a one-file flake8 run in an editor, so the
    parsed form is kept as JSON in the user's cache folder, keyed by the file's content;
    a cache that cannot be read or written only costs that speed.
    """
    text = (_DATA / name).read_text(encoding="utf-8")
    cached = _cache_file(name, text)
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            data: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
            return data
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    data = tomllib.loads(text)
    if cached is not None:
        write_cache_file(cached, json.dumps(data).encode("utf-8"))
    return data


def _cache_file(name: str, text: str) -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or base.startswith("~"):
        return None
    # zlib, not hashlib: hashlib costs milliseconds to import, on every editor run.
    data = text.encode("utf-8")
    return Path(base) / "flake8-reqs" / "data" / f"{name}.{len(data)}-{zlib.crc32(data):08x}.json"
