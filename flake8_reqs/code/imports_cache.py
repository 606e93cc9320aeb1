"""ImportsCache: each file's imports, kept from one run to the next, per project and target.

The cache maps each file's content (a SHA-256 of it, with the target interpreter) to the
imports found in it, and each path to the stamp it had (cache/stamps.py), so that an
unchanged file is neither parsed nor read. It is one JSON file (cache/codec.py), read once
and written once per run (a temporary file renamed into place): a file per source file cost
more to write than parsing saved on a cold run.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
from flake8_reqs.cache.stamps import Stamp
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.code.sys_path import PathAddition

# 3: imports read from the import skeleton; 4: with the sys.path additions; 5: and the
# modules strings name; 6: JSON, stamps with inode and ctime; 7: ImportRef.only_on; 8: keys
# from the content's digest (a prescan sends the digest, not the content)
_SCHEMA = 8

Found = tuple[tuple[ImportRef, ...], tuple[PathAddition, ...]]  # what a file's content gives


class ImportsCache:
    """The cache file of one project and target: path stamps and content keys to imports."""

    def __init__(self, file: Path | None, identity: str = "") -> None:
        self.file = file
        self.identity = identity
        self.by_path: dict[str, tuple[Stamp | None, str]] = {}
        self.by_key: dict[str, Found] = {}
        self.changed = False

    @classmethod
    def load(cls, cache_dir: Path | None, target: Target, paths: Sequence[Path]) -> ImportsCache:
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

    def store(self, paths: Sequence[Path]) -> None:
        """Write the entries of this run's files (others are dropped) when anything changed."""
        kept = {str(path) for path in paths} & self.by_path.keys()
        if self.file is None or not (self.changed or len(kept) < len(self.by_path)):
            return
        by_path = {path: self.by_path[path] for path in kept}
        by_key = {key: self.by_key[key] for _, key in by_path.values() if key in self.by_key}
        values = {"identity": self.identity, "by_path": by_path, "by_key": by_key}
        write_entry(self.file, "imports", _SCHEMA, _FIELDS, values)


def _decode_refs(data: Any) -> tuple[ImportRef, ...]:
    """A file's ImportRefs, each as a list of its fields (names and alternatives as lists):
    a large project has tens of thousands, so they are checked without a call per field."""
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


# Plain: an ImportRef is a tuple of text, ints, booleans and tuples of text, which json
# writes as it is (copying the fields into lists was a third of a cold run's writing).
REFS = Shape(lambda refs: refs, _decode_refs, plain=True)

_FIELDS = {
    "identity": TEXT,
    "by_path": MapOf(TEXT, Fixed(Optional(Fixed(INT, INT, INT, INT)), TEXT)),
    # content key -> (imports, folders the file puts on sys.path)
    "by_key": MapOf(TEXT, Fixed(REFS, TupleOf(Record(PathAddition, INT, BOOL, TEXT)))),
}


def content_digest(data: bytes) -> str:
    """What a file's content is known by (its SHA-256)."""
    return hashlib.sha256(data).hexdigest()


def content_key(digest: str, target: Target) -> str:
    """The cache key of a content (by its ``content_digest``) read for ``target``."""
    meta = f"{digest}\0{__version__}\0{_SCHEMA}\0{target.version}\0{target.platform}"
    return hashlib.sha256(meta.encode()).hexdigest()
