"""Schema of data/native.toml as a data file, and its agreement with data/module_map.toml.

tests/test_native.py checks the loader over the file; this module checks the file itself:
every entry says what it provides and needs, with its evidence, and no data file contradicts
another about which import names a distribution provides.
"""

from __future__ import annotations

import re

import pytest

from flake8_reqs.data_files import load_data
from flake8_reqs.declared.import_index import guessed_import_names, indexed_import_names
from flake8_reqs.declared.resolve import provided_names
from flake8_reqs.system.native import KINDS

NATIVE = load_data("native.toml")["native"]
SAFE = load_data("native.toml")["safe"]
MODULE_MAP = load_data("module_map.toml")["distributions"]

# What a source must name: how the claim was checked (a wheel read with readelf -d, a wheel's
# or sdist's code, "no manylinux wheel" from pip, Debian's package data, upstream docs).
EVIDENCE = re.compile(r"readelf|wheel|sdist|apt-cache|Debian|https?://")


def _variants():
    """Every entry as it reads for its current releases, then once for each version range."""
    for name, entry in NATIVE.items():
        base = {key: value for key, value in entry.items() if key != "ranges"}
        yield pytest.param(name, base, id=name)
        for item in entry.get("ranges", ()):
            merged = {**base, "safe": False, **item}
            yield pytest.param(name, merged, id=f"{name} {item['versions']}")


def _needs():
    return [param for param in _variants() if not param.values[1].get("safe")]


def _provided_top_levels(distribution: str) -> set[str]:
    """Top-level import names a source other than native.toml gives a distribution:
    module_map.toml, else the PyPI import-name index, else the name guess."""
    if distribution in MODULE_MAP:
        return {name.partition(".")[0] for name in MODULE_MAP[distribution]}
    indexed = indexed_import_names([distribution]).get(distribution)
    return set(indexed) if indexed else set(guessed_import_names(distribution))


def test_at_least_150_distributions():
    assert len(NATIVE) >= 150


@pytest.mark.parametrize("name", NATIVE)
def test_entry_lists_its_imports(name):
    imports = NATIVE[name].get("imports")
    assert isinstance(imports, list), f"{name}: imports must be a list"
    assert imports, f"{name}: imports is empty"
    assert all(isinstance(module, str) and module.isidentifier() for module in imports), (
        f"{name}: imports must be top-level module names, got {imports}"
    )
    assert len(set(imports)) == len(imports), f"{name}: an import is listed twice"


@pytest.mark.parametrize("name", NATIVE)
def test_entry_has_a_kind_or_is_marked_safe(name):
    entry = NATIVE[name]
    if entry.get("safe"):
        assert entry["safe"] is True, f"{name}: safe must be true when present"
        assert "kind" not in entry, f"{name}: a safe entry has no kind"
        assert entry.get("ranges"), f"{name}: a safe entry without ranges belongs in [safe]"
    else:
        assert entry.get("kind") in KINDS, f"{name}: kind {entry.get('kind')!r} not in {KINDS}"


@pytest.mark.parametrize(("name", "fields"), list(_variants()))
def test_every_variant_names_its_evidence(name, fields):
    source = fields.get("source", "")
    assert source.strip(), f"{name}: no source"
    assert EVIDENCE.search(source), f"{name}: the source does not say how it was checked"


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_needs_list_debian_and_alpine_packages_or_say_why_not(name, fields):
    """An empty package list is an explicit "none", and the note or setup says why."""
    assert fields.get("kind") in KINDS, f"{name}: a need without a valid kind"
    explained = bool(fields.get("note") or fields.get("setup"))
    for manager in ("apt", "apk"):
        assert isinstance(fields.get(manager), list), f"{name}: {manager} must be a list"
        if fields["kind"] != "build":
            assert fields[manager] or explained, f"{name}: empty {manager} list with no note"
    if fields["kind"] == "build":
        build = fields.get("build", {})
        for manager in ("apt", "apk"):
            assert isinstance(build.get(manager), list), f"{name}: build.{manager} missing"
        assert build["apt"], f"{name}: a build need lists no Debian build packages"
        assert build["apk"] or explained, f"{name}: empty build.apk list with no note"


@pytest.mark.parametrize("name", SAFE)
def test_safe_distributions_name_their_evidence(name):
    assert isinstance(SAFE[name], str)
    assert EVIDENCE.search(SAFE[name]), f"{name}: the [safe] source does not say how"


def test_no_two_entries_spell_one_import_differently():
    """Two entries must not disagree on the case: "PyQt5" and "pyqt5" are different modules."""
    spellings: dict[str, dict[str, set[str]]] = {}
    for name, entry in NATIVE.items():
        for module in entry["imports"]:
            spellings.setdefault(module.lower(), {}).setdefault(module, set()).add(name)
    clashes = {key: found for key, found in spellings.items() if len(found) > 1}
    assert clashes == {}


def test_an_import_shared_by_entries_is_provided_by_each():
    """Where several entries claim one import (magic, cv2, PySide6), each one provides it."""
    claimants: dict[str, set[str]] = {}
    for name, entry in NATIVE.items():
        for module in entry["imports"]:
            claimants.setdefault(module, set()).add(name)
    wrong = {
        (module, name)
        for module, names in claimants.items()
        if len(names) > 1
        for name in names
        if module not in _provided_top_levels(name)
    }
    assert wrong == set()


@pytest.mark.parametrize("name", [name for name in NATIVE if name in MODULE_MAP])
def test_imports_agree_with_the_module_map(name):
    """One source of truth: a distribution both files list provides what native.toml says."""
    provided = _provided_top_levels(name)
    extra = set(NATIVE[name]["imports"]) - provided
    assert extra == set(), (
        f"native.toml says {name} provides {sorted(extra)}; module_map.toml says "
        f"{sorted(MODULE_MAP[name])}"
    )


@pytest.mark.parametrize("name", sorted(NATIVE))
def test_the_resolver_gives_each_entry_its_imports(name):
    """One source of truth: declaring a native.toml distribution provides its imports."""
    provided = provided_names([name], {})[name]
    assert set(NATIVE[name]["imports"]) <= set(provided)


@pytest.mark.parametrize(
    ("distribution", "imports", "kind"),
    [
        pytest.param("pyqt5", ["PyQt5"], "library", id="GUI toolkit: PyQt5 needs libGL"),
        pytest.param("pyside6", ["PySide6"], "library", id="GUI toolkit: PySide6"),
        pytest.param("pysodium", ["pysodium"], "library", id="crypto: libsodium by ctypes"),
        pytest.param("pyfuse3", ["pyfuse3"], "build", id="filesystem in user space"),
        pytest.param("pystemd", ["pystemd"], "build", id="service manager"),
        pytest.param("dbus-python", ["dbus"], "build", id="D-Bus"),
        pytest.param("djangosaml2", ["djangosaml2"], "program", id="XML signing: xmlsec1"),
        pytest.param("pygresql", ["pg", "pgdb"], "build", id="database driver"),
        pytest.param("torchcodec", ["torchcodec"], "library", id="media: FFmpeg libraries"),
        pytest.param("pyocr", ["pyocr"], "program", id="OCR: tesseract"),
        pytest.param("pygmt", ["pygmt"], "library", id="geospatial: GMT"),
        pytest.param("html2image", ["html2image"], "runtime", id="headless browser"),
        pytest.param("phonemizer", ["phonemizer"], "library", id="speech: eSpeak NG"),
        pytest.param("pycuda", ["pycuda"], "build", id="GPU: the CUDA toolkit"),
        pytest.param("lightgbm", ["lightgbm"], "library", id="system OpenMP"),
    ],
)
def test_survey_families_are_covered(distribution, imports, kind):
    entry = NATIVE[distribution]
    assert set(imports) <= set(entry["imports"])
    assert entry["kind"] == kind
