"""Reading a whole project's imports: in parallel, through the imports cache
(code/imports_cache.py), beside a prescan of the files (code/prescan.py) when there is one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flake8_reqs.cache.stamps import MISSING, Stamp, is_racy, stamp_file
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.imports_cache import Found, ImportsCache, content_digest, content_key
from flake8_reqs.code.settings_uses import source_uses
from flake8_reqs.code.skeleton import read_imports
from flake8_reqs.code.sys_path import PathAddition
from flake8_reqs.inputs import Unreadable, read_file
from flake8_reqs.named_tuple import NamedTuple


class StateLike(Protocol):
    """What with_settings_uses needs of a project state (project/ is a layer above)."""

    @property
    def settings_files(self) -> frozenset[str]: ...
    @property
    def target(self) -> Target: ...


class PrescannedFile(NamedTuple):
    """A file's imports as a prescan (code/prescan.py) read them."""

    path: str
    stamp: Stamp  # taken before it was read
    digest: str  # content_digest of what was read
    target: Target | None  # the target the result was read for; None: it depends on none
    error: str | None
    refs: tuple[ImportRef, ...]
    additions: tuple[PathAddition, ...]

    def answers(self, stamp: Stamp | None, target: Target) -> bool:
        """Whether this is what reading the file now, with ``stamp``, for ``target`` gives."""
        return stamp == self.stamp and (self.target is None or self.target == target)


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
    early: Early | None = None,
    on_file: Callable[[ScannedFile], None] | None = None,
) -> list[ScannedFile]:
    """Every file's imports (relative ones included), in the order of ``paths``; each
    file's stamp, taken before it was read, put in ``taken`` when given. A file ``early``
    (a prescan) read is not read again when that answer still holds; with two jobs this
    process reads beside it instead of starting a worker. Each file's result is handed to
    ``on_file`` as it lands, while other processes may still be reading.

    Raises WorkerKilled when a worker process (or the prescan) dies before it answers.
    """
    started = time.time_ns()
    cache = ImportsCache.load(cache_dir, target, paths)
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
    if early is not None:
        early.poll()
        work = _unanswered(work, early.answers, stamps, target, results, cache)
    # Largest first, as the prescan reads; and a few big generated files left for the end
    # would keep one process busy while the others wait.
    sizes = {index: stamp[1] if stamp is not None else 0 for index, stamp in stamps.items()}
    work.sort(key=lambda item: -sizes[item[0]])
    if early is not None and early.running and jobs == 2 and len(work) > 1:
        parsed = _parse_beside(early, work, target, cache.by_key, stamps)
    else:
        if early is not None:  # it would take a core from the workers
            early.stop()
            work = _unanswered(work, early.answers, stamps, target, results, cache)
        parsed = _parse_all(work, target, cache.by_key, jobs)
    done = len(results)
    # The files answered before any is read are handed to on_file one by one between those
    # read: not all before the first, which would keep the workers waiting.
    waiting = list(results.values()) if on_file is not None else []
    for index, scanned, key in parsed:
        results[index] = scanned
        if key is not None and scanned.error is None:
            stamp = stamps[index]
            trusted = stamp if stamp is not None and not is_racy(stamp[0], started) else None
            cache.add(scanned.path, trusted, key, (scanned.refs, scanned.additions))
        done += 1
        if progress is not None:
            progress(done, len(paths))
        if on_file is not None:
            on_file(scanned)
            if waiting:
                on_file(waiting.pop())
    if on_file is not None:
        for scanned in waiting:
            on_file(scanned)
    ordered = [results[index] for index in range(len(paths))]
    cache.store(paths)
    return ordered


class Early(Protocol):
    """The files a prescan (code/prescan.py) has read, and the process reading them."""

    @property
    def running(self) -> bool:
        """Whether its process still runs."""

    @property
    def killed(self) -> bool:
        """Whether its process died of a signal it was not sent."""

    @property
    def reading(self) -> str | None:
        """The file it was reading at the last poll."""

    @property
    def answers(self) -> Mapping[str, PrescannedFile]:
        """Every file it has read to the end by the last poll, by path."""

    def poll(self) -> Mapping[str, PrescannedFile]:
        """The files read to the end since the last poll, by path."""

    def stop(self) -> Mapping[str, PrescannedFile]:
        """The same, the process ended first."""


def _answered(
    early: PrescannedFile | None, path: Path, stamp: Stamp | None, target: Target
) -> tuple[ScannedFile, str | None] | None:
    """What the prescan read of ``path``, with its cache key, when it is what reading the
    file now would give (it still has ``stamp``; the answer holds for ``target``)."""
    if early is None or not early.answers(stamp, target):
        return None
    key = content_key(early.digest, target) if early.error is None else None
    return ScannedFile(path, early.refs, early.error, additions=early.additions), key


def _unanswered(
    work: list[tuple[int, Path]],
    prescanned: Mapping[str, PrescannedFile],
    stamps: dict[int, Stamp | None],
    target: Target,
    results: dict[int, ScannedFile],
    cache: ImportsCache,
) -> list[tuple[int, Path]]:
    """``work`` less the files ``prescanned`` answers, which are put in ``results``."""
    left = []
    for index, path in work:
        answer = _answered(prescanned.get(str(path)), path, stamps[index], target)
        if answer is None:
            left.append((index, path))
            continue
        results[index], key = answer
        stamp = stamps[index]
        if key is not None and stamp is not None:  # not racy when the prescan read it
            cache.add(path, stamp, key, (answer[0].refs, answer[0].additions))
    return left


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
) -> Iterator[tuple[int, ScannedFile, str | None]]:
    """Each file's result, as it comes. Raises WorkerKilled when a worker dies: a
    multiprocessing.Pool would wait forever for the answer of a killed worker."""
    if jobs <= 1 or len(work) < 2:
        _init_worker(target, known)
        yield from (_scan_one(item) for item in work)
        return
    import multiprocessing  # here: two jobs read beside the prescan, without a pool
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # In small chunks, largest first (as scan_files sorted them).
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


def _parse_beside(
    early: Early,
    work: list[tuple[int, Path]],
    target: Target,
    known: dict[str, Found],
    stamps: dict[int, Stamp | None],
) -> Iterator[tuple[int, ScannedFile, str | None]]:
    """Each file's result, as it comes: this process reads ``work`` from its end (the
    smallest files) while the prescan reads on from the largest, until they meet. What
    the prescan answers is taken as scan_files would take it; what it cannot answer (read
    for another target, not among its files) is read here."""
    _init_worker(target, known)
    pending = dict(work)  # index -> path, largest first
    by_name = {str(path): index for index, path in work}
    order = [index for index, _ in work]
    unusable: set[int] = set()  # read by the prescan for another target, or changed since
    while pending:
        for name, prescanned in early.poll().items():
            index = by_name.get(name)
            if index in pending:
                answer = _answered(prescanned, pending[index], stamps[index], target)
                if answer is None:
                    unusable.add(index)
                    continue
                del pending[index]
                yield index, *answer
        if early.killed:  # as a worker killed: the file it was reading first
            first = by_name.get(early.reading or "")
            lost = [pending[first]] if first in pending else []
            raise WorkerKilled([*lost, *(path for path in pending.values() if path not in lost)])
        if not pending:
            break
        # Left to the prescan: the file it reads; and, while there is other work here and
        # it reads this run's files (or none yet), the largest one left, which it reads
        # next. A file that takes all the memory kills it, which is said, not this process.
        busy = by_name.get(early.reading or "") if early.running else None
        left: set[int | None] = {busy}
        if early.running and (busy is not None or early.reading is None):
            left.add(next((index for index in pending if index not in unusable), None))
        index = _last(order, pending, left)
        if index is None:  # nothing else to read: wait only for the file it reads
            index = _last(order, pending, {busy})
        if index is not None:
            yield _scan_one((index, pending.pop(index)))
        else:
            time.sleep(0.0005)


def _last(order: list[int], pending: Mapping[int, Path], left: set[int | None]) -> int | None:
    """The last of ``order`` still pending and not ``left``, taken out of ``order``."""
    while order and order[-1] not in pending:
        order.pop()
    for position in range(len(order) - 1, -1, -1):
        if order[position] in pending and order[position] not in left:
            return order.pop(position)
    return None


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
    key = content_key(content_digest(data), target)
    known = _worker_known.get(key)
    if known is not None:
        return index, ScannedFile(path, known[0], cached=True, additions=known[1]), key
    scanned = parse_file(path, data, target)
    return index, scanned, key if scanned.error is None else None


# A file's result when the parse ran out of stack or memory: these depend on the process
# that parsed it (its stack depth, what else it holds), not on the file alone.
TOO_DEEP = "nested too deeply to be parsed"
NO_MEMORY = "cannot be parsed: out of memory"


def parse_file(path: Path, data: bytes, target: Target) -> ScannedFile:
    """The imports in ``data`` (the content of ``path``) that can run on ``target``; the
    error instead when it cannot be parsed."""
    try:
        imports, additions = read_imports(data, target, filename=str(path))
        uses = source_uses(data, target, filename=str(path))
        refs = sorted([*imports, *uses], key=lambda ref: (ref.line, ref.col))
    except SyntaxError as error:
        return ScannedFile(path, (), f"syntax error: {error.msg} (line {error.lineno})")
    except ValueError as error:
        return ScannedFile(path, (), f"cannot be parsed: {error}")
    except RecursionError:  # from ast itself: `not not ... x` three thousand deep
        return ScannedFile(path, (), TOO_DEEP)
    except MemoryError:
        return ScannedFile(path, (), NO_MEMORY)
    return ScannedFile(path, tuple(refs), additions=additions)
