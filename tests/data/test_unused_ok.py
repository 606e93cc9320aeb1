"""Schema of data/unused_ok.toml's loaded_by: each library, what it imports as, what it loads."""

from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name

from flake8_reqs.data_files import load_data

LOADED_BY = load_data("unused_ok.toml")["loaded_by"]


def test_the_tables_are_sorted():
    assert list(LOADED_BY) == sorted(LOADED_BY)


@pytest.mark.parametrize("library", LOADED_BY)
def test_each_library_names_its_imports_what_it_loads_and_where_that_is_from(library):
    entry = LOADED_BY[library]
    assert set(entry) == {"imports", "loads", "source"}
    assert library == canonicalize_name(library)
    assert entry["imports"]
    assert all(name.isidentifier() for name in entry["imports"])
    assert entry["loads"] == sorted(set(entry["loads"]))
    assert all(name == canonicalize_name(name) and name != library for name in entry["loads"])
    assert entry["source"].startswith(f"{library} ")
