"""read_environment_yml: conda's dependencies list and its pip: list, by a strict line reader."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.data_files import load_data
from flake8_reqs.declared.sources.environment_yml import read_environment_yml
from flake8_reqs.errors import ReqsInputError
from tests.conftest import assert_reads_or_reports, errors, make_project, runtime

E = "environment.yml"
NOT_READ = "is not read: expected '- <conda package>' or '- pip:' with its list under it"
ENVIRONMENT = """\
name: service  # the environment's name
channels:
  - conda-forge
  - pytorch
dependencies:
  - python=3.11
  - numpy=1.26.4
  - pytorch::pytorch>=2.1
  - "scikit-learn"
  - ffmpeg
  - pip
  - pip:
    - requests[socks]==2.32.3  # pip's own line
    # a comment inside the list
    - -r requirements-extra.txt
    - --extra-index-url https://example.com/simple
variables:
  DEBUG: "0"
"""


def read(tmp_path, text, files=None):
    make_project(tmp_path, {E: text, **(files or {})})
    return read_environment_yml(tmp_path / E, E, {})


def test_conda_and_pip_packages_are_runtime(tmp_path):
    declared = read(tmp_path, ENVIRONMENT, {"requirements-extra.txt": "attrs\n"})
    assert runtime(declared) == [
        ("numpy==1.26.4", E, 7),
        ("torch", E, 8),
        ("scikit-learn", E, 9),
        ("requests[socks]==2.32.3", E, 13),
        ("attrs", "requirements-extra.txt", 1),
    ]
    assert (errors(declared), declared.python_version) == ([], "3.11")
    # What conda installs: REQ201 leaves it alone.
    assert declared.quiet == ((E, 7), (E, 8), (E, 9))


ERRORS = [
    pytest.param(
        "dependencies: [numpy, scipy]\n",
        [f"{E}:1: 'dependencies: [numpy, scipy]' {NOT_READ}"],
        [],
        id="a flow list",
    ),
    pytest.param(
        "dependencies:\n  - numpy\n  - {a: b}\n  - pip: [requests]\n    - x\n  bad: 1\n  - scipy\n",
        [
            f"{E}:3: '- {{a: b}}' {NOT_READ}",
            f"{E}:4: '- pip: [requests]' {NOT_READ}",
            f"{E}:5: '- x' {NOT_READ}",
            f"{E}:6: 'bad: 1' {NOT_READ}",
        ],
        [("numpy", E, 2), ("scipy", E, 7)],
        id="a mapping item, an inline pip list, a stray line; the rest is read",
    ),
    pytest.param(
        "dependencies:\n- numpy\n- pip:\n  - flask >=\n",
        [
            f"{E}:4: invalid requirement 'flask >=': expected semicolon (after name with no "
            "version specifier) or end"
        ],
        [("numpy", E, 2)],
        id="a list at the key's indent; an invalid pip line",
    ),
    pytest.param(
        "dependencies:\n  - numpy\n!!odd\n",
        [f"{E}:3: '!!odd' is not read"],
        [("numpy", E, 2)],
        id="a top-level line that is no key",
    ),
]


@pytest.mark.parametrize(("text", "expected_errors", "expected_runtime"), ERRORS)
def test_anything_else_is_one_line_each(tmp_path, text, expected_errors, expected_runtime):
    declared = read(tmp_path, text)
    assert (errors(declared), runtime(declared)) == (expected_errors, expected_runtime)


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(ReqsInputError) as raised:
        read_environment_yml(tmp_path / E, E, {})
    assert str(raised.value) == f"{E}: no such file"


def test_conda_names_data_is_sorted_with_a_source_for_each():
    data = load_data("conda_names.toml")
    assert set(data) == {"distributions", "not_python"}
    for table in data.values():
        assert list(table) == sorted(table)
    assert all(set(entry) == {"pypi", "source"} for entry in data["distributions"].values())
    assert all(isinstance(source, str) and source for source in data["not_python"].values())
    assert not set(data["distributions"]) & set(data["not_python"])


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_or_raises_input_error(text):
    data = text.encode("utf-8", errors="surrogatepass")
    assert_reads_or_reports(lambda path: read_environment_yml(path, E, {}), E, data)
