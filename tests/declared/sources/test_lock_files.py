"""read_lock: each lock format's packages, versions, lines and dependencies; errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.sources.lock_files import read_lock
from tests import locks
from tests.conftest import assert_reads_or_reports, make_project


def read(tmp_path, name, text):
    make_project(tmp_path, {name: text})
    return read_lock(tmp_path / name, name)


def summary(lock):
    """(name, written, version, line, dependencies, extras) of each package."""
    return [
        (p.name, p.written, p.version, p.line, [d[0] for d in p.dependencies], dict(p.extras))
        for p in lock.packages
    ]


def test_uv_lock(tmp_path):
    lock = read(tmp_path, "uv.lock", locks.UV_LOCK)
    assert (lock.flat, lock.errors) == (False, ())
    packages = {p.name: p for p in lock.packages}
    assert packages["requests"].line == 34
    assert packages["requests"].dependencies == (
        ("colorama", (), "sys_platform == 'win32'"),
        ("idna", (), None),
    )
    assert packages["requests"].extras == (("socks", (("pysocks", (), None),)),)
    assert packages["app"].dependencies == (("requests", ("socks",), None), ("sympy", (), None))
    assert (packages["mpmath"].version, packages["mpmath"].line) == ("1.3.0", 24)


def test_poetry_lock(tmp_path):
    lock = read(tmp_path, "poetry.lock", locks.POETRY_LOCK)
    assert summary(lock) == [
        ("idna", "idna", "3.10", 2, [], {}),
        ("pysocks", "PySocks", "1.7.1", 10, [], {}),
        # An optional dependency comes only with the extra that asks for it.
        ("requests", "requests", "2.32.3", 18, ["idna"], {"socks": (("pysocks", (), None),)}),
    ]


def test_pdm_lock_folds_an_extras_entry_into_its_package(tmp_path):
    lock = read(tmp_path, "pdm.lock", locks.PDM_LOCK)
    assert summary(lock) == [
        ("idna", "idna", "3.10", 11, [], {}),
        ("pysocks", "pysocks", "1.7.1", 18, [], {}),
        (
            "requests",
            "requests",
            "2.32.3",
            24,
            ["idna"],
            {"socks": (("pysocks", (), None), ("requests", (), None))},
        ),
    ]


def test_pipfile_lock_default_is_flat(tmp_path):
    lock = read(tmp_path, "Pipfile.lock", locks.PIPFILE_LOCK)
    assert lock.flat
    assert summary(lock) == [
        ("idna", "idna", "3.10", 9, [], {}),
        ("requests", "requests", "2.32.3", 14, [], {}),
    ]


ERRORS = [
    pytest.param("uv.lock", "[[package]\n", "uv.lock:1: invalid TOML: ", id="uv.lock: TOML"),
    pytest.param(
        "poetry.lock",
        "package = 3\n",
        "poetry.lock: [[package]] must be an array of tables",
        id="poetry.lock: no packages",
    ),
    pytest.param(
        "Pipfile.lock",
        '{"default": [',
        "Pipfile.lock:1: invalid JSON: Expecting value",
        id="Pipfile.lock: JSON",
    ),
    pytest.param(
        "Pipfile.lock",
        '{"default": []}',
        'Pipfile.lock: "default" must be an object',
        id="Pipfile.lock: default",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), ERRORS)
def test_errors_are_one_line(tmp_path, name, text, message):
    lock = read(tmp_path, name, text)
    assert lock.packages == ()
    assert [str(error)[: len(message)] for error in lock.errors] == [message]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock"]), st.text())
def test_any_text_reads_or_raises_input_error(name, text):
    data = text.encode("utf-8", errors="surrogatepass")
    assert_reads_or_reports(lambda path: read_lock(path, name), name, data)
