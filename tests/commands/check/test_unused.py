"""REQ201 leaves alone what another declared distribution needs, and what is not pip's to
remove: pins marked ``# via``, lock-file dependencies, conda packages, Dockerfile installs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import locks
from tests.conftest import Result, make_project, without_target


@pytest.fixture
def check(tmp_path, monkeypatch, capsys):
    from flake8_reqs.commands.cli import main

    def run(project: Path, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        code = main(["check", f"--cache-dir={tmp_path / '_cache'}", "-j1", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), without_target(captured.err.splitlines()))

    return run


QUIET = [
    pytest.param(
        {"requirements.txt": locks.COMPILED},
        "import sympy\nimport requests\n",
        (),
        id="pip-compile: pins marked '# via sympy' or '# via requests'",
    ),
    pytest.param(
        {
            "requirements.txt": locks.UV_EXPORT,
            "pyproject.toml": locks.UV_PYPROJECT,
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
        },
        "import sympy\nimport requests\n",
        (),
        id="uv export: pins marked '# via'",
    ),
    pytest.param(
        {
            "pyproject.toml": locks.UV_PYPROJECT.replace('"sympy"]', '"sympy", "mpmath"]'),
            "uv.lock": locks.UV_LOCK,
        },
        "import sympy\nimport requests\n",
        (),
        id="uv.lock: sympy depends on the declared mpmath",
    ),
    pytest.param(
        {"environment.yml": "dependencies:\n  - ffmpeg-python\n  - cudnn\n  - pip:\n    - flask\n"},
        "import flask\n",
        (),
        id="what conda installs",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt awscli\n",
        },
        "import flask\n",
        (),
        id="a distribution the Dockerfile installs by name",
    ),
]
REPORTED = [
    pytest.param(
        {"requirements.txt": locks.COMPILED},
        "import sympy\n",
        ["requirements.txt:11:1: REQ201 'requests' is declared but never imported"],
        id="pip-compile: a pin the input asks for",
    ),
    pytest.param(
        {
            "requirements.txt": locks.UV_EXPORT,
            "pyproject.toml": locks.UV_PYPROJECT,
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
        },
        "import sympy\nimport mpmath\n",
        ["requirements.txt:10:1: REQ201 'requests' is declared but never imported"],
        id="uv export: 'via app' is the project asking for it",
    ),
    pytest.param(
        {"pyproject.toml": locks.UV_PYPROJECT, "uv.lock": locks.UV_LOCK},
        "import requests\n",
        ["pyproject.toml:4:1: REQ201 'sympy' is declared but never imported"],
        id="uv.lock: nothing declared depends on sympy",
    ),
    pytest.param(
        {"environment.yml": "dependencies:\n  - numpy\n  - pip:\n    - flask\n    - requests\n"},
        "import flask\n",
        ["environment.yml:5:1: REQ201 'requests' is declared but never imported"],
        id="a pip line of an environment.yml",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\nrequests\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt awscli\n",
        },
        "import flask\n",
        [
            "requirements.txt:2:1: REQ201 'requests' is declared but never imported",
        ],
        id="a requirements file the Dockerfile installs",
    ),
]


@pytest.mark.parametrize(("files", "source", "args"), QUIET)
def test_req201_quiet(check, tmp_path, files, source, args):
    project = make_project(tmp_path / "p", {**files, "app.py": source})
    result = check(project, "--select=REQ201", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


@pytest.mark.parametrize(("files", "source", "expected"), REPORTED)
def test_req201_still_reports(check, tmp_path, files, source, expected):
    project = make_project(tmp_path / "p", {**files, "app.py": source})
    result = check(project, "--select=REQ201")
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])
