"""read_setup_cfg: setuptools' [options] and [metadata], as setuptools splits them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.sources.local import read_setup_cfg_name
from flake8_reqs.declared.sources.setup_cfg import read_setup_cfg
from flake8_reqs.errors import ReqsInputError
from tests.conftest import assert_reads_or_reports, errors, groups, make_project, runtime

CFG = "setup.cfg"
EXTRA = f"{CFG} [options.extras_require]"
INVALID_SPEC = "expected semicolon (after name with no version specifier) or end"


def read(tmp_path, text, files=None):
    make_project(tmp_path, {CFG: text, **(files or {})})
    return read_setup_cfg(tmp_path / CFG, CFG)


RUNTIME = [
    pytest.param(
        """\
        [metadata]
        name = demo

        [options]
        install_requires =
            requests>=2
            # a comment line
            flask; python_version >= "3.9"
        """,
        [("requests>=2", CFG, 6), ('flask; python_version >= "3.9"', CFG, 8)],
        id="one per line; a marker after ';' is kept",
    ),
    pytest.param(
        "[options]\ninstall_requires = requests; attrs\n",
        [("requests", CFG, 2), ("attrs", CFG, 2)],
        id="one line is split at ';' as setuptools does",
    ),
    pytest.param(
        "[options]\ninstall_requires = requests\n",
        [("requests", CFG, 2)],
        id="one requirement on the option's line",
    ),
    pytest.param(
        "[options]\ninstall_requires =\n    six\n    six\n",
        [("six", CFG, 3), ("six", CFG, 4)],
        id="a repeated requirement is found once per line",
    ),
    pytest.param(
        """\
        [flake8]
        install_requires = not-this

        [options]
        zip_safe = False
        install_requires =
            attrs
        """,
        [("attrs", CFG, 7)],
        id="the same option in another section",
    ),
    pytest.param("[flake8]\nmax-line-length = 100\n", [], id="no setuptools sections"),
]


@pytest.mark.parametrize(("text", "expected"), RUNTIME)
def test_runtime(tmp_path, text, expected):
    declared = read(tmp_path, text)
    assert (runtime(declared), errors(declared)) == (expected, [])


def test_extras(tmp_path):
    text = """\
    [options.extras_require]
    Test =
        pytest
        hypothesis
    docs = sphinx; sphinx-rtd-theme
    empty =
    """
    declared = read(tmp_path, text)
    # An extra with no requirements is no group.
    assert groups(declared) == [
        (f"{EXTRA} Test", [("pytest", 3), ("hypothesis", 4)]),
        (f"{EXTRA} docs", [("sphinx", 5), ("sphinx-rtd-theme", 5)]),
    ]
    assert (runtime(declared), errors(declared)) == ([], [])


def test_name_and_python_requires(tmp_path):
    declared = read(tmp_path, "[metadata]\nname = My.Project\n[options]\npython_requires = >=3.9\n")
    assert (declared.project_name, declared.requires_python) == ("My.Project", ">=3.9")
    assert read_setup_cfg_name(tmp_path / CFG, CFG) == "My.Project"


def test_file_directive(tmp_path):
    text = """\
    [options]
    install_requires = file: requirements.txt, more.txt
    [options.extras_require]
    test = file: requirements-test.txt
    """
    files = {
        "requirements.txt": "requests\n-r base.txt\n",
        "base.txt": "attrs\n",
        "more.txt": "flask\n",
        "requirements-test.txt": "# tests\npytest\n",
    }
    declared = read(tmp_path, text, files)
    assert runtime(declared) == [
        ("requests", "requirements.txt", 1),
        ("attrs", "base.txt", 1),
        ("flask", "more.txt", 1),
    ]
    assert groups(declared) == [(f"{EXTRA} test", [("pytest", 2)])]
    assert declared.groups[0][1][0].path == "requirements-test.txt"
    assert errors(declared) == []


ERRORS = [
    pytest.param(
        "[options]\ninstall_requires =\n    ok\n    flask >=\n",
        [f"{CFG}:4: invalid requirement 'flask >=': {INVALID_SPEC}"],
        [("ok", CFG, 3)],
        id="invalid requirement; the rest still read",
    ),
    pytest.param(
        "[options]\ninstall_requires = foo; python_version < '3.10'\n",
        [
            f"{CFG}:2: [options] install_requires is on one line, so setuptools splits it at "
            "';' and cuts the marker off 'foo; python_version < '3.10''; start the list on "
            "the next line"
        ],
        [('foo; python_version < "3.10"', CFG, 2)],
        id="one line with a marker",
    ),
    pytest.param(
        "[options]\ninstall_requires = file: missing.txt\n",
        [f"{CFG}:2: [options] install_requires names 'missing.txt': no such file"],
        [],
        id="file: names a missing file",
    ),
    pytest.param(
        "[options]\na = 1\n[metadata]\n[options]\n",
        [f"{CFG}:4: section [options] appears twice"],
        [],
        id="duplicate section",
    ),
    pytest.param(
        "[options]\ninstall_requires = a\ninstall_requires = b\n",
        [f"{CFG}:3: option 'install_requires' appears twice in section [options]"],
        [],
        id="duplicate option",
    ),
    pytest.param(
        "install_requires = a\n[options]\n",
        [f"{CFG}:1: text before the first [section] header"],
        [],
        id="no section header",
    ),
    pytest.param(
        "[options]\ninstall_requires = a\nnot an option\n[metadata]\nalso not\n",
        [
            f"{CFG}:3: line is not a [section] header, a 'name = value' option or a continuation",
            f"{CFG}:5: line is not a [section] header, a 'name = value' option or a continuation",
        ],
        [],
        id="lines configparser cannot parse",
    ),
]


@pytest.mark.parametrize(("text", "expected_errors", "expected_runtime"), ERRORS)
def test_errors(tmp_path, text, expected_errors, expected_runtime):
    declared = read(tmp_path, text)
    assert errors(declared) == expected_errors
    assert runtime(declared) == expected_runtime


def test_rejected_file_has_no_name(tmp_path):
    make_project(tmp_path, {CFG: "[metadata]\nname = a\n[metadata]\n"})
    assert read_setup_cfg_name(tmp_path / CFG, CFG) is None


def test_missing_file_raises(tmp_path):
    with pytest.raises(ReqsInputError) as raised:
        read_setup_cfg(tmp_path / CFG, CFG)
    assert str(raised.value) == f"{CFG}: no such file"


PIECES = st.sampled_from(
    [
        "[options]\n",
        "[metadata]\n",
        "[options.extras_require]\n",
        "install_requires =\n",
        "install_requires = a; b\n",
        "install_requires = file: requirements.txt\n",
        "name = x\n",
        "    requests\n",
        "    bad ==\n",
        "test = pytest\n",
        ":python_version < '3' = x\n",
        "# comment\n",
        "junk\n",
        "\n",
    ]
)


def check_any_text(data: bytes) -> None:
    assert_reads_or_reports(lambda path: read_setup_cfg(path, CFG), CFG, data)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_or_raises_input_error(text):
    check_any_text(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES).map("".join))
def test_any_cfg_like_text_reads(text):
    check_any_text(text.encode("utf-8"))
