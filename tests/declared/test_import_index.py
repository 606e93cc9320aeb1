"""The bundled index of PyPI import names: its look-up, its guess, its data and its builder."""

from __future__ import annotations

import importlib.util
import io
import sqlite3
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest

from flake8_reqs.declared import import_index
from flake8_reqs.declared.import_index import (
    guessed_import_names,
    indexed_import_names,
    is_guessed,
)

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "flake8_reqs" / "data"


def lookup(*names: str) -> dict[str, tuple[str, ...]]:
    return cast("dict[str, tuple[str, ...]]", indexed_import_names(cast("Any", names)))


def entries() -> list[tuple[str, list[str]]]:
    lines = (DATA / import_index.DATA_FILE).read_text(encoding="ascii").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return [(dist, names.split(",")) for dist, names in rows]


def header() -> dict[str, str]:
    with import_index.open_data() as stream:
        return import_index.header(stream)


# Each checked in pigar 2.2.0's database (its top_level_module_names table).
@pytest.mark.parametrize(
    ("dist", "names"),
    [
        pytest.param("scikit-fuzzy", ("skfuzzy",), id="scikit-fuzzy"),
        pytest.param("fusepy", ("fuse",), id="fusepy"),
        pytest.param("pillow", ("PIL",), id="pillow"),
        pytest.param("scikit-learn", ("sklearn",), id="scikit-learn"),
        pytest.param("beautifulsoup4", ("bs4",), id="beautifulsoup4"),
        pytest.param("mysqlclient", ("MySQLdb",), id="mysqlclient"),
        pytest.param("pycryptodome", ("Crypto",), id="pycryptodome"),
        pytest.param("pyjwt", ("jwt",), id="pyjwt"),
        pytest.param("pyyaml", ("_yaml", "yaml"), id="pyyaml-private-name-kept"),
        pytest.param("attrs", ("attr", "attrs"), id="attrs-guessable-name-listed-too"),
        pytest.param("cffi", ("_cffi_backend", "cffi"), id="cffi-extension-module"),
        pytest.param("opencv-python", ("cv2",), id="opencv-python"),
    ],
)
def test_long_tail_distributions_are_indexed(dist, names):
    assert lookup(dist) == {dist: names}


@pytest.mark.parametrize(
    "dist",
    [
        pytest.param("python-dateutil", id="leading-python-dropped"),
        pytest.param("python-magic", id="python-magic"),
        pytest.param("py-cpuinfo", id="leading-py-dropped"),
        pytest.param("discord-py", id="trailing-py-dropped"),
        pytest.param("jinja2", id="case-insensitive-Jinja2"),
        pytest.param("pymysql", id="case-insensitive-PyMySQL"),
        pytest.param("requests", id="requests"),
        pytest.param("numpy", id="numpy"),
    ],
)
def test_guessable_distributions_are_not_stored(dist):
    assert lookup(dist) == {}


@pytest.mark.parametrize(
    "dist",
    [
        pytest.param("no-such-distribution-anywhere-xyz", id="unknown"),
        pytest.param("", id="empty"),
        pytest.param("0", id="before-every-entry"),
        pytest.param("zzzzzzzzzzzzzzzzzz", id="after-every-entry"),
        pytest.param("scikit-fuzz", id="a-prefix-of-an-entry"),
        pytest.param("scikit-fuzzy-extra", id="an-entry-as-prefix"),
        pytest.param("scikit-fuzzy\tskfuzzy", id="a-tab-cannot-forge-a-line"),
        pytest.param("pillów", id="not-ascii"),
    ],
)
def test_unknown_names_give_nothing(dist):
    assert lookup(dist) == {}


@pytest.mark.parametrize(
    "dist",
    [
        pytest.param("Scikit-Fuzzy", id="case"),
        pytest.param("scikit_fuzzy", id="underscore"),
        pytest.param("scikit.fuzzy", id="dot"),
        pytest.param("SCIKIT__-.FUZZY", id="runs-of-separators"),
    ],
)
def test_the_lookup_normalises_distribution_names(dist):
    assert lookup(dist) == {dist: ("skfuzzy",)}


def test_many_names_in_one_call_give_only_the_indexed_ones():
    asked = ["fusepy", "requests", "pillow", "unknown-xyz", "scikit-fuzzy"]
    assert lookup(*asked) == {"fusepy": ("fuse",), "pillow": ("PIL",), "scikit-fuzzy": ("skfuzzy",)}


def test_no_names_open_nothing(monkeypatch):
    def fail() -> None:
        raise AssertionError("opened")

    monkeypatch.setattr(import_index, "open_data", fail)
    assert indexed_import_names([]) == {}


@pytest.mark.parametrize(
    ("dist", "expected"),
    [
        pytest.param("requests", {"requests"}, id="plain"),
        pytest.param("python-dateutil", {"python_dateutil", "dateutil"}, id="python-"),
        pytest.param("python3-openid", {"python3_openid", "openid"}, id="python3-"),
        pytest.param("py-cpuinfo", {"py_cpuinfo", "cpuinfo"}, id="py-"),
        pytest.param("discord.py", {"discord_py", "discord"}, id="-py"),
        pytest.param("foo-python", {"foo_python", "foo"}, id="-python"),
        pytest.param(
            "python-foo-python",
            {"python_foo_python", "foo_python", "python_foo", "foo"},
            id="both",
        ),
        pytest.param("PyYAML", {"pyyaml"}, id="no-dash-no-strip"),
        pytest.param("python", {"python"}, id="nothing-left-keeps-name"),
        pytest.param("py-py", {"py_py", "py"}, id="one-strip-each"),
        pytest.param("Zope.Interface", {"zope_interface"}, id="dots-and-case"),
    ],
)
def test_guessed_import_names(dist, expected):
    assert guessed_import_names(dist) == expected


@pytest.mark.parametrize(
    ("dist", "module", "expected"),
    [
        pytest.param("Jinja2", "jinja2.ext", True, id="submodule-counts-as-its-top"),
        pytest.param("pyqt5", "PyQt5.QtCore", True, id="case-insensitive"),
        pytest.param("python-dateutil", "dateutil.parser", True, id="prefix-dropped"),
        pytest.param("pillow", "PIL", False, id="not-guessed"),
        pytest.param("scikit-fuzzy", "skfuzzy", False, id="long-tail"),
    ],
)
def test_is_guessed(dist, module, expected):
    assert is_guessed(dist, module) is expected


def test_the_data_is_sorted_unique_and_normalised():
    dists = [dist for dist, _ in entries()]
    assert dists == sorted(dists, key=lambda d: d.encode())
    assert len(dists) == len(set(dists))
    assert all(import_index._normalize(dist) == dist for dist in dists)
    assert len(dists) == int(header()["distributions"])


def test_every_entry_has_a_name_the_guess_gets_wrong():
    for dist, names in entries():
        assert names == sorted(set(names)), dist
        assert all(name.isidentifier() for name in names), dist
        assert not all(is_guessed(dist, name) for name in names), dist


def test_every_hundredth_entry_and_the_ends_are_found():
    rows = entries()
    sample = dict(rows[::100] + rows[-3:])
    assert lookup(*sample) == {dist: tuple(names) for dist, names in sample.items()}


def test_the_notice_names_the_source_the_header_records():
    fields = header()
    notice = (DATA / "pypi_import_names.NOTICE.md").read_text(encoding="utf-8")
    version = fields["source"].removeprefix("pigar ")
    assert version
    assert f"pigar {version}" in notice
    assert fields["source-wheel"] in notice
    for key in ("source-wheel-sha256", "source-db-sha256"):
        assert len(fields[key]) == 64
        assert f"`{fields[key]}`" in notice
    assert "BSD 3-Clause License" in notice
    assert "Copyright (c) 2020, XiaoChao Dong" in notice


# The bisection reads the lines left at once when they are at most _READ_AT_MOST bytes:
# 0 bisects down to one line, 16 to a few, the real value reads the small files whole.
READ_AT_MOST = [0, 16, import_index._READ_AT_MOST]


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        pytest.param("a\tx\n", "a", b"x", id="one-line"),
        pytest.param("a\tx\nab\ty\nb\tz\n", "ab", b"y", id="middle"),
        pytest.param("a\tx\nab\ty\nb\tz\n", "b", b"z", id="last"),
        pytest.param("a\tx\nab\ty\nb\tz\n", "a", b"x", id="first"),
        pytest.param("a\tx\nab\ty\nb\tz\n", "aa", None, id="between"),
        pytest.param("a-b\tx\na0\ty\nab\tz\n", "a0", b"y", id="dash-sorts-before-digits"),
        pytest.param("", "a", None, id="no-lines"),
    ],
)
@pytest.mark.parametrize("read_at_most", READ_AT_MOST)
def test_bisection(monkeypatch, text, key, expected, read_at_most):
    monkeypatch.setattr(import_index, "_READ_AT_MOST", read_at_most)
    data = ("# h: 1\n" + text).encode()
    stream = io.BytesIO(data)
    start = import_index._data_start(stream)
    assert import_index._find(stream, key.encode(), start, len(data)) == expected
    assert import_index._find(stream, key.encode(), start, len(data), {}) == expected


@pytest.mark.parametrize("read_at_most", READ_AT_MOST)
def test_bisection_finds_every_line_of_a_long_file(monkeypatch, read_at_most):
    monkeypatch.setattr(import_index, "_READ_AT_MOST", read_at_most)
    keys = sorted(f"d{i}{'x' * (i % 37)}" for i in range(2000))
    data = ("# h: 1\n" + "".join(f"{k}\t{i}\n" for i, k in enumerate(keys))).encode()
    stream = io.BytesIO(data)
    start = import_index._data_start(stream)
    lines = {key: str(i).encode() for i, key in enumerate(keys)}
    seen: dict[int, Any] = {}  # the probes, shared by every look-up
    for key in keys:
        # The key, one after it that is not in the file, and its prefix, which may be.
        for asked in (key, key + "!", key[:-1]):
            for probes in (None, seen):
                found = import_index._find(stream, asked.encode(), start, len(data), probes)
                assert found == lines.get(asked), (asked, probes is None)


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_import_index", REPO / "scripts" / "build_import_index.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_pigar_wheel(tmp_path: Path, rows: dict[str, list[str]]) -> Path:
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE distributions (id INTEGER PRIMARY KEY, name, version)")
        connection.execute(
            "CREATE TABLE top_level_module_names (id INTEGER PRIMARY KEY, distribution_id, name)"
        )
        for number, (dist, names) in enumerate(rows.items()):
            connection.execute("INSERT INTO distributions VALUES (?, ?, '1')", (number, dist))
            for name in names:
                connection.execute(
                    "INSERT INTO top_level_module_names (distribution_id, name) VALUES (?, ?)",
                    (number, name),
                )
    connection.close()
    wheel = tmp_path / "pigar-9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pigar-9.9.dist-info/METADATA", "Name: pigar\nVersion: 9.9\n")
        archive.writestr("pigar-9.9.dist-info/licenses/LICENSE", "BSD 3-Clause License\n")
        archive.write(db, "pigar/.db.sqlite3")
    return wheel


def test_the_builder_keeps_what_the_guess_gets_wrong(tmp_path):
    rows = {
        "Scikit-Fuzzy": ["skfuzzy", "tests", "docs"],
        "requests": ["requests"],
        "python-dateutil": ["dateutil"],
        "Fork.Of.Yaml": ["yaml", "_yaml", "__init__", "win32\\lib\\x", "class"],
        "mess": [f"m{i}" for i in range(5)],
        "google-thing": ["google"],
        "google-other": ["google"],
        "only-junk": ["test", "setup", "conftest"],
    }
    wheel = _fake_pigar_wheel(tmp_path, rows)
    out = tmp_path / "out"
    build = _builder()
    args = [str(wheel), "--out-dir", str(out), "--built", "2000-01-01"]
    assert build.main([*args, "--max-names", "4", "--shared-limit", "2"]) == 0
    text = (out / "pypi_import_names.txt").read_text(encoding="ascii")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "fork-of-yaml\t_yaml,yaml",
        "scikit-fuzzy\tskfuzzy",
    ]
    assert "# source: pigar 9.9" in text
    notice = (out / "pypi_import_names.NOTICE.md").read_text(encoding="utf-8")
    assert "built on 2000-01-01" in notice
    assert "BSD 3-Clause License" in notice
    # The same source and options give the same bytes.
    first = (out / "pypi_import_names.txt").read_bytes()
    assert build.main([*args, "--max-names", "4", "--shared-limit", "2"]) == 0
    assert (out / "pypi_import_names.txt").read_bytes() == first


def test_a_long_list_of_names_is_read_in_one_pass_with_the_same_answers():
    # Past _BISECT_AT_MOST names the file is read once beside the sorted names (a 20,000-line
    # requirements file bisected it 20,000 times); the answers must be the bisection's.
    with import_index.open_data() as stream:
        start = import_index._data_start(stream)
        listed = [raw.partition(b"\t")[0].decode() for raw in stream][::60]
    names = [*listed, *(f"not-on-pypi-{i}" for i in range(800)), "Scikit_Fuzzy", "zzzz-last"]
    assert len(names) > import_index._BISECT_AT_MOST
    many = indexed_import_names(cast(Any, names))
    few = {}
    for chunk in range(0, len(names), 500):  # below the threshold: bisected
        few.update(indexed_import_names(cast(Any, names[chunk : chunk + 500])))
    assert many == few
    assert len(many) == len(listed) + 1  # every listed name, and scikit-fuzzy; no other
    assert start > 0
