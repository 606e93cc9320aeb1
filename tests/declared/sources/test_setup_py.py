"""read_setup_py: the literal arguments of setup(), read through ast and never run."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.sources.setup_py import read_setup_py
from flake8_reqs.errors import ReqsInputError
from tests.conftest import assert_reads_or_reports, errors, groups, make_project, runtime

PY = "setup.py"
EXTRA = f"{PY} extras_require"
NOT_RUN = "flake8-reqs reads setup.py without running it"


def _syntax_error(text):
    """The message for a setup.py that is not Python: the running Python's own words."""
    try:
        compile(text, PY, "exec")
    except SyntaxError as error:
        return f"{PY}:{error.lineno}: not valid Python: {error.msg}"
    raise AssertionError("expected a syntax error")


def read(tmp_path, text):
    make_project(tmp_path, {PY: text})
    return read_setup_py(tmp_path / PY, PY)


def test_never_runs_the_file(tmp_path):
    text = """\
    import pathlib
    pathlib.Path(__file__).with_name("ran").write_text("setup.py was run")
    from setuptools import setup
    setup(name="demo", install_requires=["requests"])
    """
    declared = read(tmp_path, text)
    assert not (tmp_path / "ran").exists()
    assert (runtime(declared), declared.project_name) == ([("requests", PY, 4)], "demo")


RUNTIME = [
    pytest.param(
        """\
        from setuptools import setup
        setup(
            name="demo",
            install_requires=[
                "requests>=2",
                "flask; python_version >= '3.9'",
            ],
        )
        """,
        [("requests>=2", PY, 5), ('flask; python_version >= "3.9"', PY, 6)],
        id="a list literal",
    ),
    pytest.param(
        """\
        import setuptools

        REQUIREMENTS = (
            "attrs",
            "six",
        )

        setuptools.setup(install_requires=REQUIREMENTS)
        """,
        [("attrs", PY, 4), ("six", PY, 5)],
        id="a module-level name bound to a tuple literal",
    ),
    pytest.param(
        'import distutils.core\ndistutils.core.setup(install_requires="a\\n# c\\nb")\n',
        [("a", PY, 2), ("b", PY, 2)],
        id="distutils.core.setup; one string, one requirement per line",
    ),
    pytest.param(
        """\
        from setuptools import setup
        if True:
            setup(install_requires=["one"])
        else:
            setup(install_requires=["two"])
        """,
        [("one", PY, 3), ("two", PY, 5)],
        id="every setup() call counts",
    ),
    pytest.param(
        """\
        setup(
            install_requires=["x"],
            extras_require={
                ":python_version < '3.8'": ["importlib-metadata"],
            },
        )
        """,
        [("x", PY, 2), ('importlib-metadata; python_version < "3.8"', PY, 4)],
        id="an extras key with only a marker is a runtime requirement",
    ),
    pytest.param(
        'setup(install_requires="""\n    a\n\n    b\n""")\n',
        [("a", PY, 2), ("b", PY, 4)],
        id="a triple-quoted string",
    ),
    pytest.param("print('no setup here')\n", [], id="no setup() call"),
    pytest.param("", [], id="empty file"),
]


@pytest.mark.parametrize(("text", "expected"), RUNTIME)
def test_runtime(tmp_path, text, expected):
    declared = read(tmp_path, text)
    assert (runtime(declared), errors(declared)) == (expected, [])


def test_extras_and_names(tmp_path):
    text = """\
    from setuptools import setup
    NAME = "demo"
    EXTRAS = {
        "test": ["pytest", "hypothesis"],
        "win:sys_platform == 'win32'": ["pywin32"],
        "empty": [],
    }
    setup(name=NAME, python_requires=">=3.9", extras_require=EXTRAS)
    """
    declared = read(tmp_path, text)
    assert groups(declared) == [
        (f"{EXTRA} test", [("pytest", 4), ("hypothesis", 4)]),
        (f"{EXTRA} win", [('pywin32; sys_platform == "win32"', 5)]),
    ]
    assert (declared.project_name, declared.requires_python) == ("demo", ">=3.9")
    assert errors(declared) == []


ERRORS = [
    pytest.param(
        """\
        from setuptools import setup
        setup(
            install_requires=open("requirements.txt").read().splitlines(),
        )
        """,
        [f"{PY}:3: install_requires is not a literal; {NOT_RUN}"],
        [],
        id="install_requires computed",
    ),
    pytest.param(
        """\
        BASE = ["a"]
        BASE += ["b"]
        setup(install_requires=BASE)
        """,
        [f"{PY}:3: install_requires is not a literal; {NOT_RUN}"],
        [],
        id="a name bound twice is not a literal",
    ),
    pytest.param(
        """\
        setup(install_requires=[
            "ok",
            get_more(),
            3,
            "flask >=",
        ])
        """,
        [
            f"{PY}:3: install_requires item 2 is not a literal; {NOT_RUN}",
            f"{PY}:4: install_requires item 3 must be a string, not int",
            f"{PY}:5: invalid requirement 'flask >=': expected semicolon (after name with no "
            "version specifier) or end",
        ],
        [("ok", PY, 2)],
        id="bad items; the rest still read",
    ),
    pytest.param(
        "setup(install_requires={'a': 1})\n",
        [f"{PY}:1: install_requires must be a list of strings, not dict"],
        [],
        id="install_requires of the wrong type",
    ),
    pytest.param(
        """\
        setup(extras_require=dict(test=["pytest"]))
        setup(extras_require={**BASE})
        setup(extras_require=["x"])
        setup(extras_require={1: ["x"], "t": "pytest", "u": EXTRA})
        """,
        [
            f"{PY}:1: extras_require is not a literal; {NOT_RUN}",
            f"{PY}:2: extras_require is not a literal; {NOT_RUN}",
            f"{PY}:3: extras_require must be a dict of lists of strings, not list",
            f"{PY}:4: extras_require keys must be strings",
            f"{PY}:4: extras_require['u'] is not a literal; {NOT_RUN}",
        ],
        [],
        id="extras_require not a dict literal",
    ),
    pytest.param(
        "setup(extras_require={':not a marker': ['x']})\n",
        [
            f"{PY}:1: invalid marker 'not a marker' in an extras key: expected a marker "
            "variable or quoted string"
        ],
        [("x", PY, 1)],
        id="invalid marker in an extras key",
    ),
    pytest.param(
        "setup(**config)\nsetup(install_requires=['a'], **more)\n",
        [f"{PY}:1: setup(**...) may pass install_requires, which is not read; {NOT_RUN}"],
        [("a", PY, 2)],
        id="** arguments",
    ),
    pytest.param(
        "setup(name=get_name(), python_requires=VERSION)\n", [], [], id="dynamic name: no error"
    ),
    pytest.param(
        "from setuptools import setup\nsetup(\n    install_requires=[\n",
        [_syntax_error("from setuptools import setup\nsetup(\n    install_requires=[\n")],
        [],
        id="not Python",
    ),
    pytest.param(
        "x = 1\nprint 'python 2'\n",
        [_syntax_error("x = 1\nprint 'python 2'\n")],
        [],
        id="Python 2",
    ),
]


@pytest.mark.parametrize(("text", "expected_errors", "expected_runtime"), ERRORS)
def test_errors(tmp_path, text, expected_errors, expected_runtime):
    declared = read(tmp_path, text)
    assert errors(declared) == expected_errors
    assert runtime(declared) == expected_runtime


def test_invalid_escape_is_not_an_error(tmp_path):
    # Python warns about "\d"; the warning is not ours to report (and warnings are errors here).
    declared = read(tmp_path, 'import re\nPATTERN = "\\d+"\nsetup(install_requires=["a"])\n')
    assert (runtime(declared), errors(declared)) == ([("a", PY, 3)], [])


def test_missing_file_raises(tmp_path):
    with pytest.raises(ReqsInputError) as raised:
        read_setup_py(tmp_path / PY, PY)
    assert str(raised.value) == f"{PY}: no such file"


PIECES = st.sampled_from(
    [
        "from setuptools import setup\n",
        "REQS = ['a', 'b']\n",
        "REQS = ['c']\n",
        "setup(install_requires=REQS)\n",
        "setup(install_requires=['x', 3, f()], extras_require={'t': ['y'], ':bad': ['z']})\n",
        "setup(**kw)\n",
        "setup(\n",
        ")\n",
        "    name='n',\n",
        "if x:\n",
        "    pass\n",
        "'\\q'\n",
    ]
)


def check_any_source(data: bytes) -> None:
    assert_reads_or_reports(lambda path: read_setup_py(path, PY), PY, data)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_or_raises_input_error(text):
    check_any_source(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES).map("".join))
def test_any_python_like_text_reads(text):
    check_any_source(text.encode("utf-8"))
