"""Reading a whole project's imports: in parallel, through a content-hash cache on disk."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flake8_reqs import __version__
from flake8_reqs.guards import Target
from flake8_reqs.imports import ImportRef, extract_imports, may_import_dynamically

_SCHEMA = 1


@dataclass(frozen=True)
class ScannedFile:
    path: Path
    refs: tuple[ImportRef, ...]
    error: str | None = None  # why the file could not be read or parsed; refs are empty then
    cached: bool = False


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "flake8-reqs"


def scan_files(
    paths: Sequence[Path],
    target: Target,
    *,
    jobs: int,
    cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ScannedFile]:
    """Every file's imports (relative ones included), in the order of ``paths``."""
    work = [(path, target, cache_dir) for path in paths]
    if jobs <= 1 or len(paths) < 2:
        results = []
        for done, item in enumerate(work, 1):
            results.append(_scan_one(item))
            if progress is not None:
                progress(done, len(work))
        return results
    with multiprocessing.get_context().Pool(min(jobs, len(paths))) as pool:
        results = []
        chunk = max(1, len(work) // (jobs * 8))
        for done, result in enumerate(pool.imap(_scan_one, work, chunksize=chunk), 1):
            results.append(result)
            if progress is not None:
                progress(done, len(work))
        return results


def _scan_one(item: tuple[Path, Target, Path | None]) -> ScannedFile:
    path, target, cache_dir = item
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ScannedFile(path, (), "vanished")
    except OSError as error:
        return ScannedFile(path, (), f"cannot be read: {error.strerror}")
    key = _key(data, target)
    if cache_dir is not None:
        refs = _load(cache_dir, key)
        if refs is not None:
            return ScannedFile(path, refs, cached=True)
    try:
        tree = ast.parse(data, filename=str(path))
    except SyntaxError as error:
        return ScannedFile(path, (), f"syntax error: {error.msg} (line {error.lineno})")
    except ValueError as error:
        return ScannedFile(path, (), f"cannot be parsed: {error}")
    refs = tuple(extract_imports(tree, target, relative=True, dynamic=may_import_dynamically(data)))
    if cache_dir is not None:
        _store(cache_dir, key, refs)
    return ScannedFile(path, refs)


def _key(data: bytes, target: Target) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{__version__}\0{_SCHEMA}\0{target.version}\0{target.platform}".encode())
    return digest.hexdigest()


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key[2:]}.json"


def _load(cache_dir: Path, key: str) -> tuple[ImportRef, ...] | None:
    try:
        document = json.loads(_entry(cache_dir, key).read_text(encoding="utf-8"))
        if document.get("schema") != _SCHEMA:
            return None
        return tuple(
            ImportRef(
                module=ref["module"],
                line=ref["line"],
                col=ref["col"],
                names=tuple(ref["names"]),
                guarded=ref["guarded"],
                level=ref["level"],
            )
            for ref in document["refs"]
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or corrupt: parse again and rewrite it


def _store(cache_dir: Path, key: str, refs: tuple[ImportRef, ...]) -> None:
    entry = _entry(cache_dir, key)
    text = json.dumps({"schema": _SCHEMA, "refs": [ref._asdict() for ref in refs]})
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file renamed into place: a reader never sees half an entry, and two
        # runs writing the same entry both write the same content.
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return  # a read-only or full cache folder only costs speed
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
