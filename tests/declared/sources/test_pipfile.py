"""read_pipfile: [packages] runtime, every other category a set of its own, exact lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.sources.pipfile import read_pipfile
from flake8_reqs.errors import ReqsInputError
from tests.conftest import assert_reads_or_reports, errors, groups, make_project, runtime

P = "Pipfile"
PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = "*"
flask = "==3.1.0"
django = {version = ">=5", extras = ["bcrypt"]}
pywin32 = {version = "*", sys_platform = "== 'win32'"}
tomli = {version = "*", markers = "python_version < '3.11'"}
helper = {git = "https://example.com/helper.git", ref = "main"}
"Zope.Interface" = "6.0"

[dev-packages]
pytest = "*"

[docs]
sphinx = ">=7"

[requires]
python_version = "3.12"

[scripts]
serve = "flask run"

[pipenv]
allow_prereleases = false
"""


def read(tmp_path, text):
    make_project(tmp_path, {P: text})
    return read_pipfile(tmp_path / P, P)


def test_packages_are_runtime(tmp_path):
    assert runtime(read(tmp_path, PIPFILE)) == [
        ("requests", P, 7),
        ("flask==3.1.0", P, 8),
        ("django[bcrypt]>=5", P, 9),
        ('pywin32; sys_platform == "win32"', P, 10),
        ('tomli; python_version < "3.11"', P, 11),
        ("helper", P, 12),
        ("Zope.Interface==6.0", P, 13),
    ]


def test_every_other_category_is_a_set_of_its_own(tmp_path):
    declared = read(tmp_path, PIPFILE)
    assert groups(declared) == [
        (f"{P} [dev-packages]", [("pytest", 16)]),
        (f"{P} [docs]", [("sphinx>=7", 19)]),
    ]
    assert declared.selectors == (
        (f"{P} [dev-packages]", "pipenv", "dev-packages"),
        (f"{P} [docs]", "pipenv", "docs"),
    )
    assert errors(declared) == []


PYTHON = [
    pytest.param('[requires]\npython_version = "3.11"\n', "3.11", id="python_version"),
    pytest.param('[requires]\npython_full_version = "3.10.4"\n', "3.10", id="python_full_version"),
    pytest.param('[requires]\npython_version = "*"\n', None, id="any version"),
    pytest.param("[packages]\n", None, id="no [requires]"),
]


@pytest.mark.parametrize(("text", "expected"), PYTHON)
def test_requires_python_version(tmp_path, text, expected):
    assert read(tmp_path, text).python_version == expected


ERRORS = [
    pytest.param(
        '[packages]\nrequests = 2\nflask = {version = 3}\n"not valid" = "*"\n',
        [
            f"{P}:2: [packages].requests must be a version string or a table, not an integer",
            f"{P}:3: [packages].flask has a version or extras that are not strings",
            f"{P}:4: invalid requirement 'not valid': expected semicolon (after name with no "
            "version specifier) or end",
        ],
        [],
        id="wrong types, invalid name",
    ),
    pytest.param(
        '[packages]\nrequests = {version = "*", markers = "not a marker"}\n',
        [f"{P}:2: [packages].requests has an invalid marker '(not a marker)'"],
        [("requests", P, 2)],
        id="invalid marker: the name alone",
    ),
    pytest.param(
        '[packages]\nrequests = "*"\n[docs\n',
        [f"{P}:3: invalid TOML: Expected ']' at the end of a table declaration"],
        [],
        id="invalid TOML",
    ),
]


@pytest.mark.parametrize(("text", "expected_errors", "expected_runtime"), ERRORS)
def test_errors(tmp_path, text, expected_errors, expected_runtime):
    declared = read(tmp_path, text)
    assert (errors(declared), runtime(declared)) == (expected_errors, expected_runtime)


def test_a_missing_pipfile_raises(tmp_path):
    with pytest.raises(ReqsInputError) as raised:
        read_pipfile(tmp_path / P, P)
    assert str(raised.value) == f"{P}: no such file"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_or_raises_input_error(text):
    data = text.encode("utf-8", errors="surrogatepass")
    assert_reads_or_reports(lambda path: read_pipfile(path, P), P, data)
