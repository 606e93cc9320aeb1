"""Secrets stay secret, and nothing outside the project is quoted (SECURITY.md): a token
from the environment is never printed or stored, and a stray ``-r`` to a file outside the
project names it without quoting it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import age, make_project, run_cli

TOKEN = "ghp_n0tAr3alT0kenButL0ng3n0ughT0Find"
SECRETS = {"GH_TOKEN": TOKEN, "PIP_PASSWORD": "hunter2-" + TOKEN[::-1]}


def _everything_written(cache: Path, *outputs: list[str]) -> str:
    """What a user could see or find afterwards: the output, and every cache file."""
    files = [path.read_bytes().decode("utf-8", "replace") for path in cache.rglob("*.json")]
    assert files, "the runs kept nothing in the cache: the test would prove nothing"
    return "\n".join([*files, *(line for lines in outputs for line in lines)])


def _check(project: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--cache-dir", str(cache), "-j1"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **SECRETS, "PYTHONDONTWRITEBYTECODE": "1"},
    )


LINES = [
    pytest.param(
        "-e git+https://${GH_TOKEN}@github.com/org/tool.git\n",
        "requirements.txt:2: cannot tell the name of the editable project at "
        "'git+https://****@github.com/org/tool.git'; add '#egg=name' to the URL",
        id="a token in an editable URL: hidden as pip hides it",
    ),
    pytest.param(
        "https://user:${PIP_PASSWORD}@pypi.example.com/simple/tool\n",
        "requirements.txt:2: cannot tell the name of the distribution at "
        "'https://user:****@pypi.example.com/simple/tool'; add '#egg=name' to the URL",
        id="a password in a URL: the user is shown, the password hidden",
    ),
    pytest.param(
        "tool @ https://files.example.com/tool.whl?token=${GH_TOKEN} ; os_name ==\n",
        "requirements.txt:2: invalid requirement "
        "'tool @ https://files.example.com/tool.whl?token=${GH_TOKEN} ; os_name ==': "
        "expected a marker variable or quoted string",
        id="a token in a query: the variable is shown, not its value",
    ),
    pytest.param(
        "tool @ https://${GH_TOKEN}@files.example.com/tool-1.0-py3-none-any.whl\n",
        None,
        id="a valid requirement with a token: stored without it",
    ),
]


@pytest.mark.parametrize(("line", "expected"), LINES)
def test_a_secret_from_the_environment_is_never_printed_or_stored(tmp_path, line, expected):
    files = {"requirements.txt": "flask\n" + line, "app.py": "import flask\nimport tool\n"}
    project = make_project(tmp_path / "project", files)
    age(project)
    cache = tmp_path / "cache"
    flake8 = run_cli(
        project, "--select=REQ", "app.py", env={**SECRETS, "XDG_CACHE_HOME": str(cache)}
    )
    check = _check(project, cache)
    note = [f"flake8-reqs: {expected}"] if expected else []
    assert flake8.err == note
    assert check.stderr.splitlines() == note
    seen = _everything_written(cache, flake8.out, flake8.err, [check.stdout, check.stderr])
    assert TOKEN not in seen
    assert TOKEN[::-1] not in seen
    assert TOKEN.lower() not in seen  # nor normalised, as a distribution name would be


def test_a_variable_in_an_include_is_shown_as_written(tmp_path):
    """(The cache keeps the path it names, expanded, to watch for the file: SECURITY.md.)"""
    files = {"requirements.txt": "flask\n-r ${GH_TOKEN}/base.txt\n", "app.py": "import flask\n"}
    result = run_cli(make_project(tmp_path, files), "--select=REQ", "app.py", env=SECRETS)
    assert result.err == [
        "flake8-reqs: requirements.txt:2: -r target '${GH_TOKEN}/base.txt' not found"
    ]


def test_a_literal_token_in_a_requirement_url_is_hidden_as_pip_hides_it(tmp_path):
    files = {
        "requirements.txt": f"flask\n-e git+https://{TOKEN}@github.com/org/tool.git\n",
        "app.py": "import flask\n",
    }
    result = run_cli(make_project(tmp_path, files), "--select=REQ", "app.py")
    assert result.err == [
        "flake8-reqs: requirements.txt:2: cannot tell the name of the editable project at "
        "'git+https://****@github.com/org/tool.git'; add '#egg=name' to the URL"
    ]


CREDENTIALS = f"[default]\naws_access_key_id = AKIA{TOKEN[:12]}\naws_secret = {TOKEN}\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"credentials": CREDENTIALS},
            [
                "flake8-reqs: requirements.txt:2: -r target '../credentials' is outside the "
                "project and has 3 lines that are not requirements; its lines are not shown, "
                "and it declares nothing"
            ],
            id="a credentials file: named, not quoted, declares nothing",
        ),
        pytest.param(
            {"credentials": f"{TOKEN}\n-r {TOKEN}.txt\n"},
            [
                "flake8-reqs: requirements.txt:2: -r target '../credentials' is outside the "
                "project and has 1 line that is not a requirement; its lines are not shown, "
                "and it declares nothing"
            ],
            id="a token file whose first line is a valid name: not declared either",
        ),
        pytest.param(
            {"shared/base.txt": "zzlost\n"},
            [],
            id="a shared requirements file outside the project: read as before",
        ),
    ],
)
def test_an_include_outside_the_project_is_named_never_quoted(tmp_path, files, expected):
    make_project(tmp_path, files)
    target = next(iter(files))
    project = make_project(
        tmp_path / "project",
        {"requirements.txt": f"flask\n-r ../{target}\n", "app.py": "import flask\nimport zzlost\n"},
    )
    result = run_cli(project, "--select=REQ", "app.py")
    assert result.err == expected
    assert TOKEN not in "\n".join(result.out + result.err)
    undeclared = (
        "app.py:2:1: REQ001 'zzlost' is imported but not declared as a runtime requirement "
        "(requirements.txt)"
    )
    assert result.out == ([] if target == "shared/base.txt" else [undeclared])


def test_an_include_outside_the_project_but_inside_its_repository_is_quoted(tmp_path):
    make_project(tmp_path, {".git/HEAD": "ref: refs/heads/main\n", "common/base.txt": "flask>=\n"})
    project = make_project(
        tmp_path / "services" / "api",
        {"requirements.txt": "-r ../../common/base.txt\nrequests\n", "app.py": "import requests\n"},
    )
    result = run_cli(project, "--select=REQ", "app.py")
    assert result.err == [
        "flake8-reqs: ../../common/base.txt:1: invalid requirement 'flask>=': expected "
        "semicolon (after name with no version specifier) or end"
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "pyproject.toml": (
                    '[project]\nname = "app"\nversion = "1"\ndynamic = ["dependencies"]\n'
                    '[tool.setuptools.dynamic]\ndependencies = {file = ["../credentials"]}\n'
                )
            },
            "pyproject.toml:6: [tool.setuptools.dynamic.dependencies].file names "
            "'../credentials', outside the project's folder; setuptools reads only files "
            "inside it",
            id="pyproject.toml",
        ),
        pytest.param(
            {"setup.cfg": "[options]\ninstall_requires = file: ../credentials\n"},
            "setup.cfg:2: [options] install_requires names '../credentials', outside the "
            "project's folder; setuptools reads only files inside it",
            id="setup.cfg",
        ),
    ],
)
def test_a_setuptools_file_outside_the_project_is_not_read(tmp_path, files, expected):
    make_project(tmp_path, {"credentials": CREDENTIALS})
    project = make_project(tmp_path / "project", {**files, "app.py": "import flask\n"})
    result = run_cli(project, "--select=REQ", "app.py")
    assert expected in [line.removeprefix("flake8-reqs: ") for line in result.err]
    assert TOKEN not in "\n".join(result.out + result.err)
