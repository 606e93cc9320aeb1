"""Cache entries as JSON: each shape reads back what it wrote, and nothing else."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

import pytest

from flake8_reqs.cache import codec
from flake8_reqs.cache.codec import (
    BOOL,
    INT,
    PATH,
    TEXT,
    Fixed,
    FrozenSetOf,
    MapOf,
    Mismatch,
    Optional,
    Record,
    TupleOf,
    read_entry,
    write_entry,
)


class Point(NamedTuple):
    name: str
    at: tuple[int, int]
    tags: frozenset[str] = frozenset()


POINT = Record(Point, TEXT, Fixed(INT, INT), FrozenSetOf(TEXT))

ROUND_TRIPS = [
    pytest.param(TEXT, "caf\u00e9 \udcff", id="text, also not UTF-8 (a path's surrogates)"),
    pytest.param(INT, -3, id="int"),
    pytest.param(BOOL, False, id="bool"),
    pytest.param(PATH, Path("/a/b"), id="path"),
    pytest.param(Optional(INT), None, id="optional, none"),
    pytest.param(TupleOf(TEXT), ("b", "a", "b"), id="tuple of text"),
    pytest.param(FrozenSetOf(TEXT), frozenset({"b", "a"}), id="frozenset"),
    pytest.param(MapOf(TEXT, TupleOf(INT)), {"a": (1, 2), "b": ()}, id="map by text"),
    pytest.param(
        MapOf(Fixed(TEXT, Optional(TEXT)), Optional(INT)),
        {("a", None): 1, ("a", "1.0"): None},
        id="map by pair",
    ),
    pytest.param(POINT, Point("p", (1, 2), frozenset({"x"})), id="record"),
    pytest.param(TupleOf(POINT), (Point("p", (1, 2)), Point("q", (3, 4))), id="records"),
]


@pytest.mark.parametrize(("shape", "value"), ROUND_TRIPS)
def test_a_shape_reads_back_what_it_wrote(shape, value):
    text = json.dumps(shape.encode(value))
    decoded = shape.decode(json.loads(text))
    assert (decoded, type(decoded)) == (value, type(value))


MISMATCHES = [
    pytest.param(TEXT, 1, id="a number for text"),
    pytest.param(INT, True, id="a boolean for an int"),
    pytest.param(INT, 1.0, id="a float for an int"),
    pytest.param(BOOL, 0, id="an int for a boolean"),
    pytest.param(TEXT, None, id="null for text"),
    pytest.param(TupleOf(TEXT), "abc", id="text for a tuple"),
    pytest.param(TupleOf(TEXT), ["a", 1], id="a number among text"),
    pytest.param(TupleOf(INT), {"a": 1}, id="an object for a tuple"),
    pytest.param(TupleOf(INT), [1, True], id="a boolean among ints"),
    pytest.param(TupleOf(INT), [1, 2.0], id="a float among ints"),
    pytest.param(MapOf(TEXT, INT), [["a", 1]], id="pairs for an object"),
    pytest.param(MapOf(TEXT, INT), {"a": "1"}, id="text for an int value"),
    pytest.param(MapOf(Fixed(TEXT, INT), INT), [["a", 1]], id="a pair that is not one"),
    pytest.param(POINT, ["p", [1, 2]], id="a record with a field missing"),
    pytest.param(POINT, ["p", [1, 2], [], "extra"], id="a record with a field too many"),
    pytest.param(POINT, {"__class__": "os.system", "args": ["true"]}, id="an object naming a type"),
]


@pytest.mark.parametrize(("shape", "data"), MISMATCHES)
def test_data_of_another_shape_is_a_mismatch(shape, data):
    with pytest.raises(Mismatch):
        shape.decode(data)


FIELDS = {"point": POINT, "names": FrozenSetOf(TEXT)}
VALUES = {"point": Point("p", (1, 2)), "names": frozenset({"a"})}


def test_an_entry_is_read_back_whole(tmp_path):
    path = tmp_path / "entry.json"
    write_entry(path, "test", 1, FIELDS, VALUES)
    assert read_entry(path, "test", 1, FIELDS) == VALUES
    assert json.loads(path.read_bytes())["format"] == codec.FORMAT


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda data: {**data, "kind": "other"}, id="another kind"),
        pytest.param(lambda data: {**data, "schema": 2}, id="another schema"),
        pytest.param(lambda data: {**data, "format": "pickle"}, id="another format"),
        pytest.param(lambda data: {k: v for k, v in data.items() if k != "names"}, id="no field"),
        pytest.param(lambda data: {**data, "names": "a"}, id="a field of another shape"),
        pytest.param(lambda data: [data], id="not an object"),
    ],
)
def test_an_entry_that_does_not_fit_is_a_miss(tmp_path, change):
    path = tmp_path / "entry.json"
    write_entry(path, "test", 1, FIELDS, VALUES)
    path.write_text(json.dumps(change(json.loads(path.read_bytes()))), encoding="utf-8")
    assert read_entry(path, "test", 1, FIELDS) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x80\x04K\x01.", id="a pickle"),
        pytest.param(b"\xff\xfe{", id="not UTF-8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested too deep"),
    ],
)
def test_a_file_that_is_not_an_entry_is_a_miss(tmp_path, data):
    path = tmp_path / "entry.json"
    path.write_bytes(data)
    assert read_entry(path, "test", 1, FIELDS) is None


def test_there_is_no_entry_where_there_is_no_file(tmp_path):
    assert read_entry(tmp_path / "none.json", "test", 1, FIELDS) is None
    assert read_entry(tmp_path, "test", 1, FIELDS) is None  # a folder


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="files have no owner uid here")
def test_an_entry_another_user_wrote_is_a_miss(tmp_path, monkeypatch):
    """In a cache folder that several users share, one user's entries are not another's."""
    path = tmp_path / "entry.json"
    write_entry(path, "test", 1, FIELDS, VALUES)
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)
    assert read_entry(path, "test", 1, FIELDS) is None
