"""The commands' help lists the flake8 options they pass on; option errors name flake8-reqs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Result, make_project

COMMANDS = ["check", "fix", "system", "verify"]
REQS_OPTIONS = [
    "--reqs-file PATH",
    "--reqs-dev-file PATH",
    "--reqs-dev-paths GLOBS",
    "--reqs-module-map MAP",
    "--reqs-local-modules NAMES",
    "--reqs-python-version X.Y",
    "--reqs-platform {linux,darwin,win32}",
    "--reqs-system-file PATH",
    "--reqs-docker-target STAGE",
    "--reqs-system-ok NAMES",
]


def flake8_reqs(project, *args: str) -> Result:
    """``python -m flake8_reqs`` in a subprocess, as a shell runs it."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    return Result(
        completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lists_every_reqs_option_the_paths_and_examples(tmp_path, command):
    result = flake8_reqs(tmp_path, command, "--help")
    assert result.exit_code == 0
    assert result.out[0] == f"usage: flake8-reqs {command} [options] [PATH ...]"
    text = "\n".join(result.out)
    for option in REQS_OPTIONS:
        assert f"  {option}" in text, option
    assert "  PATH                  files and folders to check (default: .)" in result.out
    assert "  --isolated            Ignore all configuration files." in result.out
    assert "examples:" in result.out
    assert f"  flake8-reqs {command}" in text


def test_help_takes_the_option_help_from_the_plugin(tmp_path):
    result = flake8_reqs(tmp_path, "check", "--help")
    start = result.out.index("  --reqs-docker-target STAGE")
    assert result.out[start + 1].strip() == "The Dockerfile stage that is shipped. Default: the"


@pytest.mark.parametrize(
    ("command", "typo", "message"),
    [
        pytest.param(
            "check",
            "--reqs-fiel=requirements.txt",
            "flake8-reqs check: error: unrecognised option --reqs-fiel; did you mean --reqs-file?",
            id="a reqs option",
        ),
        pytest.param(
            "check",
            "--formt=json",
            "flake8-reqs check: error: unrecognised option --formt; did you mean --format?",
            id="the command's own option",
        ),
        pytest.param(
            "system",
            "--selcet=REQ",
            "flake8-reqs system: error: unrecognised option --selcet; did you mean --select?",
            id="a flake8 option",
        ),
        pytest.param(
            "fix",
            "--zzzzzz",
            "flake8-reqs fix: error: unrecognised option --zzzzzz",
            id="nothing close",
        ),
    ],
)
def test_a_mistyped_option_names_flake8_reqs_and_the_closest_option(
    tmp_path, command, typo, message
):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "import flask\n"})
    result = flake8_reqs(project, command, typo)
    assert (result.exit_code, result.out, result.err) == (2, [], [message])


def test_an_invalid_pyproject_read_by_flake8_pyproject_is_one_line(tmp_path):
    # Flake8-pyproject (a test dependency) reads [tool.flake8] before any plugin runs.
    project = make_project(
        tmp_path,
        {"pyproject.toml": "[tool.flake8]\nselect = [\n", "app.py": "import os\n"},
    )
    result = flake8_reqs(project, "check")
    assert (result.exit_code, result.out) == (2, [])
    assert result.err == ["flake8-reqs: pyproject.toml:2: invalid TOML: Invalid value"]
