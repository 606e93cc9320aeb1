"""The cache folder: where it is, and writing a file in it whole or not at all."""

from __future__ import annotations

import os

# Not typing's TYPE_CHECKING: see cache/codec.py.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

_chosen: list[Path | None] = []  # by using_folder, innermost last


class using_folder:  # a class, not contextlib's decorator: a warm check imports this module
    """Within the block, keep every cache in ``folder``, or (None) none on disk: the
    commands' --cache-dir and --no-cache."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        _chosen.append(self.folder)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _chosen.pop()


def cache_folder() -> Path | None:
    """The folder chosen by using_folder, else ``$XDG_CACHE_HOME/flake8-reqs`` or
    ``~/.cache/flake8-reqs``; None when there is to be no cache on disk, or no home."""
    if _chosen:
        return _chosen[-1]
    folder = default_folder()
    if folder is None:
        return None
    from pathlib import Path

    return Path(folder)


def default_folder() -> str | None:
    """``$XDG_CACHE_HOME/flake8-reqs`` or ``~/.cache/flake8-reqs``; None with no home."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or base.startswith("~"):  # no home folder to expand
        return None
    return os.path.join(base, "flake8-reqs")


def write_cache_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place, so that a
    reader never sees half of it and of two writers at once the last one wins whole.

    A cache folder that cannot be written (read-only, full, not a folder) only costs
    speed: nothing is raised and no temporary file is left behind.
    """
    try:
        import tempfile  # slow to import: only when writing

        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)
