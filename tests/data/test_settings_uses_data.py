"""settings_uses.toml: every setting has a known kind, every driver a source and providers."""

from __future__ import annotations

import re

import pytest
from packaging.utils import canonicalize_name

from flake8_reqs.data_files import load_data

DATA = load_data("settings_uses.toml")
DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


@pytest.mark.parametrize("path", sorted(DATA["paths"]))
def test_setting_path_and_kind(path):
    setting, *keys = path.split(".")
    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", setting)
    assert all(key for key in keys)
    assert DATA["paths"][path] in ("module", "object")


@pytest.mark.parametrize("table", ["drivers", "urls"])
def test_every_driver_has_modules_with_providers_and_a_source(table):
    for name, entry in DATA[table].items():
        assert set(entry) == {"modules", "source"}, name
        assert entry["source"].startswith(("https://", "django/")), name
        assert entry["modules"], name
        assert all(DOTTED.fullmatch(m) for m in entry["modules"]), name
        assert all(module in DATA["providers"] for module in entry["modules"]), name


def test_url_keys_are_dialect_plus_driver():
    assert all(re.fullmatch(r"[a-z][a-z0-9]*\+[a-z][a-z0-9_]*", key) for key in DATA["urls"])


def test_providers_are_normalised_and_each_is_used():
    used = {m for table in ("drivers", "urls") for e in DATA[table].values() for m in e["modules"]}
    assert set(DATA["providers"]) == used
    for names in DATA["providers"].values():
        assert names
        assert all(canonicalize_name(name) == name for name in names)
    assert list(DATA["providers"]) == sorted(DATA["providers"])
