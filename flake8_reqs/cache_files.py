"""Writing a file in the cache folder whole or not at all."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_cache_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place, so that a
    reader never sees half of it and of two writers at once the last one wins whole.

    A cache folder that cannot be written (read-only, full, not a folder) only costs
    speed: nothing is raised and no temporary file is left behind.
    """
    try:
        import tempfile  # slow to import: only when writing

        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
