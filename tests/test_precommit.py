"""The pre-commit hook, run by the real ``pre-commit try-repo`` from a copy of this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_project

pytest.importorskip("pre_commit")
pytestmark = pytest.mark.slow

HOOK_ARGS = ("flake8-reqs", "--all-files")
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


def try_repo(project: Path, hook_repository) -> tuple[int, str]:
    repository, env = hook_repository
    git(project, env, "add", "--all")
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repository), *HOOK_ARGS],
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


def hook_report(output: str) -> tuple[str, list[str]]:
    """The hook's status word (``flake8-reqs....Failed``) and flake8's lines for app.py."""
    lines = output.splitlines()
    status = [line.rpartition(".")[2] for line in lines if line.startswith("flake8-reqs...")]
    return " ".join(status), [line for line in lines if line.startswith("app.py:")]
