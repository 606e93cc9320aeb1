"""Cache entries as JSON data: shapes that write values and read them back, checking every type.

Whoever can write the cache folder (a ``--cache-dir`` inside a repository, a CI cache restored
from another branch, a shared ``XDG_CACHE_HOME``) chooses what the next run reads from it, so
an entry must not be able to run code when it is read, as a pickle can. An entry is one JSON
object: ``format``, ``kind`` and ``schema`` say what it is, and each other field is read by the
shape its reader names. A shape builds only the types it was made with (never a type the file
names) and checks the type of every value on the way; a file that does not fit, is not JSON,
or belongs to another user is a miss, and the caller builds the value again.
"""

from __future__ import annotations

import json
import os

from flake8_reqs.cache.files import write_cache_file

# Not `typing.TYPE_CHECKING`: importing typing (and pathlib) costs milliseconds on every
# warm check, which imports this module (commands/warm.py); mypy reads either name.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

FORMAT = "flake8-reqs cache"


class Mismatch(Exception):
    """The data is not of the shape asked for."""


class Shape:
    """How one kind of value is written as JSON data, and read back and checked."""

    # Whether ``encode`` gives the value as it is: text, numbers, booleans, None and tuples of
    # them, which json writes as they are. A container of plain items makes no call per item:
    # a state of 400,000 requirements spent a third of its storing in such calls.
    plain = False

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, data: Any) -> Any:
        raise NotImplementedError


class _Scalar(Shape):
    plain = True

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def decode(self, data: Any) -> Any:
        if type(data) is not self.kind:  # exactly: True is not an int here
            raise Mismatch
        return data


TEXT: Shape = _Scalar(str)
INT: Shape = _Scalar(int)
BOOL: Shape = _Scalar(bool)


class Optional(Shape):
    """``shape``, or None (JSON null)."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.plain = shape.plain

    def encode(self, value: Any) -> Any:
        return None if value is None else self.shape.encode(value)

    def decode(self, data: Any) -> Any:
        return None if data is None else self.shape.decode(data)


class Converted(Shape):
    """A value written as ``shape`` after ``write`` and read back through ``read`` (None:
    as it is)."""

    def __init__(
        self, shape: Shape, write: Callable[[Any], Any], read: Callable[[Any], Any] | None
    ) -> None:
        self.shape = shape
        self.write = write
        self.read = read

    def encode(self, value: Any) -> Any:
        written = self.write(value)
        return written if self.shape.plain else self.shape.encode(written)

    def decode(self, data: Any) -> Any:
        value = self.shape.decode(data)
        return value if self.read is None else self.read(value)


def _to_path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


PATH: Shape = Converted(TEXT, str, _to_path)


class TupleOf(Shape):
    """A tuple of any length whose items are all ``shape`` (a JSON array)."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.plain = shape.plain

    def encode(self, value: Any) -> Any:
        if self.shape.plain:
            return value
        encode = self.shape.encode
        return [encode(item) for item in value]

    def decode(self, data: Any) -> Any:
        if type(data) is not list:
            raise Mismatch
        if isinstance(self.shape, _Scalar):  # names, numbers: checked in C, not one by one
            if not set(map(type, data)) <= {self.shape.kind}:
                raise Mismatch
            return tuple(data)
        return tuple(self.shape.decode(item) for item in data)


class FrozenSetOf(TupleOf):
    """A frozenset, written sorted so that the same set is always the same text."""

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.plain = False  # a set: json cannot write it, and it is written sorted

    def encode(self, value: Any) -> Any:
        if self.shape.plain:
            return sorted(value)
        encode = self.shape.encode
        return sorted([encode(item) for item in value])

    def decode(self, data: Any) -> Any:
        return frozenset(super().decode(data))


class Fixed(Shape):
    """A tuple of as many items as ``shapes``, each of its own shape."""

    def __init__(self, *shapes: Shape) -> None:
        self.shapes = shapes
        # Items that are all text, ints, booleans or None (a requirement) are checked in
        # one loop, without a call per item.
        kinds = [_scalar_kinds(shape) for shape in shapes]
        scalars = [kind for kind in kinds if kind is not None]
        self.kinds = tuple(scalars) if len(scalars) == len(shapes) else None
        self.plain = all(shape.plain for shape in shapes)

    def encode(self, value: Any) -> Any:
        if len(value) != len(self.shapes):
            raise TypeError(f"expected {len(self.shapes)} items, not {len(value)}")
        if self.plain:
            return value
        return [
            item if shape.plain else shape.encode(item) for shape, item in zip(self.shapes, value)
        ]

    def decode(self, data: Any) -> Any:
        if type(data) is not list or len(data) != len(self.shapes):
            raise Mismatch
        if self.kinds is not None:
            for kinds, item in zip(self.kinds, data):
                if type(item) not in kinds:
                    raise Mismatch
            return tuple(data)
        return tuple([shape.decode(item) for shape, item in zip(self.shapes, data)])


def _scalar_kinds(shape: Shape) -> tuple[type, ...] | None:
    """The types a scalar or optional scalar shape takes; None for any other shape."""
    if isinstance(shape, _Scalar):
        return (shape.kind,)
    if isinstance(shape, Optional) and isinstance(shape.shape, _Scalar):
        return (shape.shape.kind, type(None))
    return None


class Record(Fixed):
    """A NamedTuple, field by field in order, each of its own shape.

    ``kind`` is the NamedTuple, or a function that imports and returns it: called on the
    first value read, so that an editor run whose state has none does not import it.
    """

    def __init__(self, kind: Any, *shapes: Shape) -> None:
        super().__init__(*shapes)
        self.kind: Any = kind if isinstance(kind, type) else None
        self.find_kind: Callable[[], Any] = kind

    def decode(self, data: Any) -> Any:
        kind = self.kind
        if kind is None:
            kind = self.kind = self.find_kind()
            if len(kind._fields) != len(self.shapes):
                raise TypeError(f"{kind.__name__} has {len(kind._fields)} fields")
        return kind._make(super().decode(data))


class MapOf(Shape):
    """A dict: a JSON object when the keys are text, else an array of [key, value] pairs."""

    def __init__(self, key: Shape, value: Shape) -> None:
        self.key = key
        self.value = value

    def encode(self, value: Any) -> Any:
        encode = self.value.encode
        if self.key is TEXT:
            if self.value.plain:
                return dict(value)
            return {key: encode(item) for key, item in value.items()}
        if self.key.plain and isinstance(self.value, Optional):  # mostly None: no call for it
            inner = self.value.shape.encode
            return [[key, None if item is None else inner(item)] for key, item in value.items()]
        if self.key.plain:
            return [[key, encode(item)] for key, item in value.items()]
        return [[self.key.encode(key), encode(item)] for key, item in value.items()]

    def decode(self, data: Any) -> Any:
        if self.key is TEXT:
            if type(data) is not dict:
                raise Mismatch
            return {key: self.value.decode(item) for key, item in data.items()}
        if type(data) is not list:
            raise Mismatch
        pairs = {}
        for pair in data:
            if type(pair) is not list or len(pair) != 2:
                raise Mismatch
            pairs[self.key.decode(pair[0])] = self.value.decode(pair[1])
        return pairs


def read_entry(
    path: str | os.PathLike[str], kind: str, schema: int, fields: Mapping[str, Shape]
) -> dict[str, Any] | None:
    """The ``fields`` of the entry in ``path``, decoded; None when there is no such file, or
    it is not an entry of ``kind`` at ``schema`` owned by this user, or a field does not fit
    its shape (whatever a damaged, truncated or planted file holds, it is only a miss)."""
    try:
        with open(path, "rb") as file:
            if hasattr(os, "getuid") and os.fstat(file.fileno()).st_uid != os.getuid():
                return None  # planted by another user of a shared cache folder
            data = json.loads(file.read())
        if (
            type(data) is not dict
            or data.get("format") != FORMAT
            or data.get("kind") != kind
            or data.get("schema") != schema
        ):
            return None
        return {name: shape.decode(data.get(name)) for name, shape in fields.items()}
    except (OSError, ValueError, RecursionError, Mismatch):  # ValueError: not JSON, not UTF-8
        return None


def write_entry(
    path: str | os.PathLike[str],
    kind: str,
    schema: int,
    fields: Mapping[str, Shape],
    values: Mapping[str, Any],
) -> None:
    """Write ``values`` as an entry of ``kind`` at ``schema`` (files.write_cache_file)."""
    data = {"format": FORMAT, "kind": kind, "schema": schema}
    data.update((name, shape.encode(values[name])) for name, shape in fields.items())
    # ensure_ascii (the default) keeps the text of a path that is not UTF-8 (surrogates).
    # check_circular off: shapes write trees of fresh lists and tuples, never a cycle, and
    # the check costs a dict insertion per container (a tenth of a long state's writing).
    text = json.dumps(data, separators=(",", ":"), check_circular=False)
    write_cache_file(path, text.encode("ascii"))
