"""Reading the TOML data files shipped in flake8_reqs/data, once per process."""

from __future__ import annotations

import contextlib
import functools
import marshal
import sys
import zlib
from pathlib import Path
from typing import Any

from flake8_reqs.cache.files import cache_folder, write_cache_file

_DATA = Path(__file__).parent / "data"


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """The parsed contents of ``flake8_reqs/data/<name>``.

    Parsing TOML costs more than the rest of a one-file flake8 run in an editor, so the
    parsed form is kept in the user's cache folder, keyed by the file's content and the
    Python version, in the format of ``marshal``: built in, so it costs no import (json
    costs a millisecond). A cache that cannot be read or written only costs that speed.
    """
    text = (_DATA / name).read_text(encoding="utf-8")
    cached = _cache_file(name, text)
    if cached is not None:
        # marshal raises EOFError, ValueError or TypeError on a damaged file.
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            data = marshal.loads(cached.read_bytes())
            if isinstance(data, dict):
                return data
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    data = tomllib.loads(text)
    if cached is not None:
        write_cache_file(cached, marshal.dumps(data))
    return data


def _cache_file(name: str, text: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    # zlib, not hashlib: hashlib costs milliseconds to import, on every editor run.
    data = text.encode("utf-8")
    crc = zlib.crc32(data)
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format may change
    return folder / "data" / f"{name}.{len(data)}-{crc:08x}.{python}.marshal"
