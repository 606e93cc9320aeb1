"""A run that checked nothing fails where a person relies on it (pre-commit, CI, check) and
stays silent in an editor, where a project without requirements is normal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import make_project, run_cli

NOTHING_FOUND = (
    "flake8-reqs: no runtime requirements found (looked for pyproject.toml, setup.cfg, "
    "setup.py, requirements.txt, Pipfile, environment.yml); nothing is checked"
)
REQUIRED = (
    "flake8-reqs: a runtime requirement source is required here: name it with --reqs-file "
    "(or reqs-file in the flake8 configuration file)"
)
NO_SOURCES = {"app.py": "import yaml\n"}


@pytest.mark.parametrize(
    ("files", "args"),
    [
        pytest.param(NO_SOURCES, ("--reqs-require-sources",), id="flag"),
        pytest.param(
            {**NO_SOURCES, "tox.ini": "[flake8]\nreqs-require-sources = true\n"},
            (),
            id="configuration file",
        ),
    ],
)
def test_required_sources_that_are_missing_fail_the_run(tmp_path, files, args):
    project = make_project(tmp_path, files)
    result = run_cli(project, "--select=REQ", *args, ".")
    assert (result.exit_code, result.out, result.err) == (2, [], [NOTHING_FOUND, REQUIRED])


def test_without_the_option_nothing_found_is_said_once_and_passes(tmp_path):
    project = make_project(tmp_path, NO_SOURCES)
    result = run_cli(project, "--select=REQ", ".")
    assert (result.exit_code, result.out, result.err) == (0, [], [NOTHING_FOUND])


def test_required_sources_that_are_there_check_as_usual(tmp_path):
    project = make_project(tmp_path, {**NO_SOURCES, "requirements.txt": "flask\n"})
    result = run_cli(project, "--select=REQ", "--reqs-require-sources", ".")
    assert result.exit_code == 1
    assert result.out == [
        "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(requirements.txt); it is provided by 'pyyaml'"
    ]


def test_an_editor_run_stays_silent_even_when_the_configuration_requires_sources(tmp_path):
    project = make_project(
        tmp_path, {**NO_SOURCES, "tox.ini": "[flake8]\nreqs-require-sources = true\n"}
    )
    result = run_cli(
        project, "--select=REQ", "--stdin-display-name=app.py", "-", stdin="import yaml\n"
    )
    assert (result.exit_code, result.out) == (0, [])


def test_check_with_no_source_exits_2(tmp_path):
    project = make_project(tmp_path, NO_SOURCES)
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert (completed.stdout, completed.stderr.splitlines()) == ("", [NOTHING_FOUND, REQUIRED])


# In a monorepo, a project without requirements is said on stderr; the run fails only when
# none of the projects of the files checked declares anything.
MONOREPO_SOURCES = {
    "services/api/requirements.txt": "flask\n",
    "services/api/app.py": "import flask\n",
    "scripts/setup.cfg": "[flake8]\n",
    "scripts/job.py": "import yaml\n",
}
SCRIPTS_NOTHING_FOUND = (
    "flake8-reqs: no runtime requirements found (looked for scripts/pyproject.toml, "
    "scripts/setup.cfg, scripts/setup.py, scripts/requirements.txt, scripts/Pipfile, "
    "scripts/environment.yml); nothing is checked"
)


@pytest.mark.parametrize("jobs", ["--jobs=1", "--jobs=2"])
def test_a_monorepo_with_one_project_without_requirements_passes(tmp_path, jobs):
    project = make_project(tmp_path, MONOREPO_SOURCES)
    result = run_cli(project, "--select=REQ", "--reqs-require-sources", jobs, ".")
    assert (result.exit_code, result.out, result.err) == (0, [], [SCRIPTS_NOTHING_FOUND])


@pytest.mark.parametrize("jobs", ["--jobs=1", "--jobs=2"])
def test_a_monorepo_where_no_project_declares_anything_fails(tmp_path, jobs):
    files = {**MONOREPO_SOURCES, "services/api/requirements.txt": "# nothing yet\n"}
    project = make_project(tmp_path, files)
    result = run_cli(project, "--select=REQ", "--reqs-require-sources", jobs, ".")
    assert result.exit_code == 2
    assert sorted(result.err) == sorted(
        [
            SCRIPTS_NOTHING_FOUND,
            "flake8-reqs: no runtime requirements found (looked for "
            "services/api/pyproject.toml, services/api/setup.cfg, services/api/setup.py, "
            "services/api/requirements.txt, services/api/Pipfile, services/api/environment.yml); "
            "nothing is checked",
            REQUIRED,
        ]
    )


def test_check_in_a_monorepo_fails_only_when_no_project_declares_anything(tmp_path):
    project = make_project(tmp_path, MONOREPO_SOURCES)
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (0, "")
    assert completed.stderr.splitlines() == [
        SCRIPTS_NOTHING_FOUND,
        "flake8-reqs: project services/api: target Python unknown: name it with "
        "--reqs-python-version, a Dockerfile, runtime.txt, .python-version or requires-python; "
        "until then every sys.version_info branch is checked and REQ004 is off",
    ]
