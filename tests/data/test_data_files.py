"""The data files are parsed once and kept (marshal); a broken cached copy is not trusted."""

from __future__ import annotations

import marshal
import sys

import pytest

from flake8_reqs import data_files

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    data_files.load_data.cache_clear()
    yield tmp_path
    data_files.load_data.cache_clear()


def _parsed(name):
    from importlib import resources

    text = resources.files("flake8_reqs").joinpath("data").joinpath(name).read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize(
    "name", ["module_map.toml", "native.toml", "stdlib_backports.toml", "base_images.toml"]
)
def test_cached_copy_is_identical(fresh, name):
    first = data_files.load_data(name)
    (cached,) = (fresh / "flake8-reqs" / "data").glob(f"{name}.*.marshal")
    data_files.load_data.cache_clear()
    assert data_files.load_data(name) == first == _parsed(name)
    assert cached.exists()


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not marshal", id="not marshal"),
        pytest.param(marshal.dumps([1, 2]), id="not a table"),
        pytest.param(marshal.dumps({"a": "b" * 100})[:-20], id="truncated"),
    ],
)
def test_broken_cached_copy_is_parsed_again_and_replaced(fresh, garbage):
    data_files.load_data("stdlib_backports.toml")
    (cached,) = (fresh / "flake8-reqs" / "data").glob("stdlib_backports.toml.*.marshal")
    cached.write_bytes(garbage)
    data_files.load_data.cache_clear()
    assert data_files.load_data("stdlib_backports.toml") == _parsed("stdlib_backports.toml")
    assert marshal.loads(cached.read_bytes()) == _parsed("stdlib_backports.toml")
