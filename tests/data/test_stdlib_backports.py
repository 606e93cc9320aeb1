"""Schema of data/stdlib_backports.toml, and its claims checked against stdlib-list."""

from __future__ import annotations

import pytest
import stdlib_list
from packaging.utils import canonicalize_name
from packaging.version import Version

from flake8_reqs.data_files import load_data
from flake8_reqs.declared.import_index import guessed_import_names
from flake8_reqs.declared.resolve import bundled_map

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
# Claims are checked from one version before the oldest supported, so that `added = "3.9"`
# means something, up to the newest stdlib-list knows.
CHECKED = tuple(
    v for v in stdlib_list.short_versions if v.startswith("3.") and int(v.partition(".")[2]) >= 8
)
FIELDS = {"removed", "added", "backport", "alternative", "source"}

DATA = load_data("stdlib_backports.toml")
MODULES = DATA["modules"]
LISTING_ERRORS = DATA["listing_errors"]


def _top_level(version: str) -> frozenset[str]:
    return frozenset(name.partition(".")[0] for name in stdlib_list.stdlib_list(version))


def _changing_modules() -> set[str]:
    """Public top-level modules stdlib-list shows in some supported versions but not all."""
    listed = [_top_level(v) for v in SUPPORTED]
    changing = frozenset.union(*listed) - frozenset.intersection(*listed)
    return {name for name in changing if not name.startswith("_")}


def _distributions():
    for module, entry in MODULES.items():
        for field in ("backport", "alternative"):
            if field in entry:
                yield pytest.param(entry[field], id=f"{module} {field} {entry[field]}")


def test_file_has_both_tables():
    assert set(DATA) == {"modules", "listing_errors"}


@pytest.mark.parametrize("table", [MODULES, LISTING_ERRORS], ids=["modules", "listing_errors"])
def test_tables_are_sorted(table):
    assert list(table) == sorted(table)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_entry_has_known_fields_and_a_source(module):
    entry = MODULES[module]
    assert set(entry) <= FIELDS
    assert isinstance(entry["source"], str)
    assert entry["source"].strip()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_entry_has_exactly_one_of_removed_and_added(module):
    assert len({"removed", "added"} & set(MODULES[module])) == 1


@pytest.mark.parametrize("module", sorted(MODULES))
def test_entry_version_is_one_stdlib_list_knows(module):
    entry = MODULES[module]
    version = entry.get("removed", entry.get("added"))
    assert str(Version(version)) == version
    assert version in CHECKED


@pytest.mark.parametrize("module", sorted(MODULES))
def test_entry_agrees_with_stdlib_list(module):
    entry = MODULES[module]
    if "removed" in entry:
        cut = CHECKED.index(entry["removed"])
        expected = set(CHECKED[:cut])
    else:
        cut = CHECKED.index(entry["added"])
        expected = set(CHECKED[cut:])
    assert {v for v in CHECKED if module in _top_level(v)} == expected


@pytest.mark.parametrize("module", sorted(MODULES) + sorted(LISTING_ERRORS))
def test_module_is_a_top_level_identifier(module):
    assert module.isidentifier()


@pytest.mark.parametrize("distribution", list(_distributions()))
def test_distribution_name_is_canonical(distribution):
    assert canonicalize_name(distribution) == distribution


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        pytest.param(module, entry["backport"], id=f"{module} from {entry['backport']}")
        for module, entry in MODULES.items()
        if "backport" in entry
    ],
)
def test_backport_provides_the_module(module, distribution):
    """The resolver must know that the backport provides the module under the same name."""
    name = canonicalize_name(distribution)
    provided = bundled_map().get(distribution) or guessed_import_names(name)
    assert module in provided


def test_every_change_stdlib_list_shows_has_an_entry():
    assert _changing_modules() - set(MODULES) - set(LISTING_ERRORS) == set()


@pytest.mark.parametrize("module", sorted(LISTING_ERRORS))
def test_listing_error_is_still_a_change_in_stdlib_list(module):
    """An entry here goes once stdlib-list's data is fixed."""
    assert module in _changing_modules()
    assert module not in MODULES
    assert LISTING_ERRORS[module]["source"].strip()


@pytest.mark.parametrize(
    ("module", "field", "value"),
    [
        pytest.param("distutils", "removed", "3.12", id="distutils removed in 3.12"),
        pytest.param("distutils", "backport", "setuptools", id="distutils back with setuptools"),
        pytest.param("imp", "backport", "zombie-imp", id="imp back with zombie-imp"),
        pytest.param("asynchat", "backport", "pyasynchat", id="asynchat back with pyasynchat"),
        pytest.param("asyncore", "backport", "pyasyncore", id="asyncore back with pyasyncore"),
        pytest.param("smtpd", "alternative", "aiosmtpd", id="smtpd replaced by aiosmtpd"),
        pytest.param("cgi", "removed", "3.13", id="cgi removed in 3.13"),
        pytest.param("cgi", "backport", "legacy-cgi", id="cgi back with legacy-cgi"),
        pytest.param("cgitb", "backport", "legacy-cgi", id="cgitb back with legacy-cgi"),
        pytest.param("imghdr", "backport", "standard-imghdr", id="imghdr back with standard"),
        pytest.param("telnetlib", "backport", "standard-telnetlib", id="telnetlib back"),
        pytest.param("audioop", "backport", "audioop-lts", id="audioop back with audioop-lts"),
        pytest.param("tomllib", "added", "3.11", id="tomllib added in 3.11"),
        pytest.param("tomllib", "alternative", "tomli", id="tomllib replaced by tomli"),
        pytest.param("zoneinfo", "added", "3.9", id="zoneinfo added in 3.9"),
        pytest.param("zoneinfo", "alternative", "backports-zoneinfo", id="zoneinfo backport"),
        pytest.param("graphlib", "backport", "graphlib-backport", id="graphlib backport"),
    ],
)
def test_known_entry(module, field, value):
    assert MODULES[module][field] == value


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(module, id=module)
        for module in (
            "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap",
            "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
            "telnetlib", "uu", "xdrlib",
        )
    ],
)  # fmt: skip
def test_pep_594_module_removed_in_3_13(module):
    assert MODULES[module]["removed"] == "3.13"
