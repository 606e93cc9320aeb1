"""REQ004 missing-stdlib-import: a standard-library module the target Python does not have."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

SILENT = [
    pytest.param("import distutils\n", "", "3.11", id="distutils before its removal"),
    pytest.param("import distutils.core\n", "setuptools\n", "3.12", id="backport declared"),
    pytest.param("import cgi\n", "legacy-cgi\n", "3.13", id="legacy-cgi declared"),
    pytest.param("import tomllib\n", "", "3.11", id="tomllib from 3.11"),
    pytest.param(
        "import sys\n"
        "if sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli\n",
        "tomli; python_version < '3.11'\n",
        "3.10",
        id="version-guarded tomllib",
    ),
    pytest.param("import zoneinfo\n", "", "3.9", id="zoneinfo in 3.9"),
]


@pytest.mark.parametrize(("source", "requirements", "version"), SILENT)
def test_req004_silent(tmp_path, run_flake8, source, requirements, version):
    project = make_project(tmp_path, {"requirements.txt": requirements, "app.py": source})
    result = run_flake8(project, "--select=REQ0", f"--reqs-python-version={version}")
    assert (result.exit_code, result.out) == (0, [])


FIRING = [
    pytest.param(
        "import distutils.core\n",
        "3.12",
        "'distutils.core' is not in the standard library of Python 3.12 (removed in 3.12); "
        "declare 'setuptools' to provide it",
        id="distutils",
    ),
    pytest.param(
        "import cgi\n",
        "3.13",
        "'cgi' is not in the standard library of Python 3.13 (removed in 3.13); "
        "declare 'legacy-cgi' to provide it",
        id="cgi",
    ),
    pytest.param(
        "import imp\n",
        "3.14",
        "'imp' is not in the standard library of Python 3.14 (removed in 3.12); "
        "declare 'zombie-imp' to provide it",
        id="imp, removed before the target",
    ),
    pytest.param(
        "import tomllib\n",
        "3.10",
        "'tomllib' is not in the standard library of Python 3.10 (added in 3.11); "
        "guard it with sys.version_info or use 'tomli'",
        id="tomllib before 3.11",
    ),
]


@pytest.mark.parametrize(("source", "version", "message"), FIRING)
def test_req004_fires(tmp_path, run_flake8, source, version, message):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": source})
    result = run_flake8(project, "--select=REQ0", f"--reqs-python-version={version}")
    assert (result.out, result.exit_code) == ([f"./app.py:1:1: REQ004 {message}"], 1)


@pytest.mark.parametrize(
    ("requires_python", "fires"),
    [
        pytest.param(">=3.10", True, id="lowest allowed is 3.10"),
        pytest.param(">=3.11", False, id="lowest allowed is 3.11"),
        pytest.param(">3.10,<4", True, id="exclusive bound still allows 3.10.x"),
    ],
)
def test_req004_target_comes_from_requires_python(tmp_path, run_flake8, requires_python, fires):
    pyproject = (
        f"[project]\nname = 'x'\nversion = '1'\nrequires-python = '{requires_python}'\n"
        "dependencies = ['flask']\n"
    )
    project = make_project(tmp_path, {"pyproject.toml": pyproject, "app.py": "import tomllib\n"})
    result = run_flake8(project, "--select=REQ0")
    assert (result.exit_code == 1) is fires
