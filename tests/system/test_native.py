"""Schema of data/native.toml, and find_need / is_known_safe over it."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from flake8_reqs.checks.system import install_commands
from flake8_reqs.data_files import load_data
from flake8_reqs.system.native import KINDS, MANAGERS, NativeNeed, find_need, is_known_safe

DATA = load_data("native.toml")
NATIVE = DATA["native"]
SAFE = DATA["safe"]
FIELDS = {
    "imports", "kind", "needs", "apt", "apk", "dnf", "brew", "build", "alternative", "setup",
    "source", "note", "safe", "ranges", "bundled_by",
}  # fmt: skip
NEED_FIELDS = {"kind", "needs", "apt", "apk", "dnf", "brew", "source"}


def _variants():
    """Every entry as it reads for its current releases, and for each of its ranges."""
    for name, entry in NATIVE.items():
        base = {key: value for key, value in entry.items() if key != "ranges"}
        yield pytest.param(name, base, id=name)
        for item in entry.get("ranges", ()):
            merged = {**base, "safe": False, **item}
            yield pytest.param(name, merged, id=f"{name} {item['versions']}")


def _needs():
    return [param for param in _variants() if not param.values[1].get("safe")]


def test_at_least_sixty_distributions_need_something():
    assert sum(1 for entry in NATIVE.values() if not entry.get("safe")) >= 60


@pytest.mark.parametrize("name", [*NATIVE, *SAFE])
def test_names_are_normalised(name):
    assert name == canonicalize_name(name)


def test_no_distribution_is_both_native_and_safe():
    assert set(NATIVE) & set(SAFE) == set()


@pytest.mark.parametrize("name", NATIVE)
def test_entry_fields_are_known_and_imports_listed(name):
    entry = NATIVE[name]
    assert set(entry) <= FIELDS
    assert entry["imports"]
    assert all(module.isidentifier() for module in entry["imports"])
    for item in entry.get("ranges", ()):
        assert set(item) <= FIELDS - {"imports", "ranges"} | {"versions"}
        SpecifierSet(item["versions"])  # raises when invalid


@pytest.mark.parametrize(("name", "fields"), list(_variants()))
def test_every_variant_has_a_source(name, fields):
    assert fields["source"].strip()


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_needs_have_kind_packages_and_ascii_text(name, fields):
    assert set(fields) >= NEED_FIELDS
    assert fields["kind"] in KINDS
    lists = [fields[manager] for manager in MANAGERS]
    if fields["kind"] == "build":
        assert set(fields["build"]) == set(MANAGERS)
        assert fields["build"]["apt"]
        assert fields["build"]["apk"] or fields.get("note")
        lists += fields["build"].values()
    else:
        assert fields["apt"] or fields.get("setup")
        assert fields["apk"] or fields.get("note")
    assert all(isinstance(item, str) and item.strip() for names in lists for item in names)
    text = [fields["needs"], fields.get("alternative") or "", fields.get("setup") or ""]
    assert all(part.isascii() and part == part.strip() for part in text)
    assert not fields["needs"].endswith(".")


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_needs_read_well_in_their_message(name, fields):
    needs = fields["needs"]
    if fields["kind"] == "build":
        assert needs.startswith(("a C compiler", "a C++ compiler"))
    elif fields["kind"] == "library":  # "needs the system library <needs>"
        assert not needs.startswith(("a ", "an ", "the "))
    elif fields["kind"] == "program":  # "runs the program '<needs>'"
        assert all(name.strip() and " " not in name.strip() for name in needs.split(","))


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_alternatives_are_known_safe(name, fields):
    alternative = fields.get("alternative")
    if alternative:
        # "psycopg[binary]" is declared as an extra; the extra installs "psycopg-binary".
        base, _, extra = alternative.rstrip("]").partition("[")
        target = f"{base}-{extra}" if extra else base
        assert is_known_safe(canonicalize_name(target), None)


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_what_brings_a_need_is_normalised_and_safe(name, fields):
    # A distribution that brings what is missing needs nothing itself.
    for bringer in fields.get("bundled_by", ()):
        assert bringer == canonicalize_name(bringer)
        assert is_known_safe(bringer, None)


@pytest.mark.parametrize(
    "distribution",
    [
        "pillow", "lxml", "numpy", "scipy", "psycopg2-binary", "psycopg-binary",
        "opencv-python-headless", "cryptography", "pyarrow", "grpcio", "orjson",
    ],
)  # fmt: skip
def test_known_safe_distributions_need_nothing(distribution):
    name = canonicalize_name(distribution)
    assert distribution in SAFE
    assert is_known_safe(name, None)
    assert is_known_safe(name, Version("1.0"))
    assert find_need(name, None) is None


RANGES = [
    pytest.param("soundfile", None, None, id="soundfile, version unknown: current wheels bundle"),
    pytest.param("soundfile", "0.12.1", None, id="soundfile 0.12.1 bundles libsndfile"),
    pytest.param("soundfile", "0.11.0", "library", id="soundfile 0.11.0 needs libsndfile"),
    pytest.param("pycurl", "7.49.0", None, id="pycurl with wheels"),
    pytest.param("pycurl", "7.45.2", "build", id="pycurl before wheels"),
    pytest.param("pygraphviz", None, "library", id="pygraphviz 2 wheels need X11"),
    pytest.param("pygraphviz", "1.14", "build", id="pygraphviz 1 compiles"),
    pytest.param("kaleido", "0.2.1", None, id="kaleido 0 bundles Chromium"),
    pytest.param("kaleido", "1.0.0", "runtime", id="kaleido 1 needs Chrome"),
    pytest.param("mariadb", "1.1.14", "build", id="mariadb 1 compiles"),
    pytest.param("mariadb", "2.0.0rc2", None, id="mariadb 2 pre-release is pure Python"),
    pytest.param("python-magic", "0.4.27", "library", id="python-magic, all current versions"),
    pytest.param("psycopg2", None, "build", id="psycopg2, version unknown"),
    pytest.param("not-a-known-distribution", None, None, id="unknown distribution"),
]


@pytest.mark.parametrize(("distribution", "version", "kind"), RANGES)
def test_version_ranges(distribution, version, kind):
    need = find_need(canonicalize_name(distribution), version and Version(version))
    assert (need and need.kind) == kind


def test_soundfile_old_and_new():
    name = canonicalize_name("soundfile")
    assert is_known_safe(name, Version("0.12.0"))
    assert not is_known_safe(name, Version("0.11.0"))
    assert find_need(name, Version("0.11.0")) == NativeNeed(
        distribution=name,
        kind="library",
        needs="libsndfile",
        packages={
            "debian": ("libsndfile1",),
            "alpine": ("libsndfile",),
            "fedora": ("libsndfile",),
            "brew": ("libsndfile",),
        },
        build_packages={},
        alternative=None,
        source=NATIVE["soundfile"]["ranges"][0]["source"],
    )


def test_a_range_keeps_the_fields_it_does_not_replace():
    need = find_need(canonicalize_name("pygobject"), Version("3.50.0"))
    assert need is not None
    assert need.build_packages["debian"] == (
        "build-essential", "pkg-config", "libgirepository1.0-dev", "libcairo2-dev",
    )  # fmt: skip
    assert need.packages["fedora"] == ("gobject-introspection", "glib2")  # from the entry
    assert need.kind == "build"


def _sample(specifiers):
    """A version inside ``specifiers``: "<0.12" -> 0.0.1, ">=2.0.0rc1" -> 2.0.0rc1."""
    bound = specifiers.lstrip("<>=!~")
    for candidate in ("0.0.1", bound, "9999"):
        if SpecifierSet(specifiers).contains(candidate, prereleases=True):
            return Version(candidate)
    raise AssertionError(specifiers)


@pytest.mark.parametrize(("name", "fields"), _needs())
def test_every_need_renders_an_install_command(name, fields):
    version = _sample(fields["versions"]) if "versions" in fields else None
    need = find_need(canonicalize_name(name), version)
    assert need is not None
    assert need.kind == fields["kind"]
    assert install_commands(need, None)
    assert install_commands(need, "debian")
