"""Reading a whole project's imports: in parallel, through one cache file per project.

The cache maps each file's content (a SHA-256 of it, with the target interpreter) to the
imports found in it, and each path to the stamp it had (cache/stamps.py), so that an
unchanged file is neither parsed nor read. It is one JSON file (cache/codec.py), read once
and written once per run (a temporary file renamed into place): a file per source file cost
more to write than parsing saved on a cold run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flake8_reqs import __version__
from flake8_reqs.cache.codec import (
    BOOL,
    INT,
    TEXT,
    Fixed,
    MapOf,
    Mismatch,
    Optional,
    Record,
    Shape,
    TupleOf,
    read_entry,
    write_entry,
)
from flake8_reqs.cache.stamps import MISSING, Stamp, is_racy, stamp_file
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.settings_uses import source_uses
from flake8_reqs.code.skeleton import read_imports
from flake8_reqs.code.sys_path import PathAddition
from flake8_reqs.inputs import Unreadable, read_file

# 3: imports read from the import skeleton; 4: with the sys.path additions; 5: and the
# modules strings name; 6: JSON, stamps with inode and ctime; 7: ImportRef.only_on
_SCHEMA = 7


class StateLike(Protocol):
    """What with_settings_uses needs of a project state (project/ is a layer above)."""

    @property
    def settings_files(self) -> frozenset[str]: ...
    @property
    def target(self) -> Target: ...


Found = tuple[tuple[ImportRef, ...], tuple[PathAddition, ...]]  # what a file's content gives


@dataclass(frozen=True)
class ScannedFile:
    path: Path
    refs: tuple[ImportRef, ...]
    error: str | None = None  # why the file could not be read or parsed; refs are empty then
    cached: bool = False
    additions: tuple[PathAddition, ...] = ()  # the folders it puts on sys.path itself


def scan_files(
    paths: Sequence[Path],
    target: Target,
    *,
    jobs: int,
    cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
    taken: dict[str, Stamp] | None = None,
) -> list[ScannedFile]:
    """Every file's imports (relative ones included), in the order of ``paths``; each
    file's stamp, taken before it was read, put in ``taken`` when given.

    Raises WorkerKilled when a worker process dies before it answers.
    """
    started = time.time_ns()
    cache = _Cache.load(cache_dir, target, paths)
    results: dict[int, ScannedFile] = {}
    stamps: dict[int, Stamp | None] = {}
    work = []
    for index, path in enumerate(paths):
        raw = stamp_file(path)
        stamps[index] = stamp = None if raw == MISSING else raw
        if taken is not None:
            taken[str(path)] = raw
        found = cache.by_stamp(path, stamp)
        if found is not None:
            results[index] = ScannedFile(path, found[0], cached=True, additions=found[1])
        else:
            work.append((index, path))
    done = len(results)
    sizes = {index: stamp[1] if stamp is not None else 0 for index, stamp in stamps.items()}
    for index, scanned, key in _parse_all(work, target, cache.by_key, jobs, sizes):
        results[index] = scanned
        if key is not None and scanned.error is None:
            stamp = stamps[index]
            trusted = stamp if stamp is not None and not is_racy(stamp[0], started) else None
            cache.add(scanned.path, trusted, key, (scanned.refs, scanned.additions))
        done += 1
        if progress is not None:
            progress(done, len(paths))
    ordered = [results[index] for index in range(len(paths))]
    cache.store(ordered)
    return ordered


def with_settings_uses(scanned: Sequence[ScannedFile], state: StateLike) -> list[ScannedFile]:
    """``scanned``, with the string uses of the files named as Django settings modules
    (``state.settings_files``) read in full: which files those are depends on manage.py
    and the Dockerfile, not on their content, so it is not part of the cache."""
    settings_files, target = state.settings_files, state.target
    if not settings_files:
        return list(scanned)
    result = []
    for file in scanned:
        if file.error is None and str(file.path) in settings_files:
            try:
                uses = source_uses(read_file(file.path), target, settings=True)
            except Unreadable:
                uses = []
            merged = {(ref.module, ref.line, ref.col, ref.use): ref for ref in (*file.refs, *uses)}
            refs = tuple(sorted(merged.values(), key=lambda ref: (ref.line, ref.col)))
            file = dataclasses.replace(file, refs=refs)
        result.append(file)
    return result


class WorkerKilled(Exception):
    """A worker process ended without an answer (killed, perhaps for lack of memory);
    ``paths`` are the files not read."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__(paths)
        self.paths = tuple(paths)


def _parse_all(
    work: list[tuple[int, Path]],
    target: Target,
    known: dict[str, Found],
    jobs: int,
    sizes: dict[int, int],
) -> Iterator[tuple[int, ScannedFile, str | None]]:
    """Each file's result, as it comes. Raises WorkerKilled when a worker dies: a
    multiprocessing.Pool would wait forever for the answer of a killed worker."""
    if jobs <= 1 or len(work) < 2:
        _init_worker(target, known)
        yield from (_scan_one(item) for item in work)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # Largest first, in small chunks: a few big generated files left for the end would
    # keep one worker busy while the others wait.
    work = sorted(work, key=lambda item: -sizes[item[0]])  # sizes from the stamps taken
    processes = min(jobs, len(work))
    size = max(1, min(16, len(work) // (processes * 16)))
    chunks = [work[start : start + size] for start in range(0, len(work), size)]
    context = multiprocessing.get_context()
    _init_worker(target, known)  # this process reads files too: one worker fewer to start
    workers = processes - 1
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(target, known)
    ) as pool:
        # The workers are handed chunks from the front (the largest files first), two each
        # at most in hand, and this process reads chunks from the back in between: the
        # first chunks always go to a worker, so a file that takes all the memory kills a
        # worker, which is said. (Cancelling chunks a worker has not taken would race with
        # the pool's own thread when a worker dies.)
        front, back = 0, len(chunks) - 1
        in_hand: dict[Any, int] = {}
        read: set[int] = set()
        try:
            while front <= back or in_hand:
                while front <= back and len(in_hand) < 2 * workers:
                    in_hand[pool.submit(_scan_chunk, chunks[front])] = front
                    front += 1
                if front <= back:
                    read.add(back)
                    yield from _scan_chunk(chunks[back])
                    back -= 1
                    finished = {future for future in in_hand if future.done()}
                else:
                    finished = wait(in_hand, return_when=FIRST_COMPLETED).done
                for future in finished:
                    results = future.result()
                    read.add(in_hand.pop(future))
                    yield from results
        except BrokenProcessPool:
            # Every chunk not read is lost, in flight or never handed out; largest first.
            lost = [index for index in range(len(chunks)) if index not in read]
            raise WorkerKilled([path for n in lost for _, path in chunks[n]]) from None


def _scan_chunk(chunk: list[tuple[int, Path]]) -> list[tuple[int, ScannedFile, str | None]]:
    return [_scan_one(item) for item in chunk]


_worker_target: Target | None = None
_worker_known: dict[str, Found] = {}


def _init_worker(target: Target, known: dict[str, Found]) -> None:
    global _worker_target, _worker_known
    _worker_target, _worker_known = target, known


def _scan_one(item: tuple[int, Path]) -> tuple[int, ScannedFile, str | None]:
    index, path = item
    target = _worker_target
    assert target is not None
    try:
        data = read_file(path)
    except Unreadable as error:
        return index, ScannedFile(path, (), "vanished" if error.missing else error.reason), None
    key = _key(data, target)
    known = _worker_known.get(key)
    if known is not None:
        return index, ScannedFile(path, known[0], cached=True, additions=known[1]), key
    try:
        imports, additions = read_imports(data, target, filename=str(path))
        uses = source_uses(data, target, filename=str(path))
        refs = sorted([*imports, *uses], key=lambda ref: (ref.line, ref.col))
    except SyntaxError as error:
        return (
            index,
            ScannedFile(path, (), f"syntax error: {error.msg} (line {error.lineno})"),
            None,
        )
    except ValueError as error:
        return index, ScannedFile(path, (), f"cannot be parsed: {error}"), None
    except RecursionError:  # from ast itself: `not not ... x` three thousand deep
        return index, ScannedFile(path, (), "nested too deeply to be parsed"), None
    except MemoryError:
        return index, ScannedFile(path, (), "cannot be parsed: out of memory"), None
    return index, ScannedFile(path, tuple(refs), additions=additions), key


class _Cache:
    """The cache file of one project and target: path stamps and content keys to imports."""

    def __init__(self, file: Path | None, identity: str = "") -> None:
        self.file = file
        self.identity = identity
        self.by_path: dict[str, tuple[Stamp | None, str]] = {}
        self.by_key: dict[str, Found] = {}
        self.changed = False

    @classmethod
    def load(cls, cache_dir: Path | None, target: Target, paths: Sequence[Path]) -> _Cache:
        if cache_dir is None:
            return cls(None)
        common = os.path.commonpath([str(path) for path in paths]) if paths else ""
        user = os.getuid() if hasattr(os, "getuid") else None
        identity = repr((__version__, _SCHEMA, tuple(target), user, common))
        name = f"imports-{zlib.crc32(identity.encode('utf-8', 'surrogateescape')):08x}.json"
        cache = cls(cache_dir / name, identity)
        # A missing, damaged, foreign or planted file is only an empty cache.
        fields = read_entry(cache_dir / name, "imports", _SCHEMA, _FIELDS)
        if fields is not None and fields["identity"] == identity:
            cache.by_path, cache.by_key = fields["by_path"], fields["by_key"]
        return cache

    def by_stamp(self, path: Path, stamp: Stamp | None) -> Found | None:
        entry = self.by_path.get(str(path))
        if stamp is None or entry is None or entry[0] != stamp:
            return None
        return self.by_key.get(entry[1])

    def add(self, path: Path, stamp: Stamp | None, key: str, found: Found) -> None:
        if self.by_path.get(str(path)) != (stamp, key) or key not in self.by_key:
            self.by_path[str(path)] = (stamp, key)
            self.by_key[key] = found
            self.changed = True

    def store(self, scanned: Sequence[ScannedFile]) -> None:
        """Write the entries of this run's files (others are dropped) when anything changed."""
        kept = {str(file.path) for file in scanned} & self.by_path.keys()
        if self.file is None or not (self.changed or len(kept) < len(self.by_path)):
            return
        by_path = {path: self.by_path[path] for path in kept}
        by_key = {key: self.by_key[key] for _, key in by_path.values() if key in self.by_key}
        values = {"identity": self.identity, "by_path": by_path, "by_key": by_key}
        write_entry(self.file, "imports", _SCHEMA, _FIELDS, values)


class _Refs(Shape):
    """A file's ImportRefs, each as a list of its fields (names and alternatives as lists):
    a large project has tens of thousands, so they are checked without a call per field.

    Plain: an ImportRef is a tuple of text, ints, booleans and tuples of text, which json
    writes as it is (copying the fields into lists was a third of a cold run's writing).
    """

    plain = True

    def decode(self, data: Any) -> Any:
        if type(data) is not list:
            raise Mismatch
        refs = []
        for item in data:
            if type(item) is not list or len(item) != 10:
                raise Mismatch
            module, line, col, names, guarded, level, fallback, use, alternatives, only_on = item
            if not (
                type(module) is str
                and type(line) is int
                and type(col) is int
                and type(names) is list
                and all(type(name) is str for name in names)
                and type(guarded) is bool
                and type(level) is int
                and type(fallback) is bool
                and type(use) is str
                and type(alternatives) is list
                and all(type(name) is str for name in alternatives)
                and type(only_on) is str
            ):
                raise Mismatch
            names, alternatives = tuple(names), tuple(alternatives)
            ref = (module, line, col, names, guarded, level, fallback, use, alternatives, only_on)
            refs.append(ImportRef._make(ref))
        return tuple(refs)


_FIELDS = {
    "identity": TEXT,
    "by_path": MapOf(TEXT, Fixed(Optional(Fixed(INT, INT, INT, INT)), TEXT)),
    # content key -> (imports, folders the file puts on sys.path)
    "by_key": MapOf(TEXT, Fixed(_Refs(), TupleOf(Record(PathAddition, INT, BOOL, TEXT)))),
}


def _key(data: bytes, target: Target) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{__version__}\0{_SCHEMA}\0{target.version}\0{target.platform}".encode())
    return digest.hexdigest()
