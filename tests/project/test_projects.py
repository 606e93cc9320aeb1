"""Each file belongs to its own project: monorepos through flake8's real command line.

Without --reqs-file, a file is judged by the nearest folder at or above it that holds a
pyproject.toml, setup.cfg, setup.py, Pipfile or requirements.txt: its requirement sources,
first-party names, target Python and system files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import age, make_project, run_cli

UNDECLARED = "REQ001 '{}' is imported but not declared as a runtime requirement ({})"
MONOREPO = {
    "setup.cfg": "[flake8]\nmax-line-length = 100\n",  # flake8's configuration only
    "services/api/requirements.txt": "flask\npython-magic\n",
    "services/api/app/__init__.py": "",
    "services/api/app/models.py": "",
    "services/api/app/main.py": "import flask\nfrom app import models\n",
    "services/worker/pyproject.toml": (
        "[project]\nname = 'worker'\nversion = '1'\ndependencies = ['celery']\n"
    ),
    "services/worker/src/worker/__init__.py": "",
    "services/worker/src/worker/tasks.py": "",
    "services/worker/src/worker/run.py": "import celery\nfrom worker import tasks\n",
}
NOTHING_AT_THE_ROOT = (
    "flake8-reqs: no runtime requirements found (looked for pyproject.toml, setup.cfg, "
    "setup.py, requirements.txt, Pipfile, environment.yml); nothing is checked"
)

SILENT = [
    pytest.param({}, id="each project's own requirements and first-party names"),
    pytest.param(
        {"services/api/app/jobs/nightly.py": "import flask\nimport app.models\n"},
        id="a folder without a marker belongs to the project above it",
    ),
    pytest.param(
        {
            "services/api/Dockerfile": (
                "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libmagic1\n"
            ),
            "services/api/app/files.py": "import magic\n",
        },
        id="a project's own Dockerfile",
    ),
    pytest.param(
        {"services/worker/tests/test_run.py": "import celery\nfrom worker import tasks\n"},
        id="a folder of tests below the project's src layout",
    ),
    pytest.param(
        {"services/worker/src/worker/shell.py": "import IPython\n"},
        id="--reqs-dev-file still applies to every file: a dev path",
    ),
]


@pytest.mark.parametrize("files", SILENT)
def test_monorepo_silent(tmp_path, run_flake8, files):
    project = make_project(tmp_path, {**MONOREPO, **files})
    args = ["--select=REQ"]
    if "shell.py" in str(files):
        make_project(tmp_path, {"dev.txt": "ipython\n"})
        args += ["--reqs-dev-file=dev.txt", "--reqs-dev-paths=*/shell.py"]
    result = run_flake8(project, *args)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


FIRING = [
    pytest.param(
        {"services/api/app/tasks.py": "import celery\n"},
        "./services/api/app/tasks.py:1:1: "
        + UNDECLARED.format("celery", "services/api/requirements.txt"),
        id="declared by another project of the repository only",
    ),
    pytest.param(
        {"services/worker/src/worker/web.py": "import flask\n"},
        "./services/worker/src/worker/web.py:1:1: "
        + UNDECLARED.format("flask", "services/worker/pyproject.toml"),
        id="a pyproject.toml project beside a requirements.txt one",
    ),
    pytest.param(
        {"services/api/app/jobs/nightly.py": "import celery\n"},
        "./services/api/app/jobs/nightly.py:1:1: "
        + UNDECLARED.format("celery", "services/api/requirements.txt"),
        id="the nearest project above a folder without a marker",
    ),
    pytest.param(
        {
            "services/api/Dockerfile": "FROM python:3.12-slim\n",
            "services/worker/Dockerfile": "FROM python:3.12\nRUN apt-get install -y libmagic1\n",
            "services/api/app/files.py": "import magic\n",
        },
        "./services/api/app/files.py:1:1: REQ101 'magic' (python-magic) needs the system "
        "library libmagic, which pip does not install: apt-get install libmagic1",
        id="another project's Dockerfile does not install for this one",
    ),
    pytest.param(
        {"services/worker/src/worker/web.py": "import app\n"},
        "./services/worker/src/worker/web.py:1:1: "
        + UNDECLARED.format("app", "services/worker/pyproject.toml"),
        id="another project's first-party names are not this one's",
    ),
    pytest.param(
        {
            "services/api/app/settings/loggers/setup.py": "import structlog\n",
            "services/api/app/settings/loggers/setup.cfg": "[tool:pytest]\n",
        },
        "./services/api/app/settings/loggers/setup.py:1:1: "
        + UNDECLARED.format("structlog", "services/api/requirements.txt"),
        id="a setup.py or setup.cfg in a folder below a package is no project of its own",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIRING)
def test_monorepo_firing(tmp_path, run_flake8, files, expected):
    project = make_project(tmp_path, {**MONOREPO, **files})
    result = run_flake8(project, "--select=REQ")
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


def test_a_project_without_requirements_is_said_once_and_the_others_are_checked(
    tmp_path, run_flake8
):
    files = {f"scripts/s{index}.py": "import magic\n" for index in range(3)}
    project = make_project(tmp_path, {**MONOREPO, **files, "services/api/app/x.py": "import yaml"})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        "./services/api/app/x.py:1:1: "
        + UNDECLARED.format("yaml", "services/api/requirements.txt")
        + "; it is provided by 'pyyaml'"
    ]
    assert result.err == [NOTHING_AT_THE_ROOT]


def test_a_pipfile_marks_a_project_of_its_own(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "legacy/Pipfile": "[packages]\nrequests = '*'\n",
            "legacy/job.py": "import requests\nimport flask\n",
            "app.py": "import flask\n",
        },
    )
    result = run_flake8(project, "--select=REQ0")
    # The Pipfile is legacy/'s runtime source: requests is declared there, flask is not.
    assert (result.exit_code, result.out, result.err) == (
        1,
        [
            "./legacy/job.py:2:1: REQ001 'flask' is imported but not declared as a runtime "
            "requirement (legacy/Pipfile)"
        ],
        [],
    )


def test_sources_are_named_from_the_working_directory(tmp_path, run_flake8):
    project = make_project(tmp_path, {**MONOREPO, "services/api/app/x.py": "import celery\n"})
    result = run_flake8(project / "services", "--select=REQ0")
    assert result.out == [
        "./api/app/x.py:1:1: " + UNDECLARED.format("celery", "api/requirements.txt")
    ]


def test_an_explicit_reqs_file_applies_to_every_file(tmp_path, run_flake8):
    project = make_project(tmp_path, {**MONOREPO, "requirements-prod.txt": "flask\n"})
    result = run_flake8(project, "--select=REQ0", "--reqs-file=requirements-prod.txt")
    assert result.out == [
        "./services/api/app/main.py:2:1: " + UNDECLARED.format("app", "requirements-prod.txt"),
        "./services/worker/src/worker/run.py:1:1: "
        + UNDECLARED.format("celery", "requirements-prod.txt"),
        "./services/worker/src/worker/run.py:2:1: "
        + UNDECLARED.format("worker", "requirements-prod.txt"),
    ]


def test_a_missing_reqs_dev_file_stops_the_run(tmp_path):
    project = make_project(tmp_path, MONOREPO)
    result = run_cli(project, "--select=REQ0", "--reqs-dev-file=dev.txt")
    assert (result.exit_code, result.out, result.err) == (
        2,
        [],
        ["flake8-reqs: dev.txt: no such file"],
    )


def test_jobs_give_the_findings_of_one_process(tmp_path):
    files = {f"services/api/app/m{index}.py": "import celery\n" for index in range(6)}
    files |= {f"services/worker/src/worker/w{index}.py": "import flask\n" for index in range(6)}
    project = make_project(tmp_path, {**MONOREPO, **files})
    serial = run_cli(project, "--select=REQ0", "--jobs=1")
    parallel = run_cli(project, "--select=REQ0", "--jobs=2")
    assert len(serial.out) == 12
    assert (parallel.exit_code, sorted(parallel.out), parallel.err) == (1, sorted(serial.out), [])


# flake8 with its workers started by ``method``; a forked worker inherits the projects' states
# the main process built, a spawned one loads them (from the state cache) itself.
START_METHOD_DRIVER = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv.pop(1))\n"
    "from flake8.main.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_each_project_s_input_problem_is_reported_once_whatever_starts_the_workers(
    tmp_path, method
):
    files = {f"services/api/app/m{index}.py": "import magic\n" for index in range(20)}
    files |= {f"services/worker/src/worker/w{index}.py": "import magic\n" for index in range(20)}
    project = make_project(
        tmp_path / "p",
        {
            **MONOREPO,
            **files,
            "services/api/requirements.txt": "flask\nzzz>=\n",
            "services/worker/pyproject.toml": "[project]\nname = 'worker'\nversion = '1'\n"
            "dependencies = ['celery', 'flask>=']\n",
        },
    )
    completed = subprocess.run(
        [sys.executable, "-c", START_METHOD_DRIVER, method, "--select=REQ0", "--jobs=2"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(tmp_path / "c")},
    )
    assert (completed.returncode, len(completed.stdout.splitlines())) == (1, 40)
    assert sorted(completed.stderr.splitlines()) == [
        "flake8-reqs: services/api/requirements.txt:2: invalid requirement 'zzz>=': expected "
        "semicolon (after name with no version specifier) or end",
        "flake8-reqs: services/worker/pyproject.toml:4: invalid requirement 'flask>=': "
        "expected semicolon (after name with no version specifier) or end",
    ]


def states(cache: Path) -> list[Path]:
    return sorted((cache / "flake8-reqs" / "state").glob("project-*.json"))


@pytest.mark.parametrize("through", ["repo", "link"], ids=["as it is", "through a symlink"])
def test_an_editor_loads_only_the_state_of_the_file_s_own_project(tmp_path, through):
    project = make_project(tmp_path / "repo", MONOREPO)
    age(project)  # a state built from files changed this second is not stored (racy stamps)
    (tmp_path / "link").symlink_to(project, target_is_directory=True)
    cache = tmp_path / "cache"
    displayed = tmp_path / through / "services" / "worker" / "src" / "worker" / "run.py"
    environ = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(2):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "flake8",
                "--select=REQ0",
                f"--stdin-display-name={displayed}",
                "-",
            ],
            cwd=tmp_path,
            input="import celery\nimport flask\n",
            capture_output=True,
            text=True,
            check=False,
            env=environ,
        )
        assert completed.stdout.splitlines() == [
            f"{displayed}:2:1: " + UNDECLARED.format("flask", "pyproject.toml")
        ]
        assert completed.stderr == ""
        assert len(states(cache)) == 1  # the worker's; not the api's, not the root's
