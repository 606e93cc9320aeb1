"""Editors: stdin with --stdin-display-name reads the displayed file's project configuration."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from flake8.options.manager import OptionManager

from flake8_reqs.plugin import Plugin
from flake8_reqs.project.editor_config import PATH_OPTIONS, VALUE_DEFAULTS, project_options
from tests.conftest import make_project, run_cli

BUFFER = "import flask\nimport generated\nimport magic\n"
INI = "[flake8]\nreqs-file = requirements-prod.txt\nreqs-local-modules = generated\n"
PROJECT = {
    # The default source declares 'magic': only the configured reqs-file leaves it undeclared.
    "requirements.txt": "python-magic\n",
    "requirements-prod.txt": "flask\n",
    "src/app.py": "",
}


def undeclared(module: str, source: str, provider: str | None = None) -> str:
    message = f"REQ001 '{module}' is imported but not declared as a runtime requirement ({source})"
    return message + (f"; it is provided by '{provider}'" if provider else "")


@pytest.fixture
def elsewhere(tmp_path):
    """The editor's working directory: not the project, nor inside it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def edit(elsewhere: Path, display: str, *args: str):
    return run_cli(
        elsewhere, "--select=REQ0", *args, f"--stdin-display-name={display}", "-", stdin=BUFFER
    )


@pytest.mark.parametrize(
    ("config", "text"),
    [
        pytest.param("setup.cfg", INI, id="setup.cfg"),
        pytest.param("tox.ini", INI, id="tox.ini"),
        pytest.param(".flake8", INI, id=".flake8"),
        pytest.param(
            "pyproject.toml",
            '[tool.flake8]\nreqs-file = ["requirements-prod.txt"]\n'
            'reqs-local-modules = ["generated"]\n',
            id="pyproject.toml with Flake8-pyproject",
        ),
    ],
)
@pytest.mark.parametrize("absolute", [True, False], ids=["absolute name", "relative name"])
def test_config_is_found_from_the_displayed_file(tmp_path, elsewhere, config, text, absolute):
    project = make_project(tmp_path / "project", {**PROJECT, config: text})
    display = project / "src" / "app.py"
    shown = str(display) if absolute else os.path.relpath(display, elsewhere)
    result = edit(elsewhere, shown)
    source = "requirements-prod.txt"  # named from the project's root, as in a run there
    assert result.out == [f"{shown}:3:1: " + undeclared("magic", source, "python-magic")]
    assert (result.exit_code, result.err) == (1, [])


def test_config_without_a_flake8_section_is_passed_over(tmp_path, elsewhere):
    project = make_project(
        tmp_path / "project",
        {**PROJECT, "setup.cfg": INI, "src/tox.ini": "[tox]\nenvlist = py312\n"},
    )
    result = edit(elsewhere, str(project / "src" / "app.py"))
    source = "requirements-prod.txt"  # named from the project's root, as in a run there
    assert result.out == [
        f"{project / 'src' / 'app.py'}:3:1: " + undeclared("magic", source, "python-magic")
    ]


def test_project_config_wins_over_the_working_directorys(tmp_path, elsewhere):
    make_project(
        elsewhere,
        {"setup.cfg": "[flake8]\nreqs-file = missing.txt\nreqs-local-modules = magic\n"},
    )
    project = make_project(tmp_path / "project", {**PROJECT, "setup.cfg": INI})
    result = edit(elsewhere, str(project / "src" / "app.py"))
    source = "requirements-prod.txt"  # named from the project's root, as in a run there
    assert result.out == [
        f"{project / 'src' / 'app.py'}:3:1: " + undeclared("magic", source, "python-magic")
    ]
    assert (result.exit_code, result.err) == (1, [])


def test_command_line_wins_over_the_project_config(tmp_path, elsewhere):
    project = make_project(tmp_path / "project", {**PROJECT, "setup.cfg": INI})
    requirements = os.path.relpath(project / "requirements.txt", elsewhere)
    result = edit(
        elsewhere,
        str(project / "src" / "app.py"),
        f"--reqs-file={requirements}",
        "--reqs-local-modules=flask",
    )
    assert result.out == [
        f"{project / 'src' / 'app.py'}:2:1: " + undeclared("generated", "requirements.txt")
    ]
    assert (result.exit_code, result.err) == (1, [])


def test_nested_project_config_wins_over_the_outer_one(tmp_path):
    outer = make_project(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nreqs-file = requirements.txt\n",
            "requirements.txt": "python-magic\n",
            "services/api/setup.cfg": INI,
            "services/api/requirements-prod.txt": "flask\n",
        },
    )
    result = edit(outer, "services/api/app.py")
    assert result.out == [
        "services/api/app.py:3:1: "
        + undeclared("magic", "services/api/requirements-prod.txt", "python-magic")
    ]


def test_run_inside_the_project_names_the_source_from_the_project_root(tmp_path):
    project = make_project(tmp_path, {**PROJECT, "setup.cfg": INI})
    result = edit(project / "src", "app.py")
    assert result.out == [
        "app.py:3:1: " + undeclared("magic", "requirements-prod.txt", "python-magic")
    ]


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"filenames": ["src/app.py"]}, id="files, not stdin"),
        pytest.param({"filenames": ["-"], "stdin_display_name": "stdin"}, id="no display name"),
        pytest.param({"config": "ci.cfg"}, id="--config"),
        pytest.param({"isolated": True}, id="--isolated"),
        pytest.param({"toml_config": "ci.toml"}, id="--toml-config"),
    ],
)
def test_other_runs_are_left_as_flake8_made_them(tmp_path, options):
    project = make_project(tmp_path / "project", {**PROJECT, "setup.cfg": INI})
    namespace = argparse.Namespace(
        **{
            "filenames": ["-"],
            "stdin_display_name": str(project / "src" / "app.py"),
            "reqs_file": None,
            **options,
        }
    )
    assert project_options(namespace, tmp_path) == (namespace, None)


def test_defaults_are_flake8s():
    manager = OptionManager(version="0", plugin_versions="", parents=[], formatter_names=[])
    Plugin.add_options(manager)
    defaults = vars(manager.parse_args([]))
    ours = {name: defaults[name.replace("-", "_")] for name in (*PATH_OPTIONS, *VALUE_DEFAULTS)}
    assert ours == {**dict.fromkeys(PATH_OPTIONS), **VALUE_DEFAULTS}


BROKEN_CONFIGS = [
    pytest.param(
        "setup.cfg",
        "[flake8]\nreqs-file = requirements-prod.txt\nreqs-file = requirements.txt\n",
        ":3: option 'reqs-file' appears twice in section [flake8]",
        id="an option twice",
    ),
    pytest.param(
        "tox.ini",
        "[flake8]\nreqs-file = a\n[flake8]\n",
        ":3: section [flake8] appears twice",
        id="a section twice",
    ),
    pytest.param(
        ".flake8",
        "[flake8]\n= nothing\n",
        ":2: line is not a [section] header, a 'name = value' option or a continuation",
        id="a line configparser cannot parse",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.flake8]\nreqs-file = ["requirements-prod.txt"\n',
        ":2: invalid TOML: Unclosed array",
        id="pyproject.toml that is not TOML",
    ),
    pytest.param("setup.cfg", b"[flake8]\n# caf\xe9\n", ": is not valid UTF-8 text", id="latin-1"),
]


@pytest.mark.parametrize(("config", "text", "error"), BROKEN_CONFIGS)
def test_a_broken_config_file_is_one_line_and_stops_the_run(
    tmp_path, elsewhere, config, text, error
):
    # Was a configparser traceback. flake8 itself stops on such a file, run from its folder.
    project = make_project(tmp_path / "project", {**PROJECT, config: text})
    result = edit(elsewhere, str(project / "src" / "app.py"))
    assert (result.exit_code, result.out) == (2, [])
    assert result.err == [f"flake8-reqs: {project / config}{error}"]


def test_a_displayed_file_in_a_symlink_loop_is_checked_from_the_folders_above(tmp_path, elsewhere):
    # Was a RuntimeError traceback (Path.resolve: "Symlink loop").
    project = make_project(tmp_path / "project", PROJECT)
    os.symlink("loop", project / "loop")
    result = edit(elsewhere, str(project / "loop" / "app.py"))
    assert result.out == [
        f"{project / 'loop' / 'app.py'}:1:1: " + undeclared("flask", "requirements.txt"),
        f"{project / 'loop' / 'app.py'}:2:1: " + undeclared("generated", "requirements.txt"),
    ]
    assert (result.exit_code, result.err) == (1, [])


def test_the_search_from_the_displayed_file_ends_at_the_working_directory(tmp_path):
    """Above the working directory, flake8 has searched itself: an unparseable file there,
    which flake8 passes over, is not read again (and not reported)."""
    make_project(tmp_path, {".flake8": "[flake8]\n= nothing\n"})
    project = make_project(tmp_path / "project", PROJECT)
    result = edit(project, "src/app.py")
    assert result.out == [
        "src/app.py:1:1: " + undeclared("flask", "requirements.txt"),
        "src/app.py:2:1: " + undeclared("generated", "requirements.txt"),
    ]
    assert (result.exit_code, result.err) == (1, [])
