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


def _same(value: Any) -> Any:
    return value


class Shape:
    """How one kind of value is written as JSON data, and read back and checked.

    ``encode`` gives the JSON data of a value; ``decode`` the value of JSON data, raising
    Mismatch when the data does not fit. ``plain``: ``encode`` gives the value as it is
    (text, numbers, booleans, None and tuples of them, which json writes as they are), so a
    container of plain items makes no call per item: a state of 400,000 requirements spent
    a third of its storing in such calls. ``kinds``: the types a scalar or optional scalar
    shape takes (the data is the value once its type is checked), else None. ``inner``:
    for an optional shape, the shape of a value that is not None.

    One class made of two functions, not a class per kind of shape: an editor's run reads
    its entry through a dozen shapes, and defining a class costs it about 20 us (bench/
    README.md, twelfth pass). The functions that make shapes (TupleOf, Record...) are
    capitalised like the types they stand for.
    """

    __slots__ = ("decode", "encode", "inner", "kinds", "plain")

    def __init__(
        self,
        encode: Callable[[Any], Any],
        decode: Callable[[Any], Any],
        *,
        plain: bool = False,
        kinds: tuple[type, ...] | None = None,
        inner: Shape | None = None,
    ) -> None:
        self.encode = encode
        self.decode = decode
        self.plain = plain
        self.kinds = kinds
        self.inner = inner


def _scalar(kind: type) -> Shape:
    def decode(data: Any) -> Any:
        if type(data) is not kind:  # exactly: True is not an int here
            raise Mismatch
        return data

    return Shape(_same, decode, plain=True, kinds=(kind,))


TEXT = _scalar(str)
INT = _scalar(int)
BOOL = _scalar(bool)


def Optional(shape: Shape) -> Shape:
    """``shape``, or None (JSON null)."""
    encode_item, decode_item = shape.encode, shape.decode

    def encode(value: Any) -> Any:
        return None if value is None else encode_item(value)

    def decode(data: Any) -> Any:
        return None if data is None else decode_item(data)

    kinds = (*shape.kinds, type(None)) if shape.kinds and len(shape.kinds) == 1 else None
    return Shape(encode, decode, plain=shape.plain, kinds=kinds, inner=shape)


def Converted(
    shape: Shape, write: Callable[[Any], Any], read: Callable[[Any], Any] | None
) -> Shape:
    """A value written as ``shape`` after ``write`` and read back through ``read`` (None:
    as it is)."""
    encode_item, decode_item = shape.encode, shape.decode

    def encode(value: Any) -> Any:
        written = write(value)
        return written if shape.plain else encode_item(written)

    def decode(data: Any) -> Any:
        value = decode_item(data)
        return value if read is None else read(value)

    return Shape(encode, decode)


def _to_path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


PATH = Converted(TEXT, str, _to_path)


def _items_decoder(shape: Shape) -> Callable[[Any], tuple[Any, ...]]:
    """A JSON array of ``shape`` items, read as a tuple."""
    kinds, decode_item = shape.kinds, shape.decode
    if kinds is not None:  # names, numbers: checked in C, not one by one
        allowed = set(kinds)

        def decode(data: Any) -> tuple[Any, ...]:
            if type(data) is not list or not set(map(type, data)) <= allowed:
                raise Mismatch
            return tuple(data)

        return decode

    def decode_each(data: Any) -> tuple[Any, ...]:
        if type(data) is not list:
            raise Mismatch
        return tuple([decode_item(item) for item in data])

    return decode_each


def TupleOf(shape: Shape) -> Shape:
    """A tuple of any length whose items are all ``shape`` (a JSON array)."""
    encode_item = shape.encode
    if shape.plain:
        return Shape(_same, _items_decoder(shape), plain=True)
    return Shape(lambda value: [encode_item(item) for item in value], _items_decoder(shape))


def FrozenSetOf(shape: Shape) -> Shape:
    """A frozenset, written sorted so that the same set is always the same text (json
    cannot write a set)."""
    encode_item, decode_items = shape.encode, _items_decoder(shape)

    def encode(value: Any) -> Any:
        return sorted(value) if shape.plain else sorted([encode_item(item) for item in value])

    return Shape(encode, lambda data: frozenset(decode_items(data)))


def Fixed(*shapes: Shape) -> Shape:
    """A tuple of as many items as ``shapes``, each of its own shape."""
    count = len(shapes)
    plain = all(shape.plain for shape in shapes)
    # Items that are all text, ints, booleans or None (a requirement) are checked in one
    # loop, without a call per item.
    every_kinds = [shape.kinds for shape in shapes if shape.kinds is not None]

    def encode(value: Any) -> Any:
        if len(value) != count:
            raise TypeError(f"expected {count} items, not {len(value)}")
        if plain:
            return value
        return [item if shape.plain else shape.encode(item) for shape, item in zip(shapes, value)]

    if len(every_kinds) == count:

        def decode(data: Any) -> Any:
            if type(data) is not list or len(data) != count:
                raise Mismatch
            for kinds, item in zip(every_kinds, data):
                if type(item) not in kinds:
                    raise Mismatch
            return tuple(data)

    else:
        decoders = [shape.decode for shape in shapes]

        def decode(data: Any) -> Any:
            if type(data) is not list or len(data) != count:
                raise Mismatch
            return tuple([item_decode(item) for item_decode, item in zip(decoders, data)])

    return Shape(encode, decode, plain=plain)


def Record(kind: Any, *shapes: Shape) -> Shape:
    """A NamedTuple, field by field in order, each of its own shape.

    ``kind`` is the NamedTuple, or a function that imports and returns it: called on the
    first value read, so that an editor run whose state has none does not import it.
    """
    fields = Fixed(*shapes)
    decode_fields = fields.decode
    found: list[Any] = [kind] if isinstance(kind, type) else []

    def decode(data: Any) -> Any:
        if not found:
            found.append(kind())
            if len(found[0]._fields) != len(shapes):
                raise TypeError(f"{found[0].__name__} has {len(found[0]._fields)} fields")
        return found[0]._make(decode_fields(data))

    return Shape(fields.encode, decode, plain=fields.plain)


def MapOf(key: Shape, value: Shape) -> Shape:
    """A dict: a JSON object when the keys are text, else an array of [key, value] pairs."""
    encode_value, decode_value = value.encode, value.decode
    if key is TEXT:

        def encode_object(mapping: Any) -> Any:
            if value.plain:
                return dict(mapping)
            return {name: encode_value(item) for name, item in mapping.items()}

        def decode_object(data: Any) -> Any:
            if type(data) is not dict:
                raise Mismatch
            return {name: decode_value(item) for name, item in data.items()}

        return Shape(encode_object, decode_object)

    encode_key, decode_key = key.encode, key.decode

    def encode_pairs(mapping: Any) -> Any:
        if key.plain and value.inner is not None:  # mostly None: no call for it
            inner = value.inner.encode
            return [[name, None if v is None else inner(v)] for name, v in mapping.items()]
        if key.plain:
            return [[name, encode_value(item)] for name, item in mapping.items()]
        return [[encode_key(name), encode_value(item)] for name, item in mapping.items()]

    def decode_pairs(data: Any) -> Any:
        if type(data) is not list:
            raise Mismatch
        pairs = {}
        for pair in data:
            if type(pair) is not list or len(pair) != 2:
                raise Mismatch
            pairs[decode_key(pair[0])] = decode_value(pair[1])
        return pairs

    return Shape(encode_pairs, decode_pairs)


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
