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


PYPROJECT = "[project]\nname = 'x'\nversion = '1'\ndependencies = ['flask']\n"
PYPROJECT_310 = PYPROJECT + "requires-python = '>=3.10'\n"
PYPROJECT_311 = PYPROJECT + "requires-python = '>=3.11'\n"
TOMLLIB_ON_310 = (
    "./app.py:1:1: REQ004 'tomllib' is not in the standard library of Python 3.10 (added in "
    "3.11); guard it with sys.version_info or use 'tomli'"
)
FROM_WHAT_PRODUCTION_RUNS = [
    pytest.param({"Dockerfile": "FROM python:3.10-slim\n"}, id="the Dockerfile's base image"),
    pytest.param(
        {"Dockerfile": "ARG PYTHON_VERSION=3.10\nFROM python:${PYTHON_VERSION}-slim AS app\n"},
        id="an ARG default in the Dockerfile's FROM",
    ),
    pytest.param(
        {"Dockerfile": "FROM ubuntu:22.04\nRUN apt-get install -y python3 python3-pip\n"},
        id="the python3 an Ubuntu 22.04 stage installs",
    ),
    pytest.param({".python-version": "3.10\n"}, id=".python-version"),
    pytest.param({"runtime.txt": "python-3.10.14\n"}, id="runtime.txt"),
    pytest.param(
        {"Dockerfile": "FROM python:3.10-slim\n", "pyproject.toml": PYPROJECT_311},
        id="the image over requires-python",
    ),
]


@pytest.mark.parametrize("files", FROM_WHAT_PRODUCTION_RUNS)
def test_req004_target_comes_from_what_production_runs(tmp_path, run_flake8, files):
    files = {"requirements.txt": "flask\n", "app.py": "import tomllib\n", **files}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.out, result.exit_code) == ([TOMLLIB_ON_310], 1)


TOMLLIB = "import tomllib\n"
NOT_REPORTED = [
    pytest.param(
        {},
        (),
        "import tomllib\nimport distutils\nimport imp\n",
        id="nothing names the target: unknown, so neither added nor removed modules",
    ),
    pytest.param({"Dockerfile": "FROM node:20\n"}, (), TOMLLIB, id="an image without Python"),
    pytest.param({"Dockerfile": "FROM python:3.11-slim\n"}, (), TOMLLIB, id="the image has it"),
    pytest.param({".python-version": "3.12\n"}, (), TOMLLIB, id=".python-version has it"),
    pytest.param(
        {"Dockerfile": "FROM python:3.10-slim\n"},
        ("--reqs-python-version=3.11",),
        TOMLLIB,
        id="the option over the image",
    ),
    pytest.param(
        {".python-version": "3.11\n", "pyproject.toml": PYPROJECT_310},
        (),
        TOMLLIB,
        id=".python-version over requires-python",
    ),
]


@pytest.mark.parametrize(("files", "args", "source"), NOT_REPORTED)
def test_req004_silent_where_the_target_has_the_module(tmp_path, run_flake8, files, args, source):
    files = {"requirements.txt": "flask\n", "app.py": source, **files}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", *args)
    assert (result.out, result.exit_code) == ([], 0)
