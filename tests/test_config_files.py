"""Our options from each file flake8 reads its configuration from, by each way it is run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import UNKNOWN_TARGET, Result, make_project, run_cli

INI = """\
    [flake8]
    reqs-file = requirements-prod.txt
    reqs-module-map = acme-sdk=acme
    reqs-local-modules = generated
    """

CONFIGS = [
    pytest.param("setup.cfg", INI, id="setup.cfg"),
    pytest.param("tox.ini", INI, id="tox.ini"),
    pytest.param(".flake8", INI, id=".flake8"),
    pytest.param(
        "pyproject.toml",
        """\
        [tool.flake8]
        reqs-file = ["requirements-prod.txt"]
        reqs-module-map = { acme-sdk = ["acme"] }
        reqs-local-modules = ["generated"]
        """,
        id="pyproject.toml with Flake8-pyproject, TOML lists and a table",
    ),
    pytest.param(
        "pyproject.toml",
        """\
        [tool.flake8]
        reqs-file = "requirements-prod.txt"
        reqs-module-map = "acme-sdk=acme"
        reqs-local-modules = "generated"
        """,
        id="pyproject.toml with Flake8-pyproject, values written as in an ini file",
    ),
]

FILES = {
    # The default source declares 'magic' and nothing else: each option changes a line.
    "requirements.txt": "python-magic\n",
    "requirements-prod.txt": "acme-sdk\n",
    "app.py": "import acme\nimport generated\nimport magic\n",
}

CONFIGURED = [
    "app.py:3:1: REQ001 'magic' is imported but not declared as a runtime requirement "
    "(requirements-prod.txt); it is provided by 'python-magic'"
]


def run_check(project, *args: str) -> Result:
    """``flake8-reqs check`` in a subprocess, as a shell would run it."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache", "-j1", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    return Result(
        completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()
    )


def test_without_configuration_the_default_source_is_used(tmp_path, run_flake8):
    result = run_flake8(make_project(tmp_path, FILES), "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'acme' is imported but not declared as a runtime requirement "
        "(requirements.txt)",
        "./app.py:2:1: REQ001 'generated' is imported but not declared as a runtime "
        "requirement (requirements.txt)",
    ]
    assert (result.exit_code, result.err) == (1, [])


@pytest.mark.parametrize(("config", "text"), CONFIGS)
def test_options_from_the_config_file_in_flake8(tmp_path, run_flake8, config, text):
    project = make_project(tmp_path, {**FILES, config: text})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == ["./" + line for line in CONFIGURED]
    assert (result.exit_code, result.err) == (1, [])


@pytest.mark.parametrize(("config", "text"), CONFIGS)
def test_options_from_the_config_file_in_a_shell(tmp_path, config, text):
    project = make_project(tmp_path, {**FILES, config: text})
    result = run_cli(project, "--select=REQ0", "--jobs=1")
    assert (result.exit_code, result.out, result.err) == (1, ["./" + CONFIGURED[0]], [])


@pytest.mark.parametrize(("config", "text"), CONFIGS)
def test_options_from_the_config_file_in_check(tmp_path, config, text):
    project = make_project(tmp_path, {**FILES, config: text})
    result = run_check(project, "--select=REQ0")
    assert (result.exit_code, result.out, result.err) == (1, CONFIGURED, [UNKNOWN_TARGET])


@pytest.mark.parametrize(
    ("config", "text"),
    [
        pytest.param("setup.cfg", INI, id="setup.cfg"),
        pytest.param("pyproject.toml", CONFIGS[3].values[1], id="pyproject.toml"),
    ],
)
def test_command_line_wins_over_the_config_file(tmp_path, run_flake8, config, text):
    project = make_project(tmp_path, {**FILES, config: text})
    result = run_flake8(
        project, "--select=REQ0", "--reqs-file=requirements.txt", "--reqs-local-modules=acme"
    )
    assert result.out == [
        "./app.py:2:1: REQ001 'generated' is imported but not declared as a runtime "
        "requirement (requirements.txt)",
    ]
    assert (result.exit_code, result.err) == (1, [])


def test_paths_in_a_toml_config_named_from_elsewhere_are_relative_to_it(tmp_path):
    # `--toml-config` (Flake8-pyproject) names the file; its paths are relative to its folder,
    # as those of an ini file are, not to the working directory.
    config = str(CONFIGS[3].values[1])
    project = make_project(tmp_path / "project", {**FILES, "pyproject.toml": config})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli(
        elsewhere,
        "--select=REQ0",
        f"--toml-config={project / 'pyproject.toml'}",
        str(project / "app.py"),
    )
    assert result.out == [
        f"{project / 'app.py'}:3:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (requirements-prod.txt); "
        "it is provided by 'python-magic'"
    ]
    assert result.err == []
