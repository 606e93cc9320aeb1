"""The pre-commit hook, run by the real ``pre-commit try-repo`` from a copy of this repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_project

pytest.importorskip("pre_commit")
pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parent.parent
# What a clone would not hold: virtualenvs, caches, build output (bench/.cache is gigabytes).
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv*",
    ".cache",
    "*_cache",
    ".hypothesis",
    "__pycache__",
    "build",
    "dist",
    "*.egg-info",
)


def git_environment(home: Path) -> dict[str, str]:
    """No user or system git configuration, and an identity for the commits made here."""
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "flake8-reqs tests",
        "GIT_AUTHOR_EMAIL": "tests@flake8-reqs.invalid",
        "GIT_COMMITTER_NAME": "flake8-reqs tests",
        "GIT_COMMITTER_EMAIL": "tests@flake8-reqs.invalid",
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"),
        "PRE_COMMIT_COLOR": "never",
    }


def git(folder: Path, env: dict[str, str], *args: str) -> None:
    git_path = shutil.which("git")
    assert git_path is not None, "pre-commit needs git, which is not on PATH"
    completed = subprocess.run(
        [git_path, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"git {' '.join(args)} failed:\n{completed.stderr}"


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory):
    """A committed copy of this working tree, made once for the module.

    try-repo builds the hook's environment in a temporary store of its own on every run
    (PRE_COMMIT_HOME only keeps anything else pre-commit writes out of the user's home), so
    the test runs it twice and no more."""
    base = tmp_path_factory.mktemp("precommit")
    env = git_environment(base)
    copy = base / "flake8-reqs"
    shutil.copytree(REPOSITORY, copy, ignore=NOT_COPIED)
    git(copy, env, "init", "--quiet")
    git(copy, env, "add", "--all")
    git(copy, env, "commit", "--quiet", "--message", "snapshot for try-repo")
    return copy, env


def try_repo(project: Path, hook_repository, *hook_args: str) -> tuple[int, str]:
    """``pre-commit try-repo`` of ``hook_args`` (default: the plugin hook on every file)."""
    hook_args = hook_args or ("flake8-reqs", "--all-files")
    repository, env = hook_repository
    git(project, env, "add", "--all")
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repository), *hook_args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr


def test_hook_fails_on_an_undeclared_import_and_passes_once_it_is_declared(
    tmp_path, hook_repository
):
    project = make_project(
        tmp_path / "project",
        {"requirements.txt": "flask\n", "app.py": "import flask\nimport yaml\n"},
    )
    git(project, hook_repository[1], "init", "--quiet")

    status, output = try_repo(project, hook_repository)
    assert "An unexpected error has occurred" not in output, output  # e.g. pip failed
    assert status == 1, output
    assert hook_report(output) == (
        "Failed",
        [
            "app.py:2:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
            "(requirements.txt); it is provided by 'pyyaml'"
        ],
    ), output

    (project / "requirements.txt").write_text("flask\npyyaml\n", encoding="utf-8")
    status, output = try_repo(project, hook_repository)
    assert status == 0, output
    assert hook_report(output) == ("Passed", []), output


def hook_report(output: str, name: str = "flake8-reqs") -> tuple[str, list[str]]:
    """The hook's status word (``flake8-reqs....Failed``) and its lines about app.py."""
    lines = output.splitlines()
    status = [
        line.rpartition(")")[2].rpartition(".")[2]  # "....(no files to check)Skipped"
        for line in lines
        if line.startswith(f"{name}...") or line.startswith(f"{name} (whole project)...")
    ]
    return " ".join(status), [line for line in lines if line.startswith("app.py:")]


def test_a_commit_that_only_trims_the_requirements_is_blocked(tmp_path, hook_repository):
    """The seed's story: requirements-prod.txt trimmed, no Python file changed."""
    env = hook_repository[1]
    project = make_project(
        tmp_path / "project",
        {"requirements.txt": "flask\npyyaml\n", "app.py": "import flask\nimport yaml\n"},
    )
    git(project, env, "init", "--quiet")
    git(project, env, "add", "--all")
    git(project, env, "commit", "--quiet", "--message", "the app")
    (project / "requirements.txt").write_text("flask\n", encoding="utf-8")

    status, output = try_repo(project, hook_repository, "flake8-reqs")
    assert "An unexpected error has occurred" not in output, output
    assert (status, hook_report(output)) == (0, ("Skipped", [])), output

    status, output = try_repo(project, hook_repository, "flake8-reqs-project")
    assert status == 1, output
    assert hook_report(output, "flake8-reqs") == (
        "Failed",
        [
            "app.py:2:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
            "(requirements.txt); it is provided by 'pyyaml'"
        ],
    ), output


def test_the_hook_fails_where_no_requirement_source_is_found(tmp_path, hook_repository):
    project = make_project(tmp_path / "project", {"app.py": "import yaml\n"})
    git(project, hook_repository[1], "init", "--quiet")
    status, output = try_repo(project, hook_repository)
    assert status == 1, output
    assert hook_report(output)[0] == "Failed", output
    assert "- exit code: 2" in output, output
    assert "a runtime requirement source is required here" in output, output


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        pytest.param("Procfile", True, id="Procfile"),
        pytest.param("deploy/docker-compose.prod.yml", True, id="a compose file"),
        pytest.param("compose.yaml", True, id="compose.yaml"),
        pytest.param("gunicorn.conf.py", True, id="gunicorn's configuration"),
        pytest.param("docs/compose.md", False, id="not a compose file"),
        pytest.param("Procfile.md", False, id="not a Procfile"),
    ],
)
def test_the_project_hook_runs_when_a_start_command_changes(path, runs):
    text = (REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pattern = re.search(r"^  files: '(.*)'$", text, re.M)
    assert pattern is not None
    assert bool(re.search(pattern[1], path)) is runs
