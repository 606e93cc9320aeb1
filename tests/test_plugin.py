"""The flake8 glue: options from the command line and config files, discovery, stdin, -j."""

from __future__ import annotations

import pytest

from tests.conftest import make_project, run_cli

UNDECLARED = (
    "REQ001 'magic' is imported but not declared as a runtime requirement ({}); "
    "it is provided by 'python-magic'"
)


def test_registered_with_flake8(tmp_path):
    result = run_cli(tmp_path, "--version")
    assert "flake8-reqs" in result.out[0]


@pytest.mark.parametrize(
    ("files", "source"),
    [
        pytest.param(
            {
                "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n",
                "requirements.txt": "python-magic\n",
            },
            "pyproject.toml",
            id="pyproject.toml first",
        ),
        pytest.param(
            {
                "pyproject.toml": "[build-system]\nrequires=['setuptools']\n",
                "setup.cfg": "[options]\ninstall_requires =\n    flask\n",
                "requirements.txt": "python-magic\n",
            },
            "setup.cfg",
            id="pyproject.toml without dependencies is passed over",
        ),
        pytest.param(
            {"setup.py": "from setuptools import setup\nsetup(install_requires=['flask'])\n"},
            "setup.py",
            id="setup.py",
        ),
        pytest.param({"requirements.txt": "flask\n"}, "requirements.txt", id="requirements.txt"),
    ],
)
def test_default_source_is_found_in_the_project_root(tmp_path, run_flake8, files, source):
    project = make_project(tmp_path, {**files, "src/app.py": "import magic\n"})
    result = run_flake8(project / "src", "--select=REQ0")
    assert result.out == ["./app.py:1:1: " + UNDECLARED.format("../" + source)]


def test_nothing_declared_reports_nothing_and_says_so_once(tmp_path, run_flake8):
    project = make_project(tmp_path, {"setup.cfg": "[flake8]\n", "a.py": "import magic\n"})
    result = run_flake8(project, "--select=REQ0")
    assert (result.exit_code, result.out) == (0, [])
    assert result.err == [
        "flake8-reqs: no runtime requirements found (looked for pyproject.toml, setup.cfg, "
        "setup.py, requirements.txt, Pipfile, environment.yml); nothing is checked"
    ]


def test_explicit_reqs_file_is_the_whole_runtime_set(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['python-magic']\n",
            "requirements-prod.txt": "flask\n",
            "app.py": "import magic\n",
        },
    )
    result = run_flake8(project, "--select=REQ0", "--reqs-file=requirements-prod.txt")
    assert result.out == ["./app.py:1:1: " + UNDECLARED.format("requirements-prod.txt")]


@pytest.mark.parametrize(
    "config",
    [
        pytest.param("[flake8]\nreqs-file = a.txt, b.txt\n", id="config: comma-separated"),
        pytest.param("[flake8]\nreqs-file =\n    a.txt\n    b.txt\n", id="config: one a line"),
    ],
)
def test_several_reqs_files_in_a_config_file(tmp_path, run_flake8, config):
    files = {"a.txt": "flask\n", "b.txt": "python-magic\n", "app.py": "import flask, magic, yaml\n"}
    project = make_project(tmp_path, {**files, "setup.cfg": config})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(a.txt, b.txt); it is provided by 'pyyaml'"
    ]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("--reqs-file=a.txt,b.txt",), id="comma-separated"),
        pytest.param(("--reqs-file=a.txt", "--reqs-file", "b.txt"), id="repeated"),
    ],
)
def test_several_reqs_files(tmp_path, run_flake8, args):
    project = make_project(
        tmp_path,
        {"a.txt": "flask\n", "b.txt": "python-magic\n", "app.py": "import flask, magic, yaml\n"},
    )
    result = run_flake8(project, "--select=REQ0", *args)
    assert result.out == [
        "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(a.txt, b.txt); it is provided by 'pyyaml'"
    ]


@pytest.mark.parametrize("config", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_from_config_files(tmp_path, run_flake8, config):
    project = make_project(
        tmp_path,
        {
            config: """\
                [flake8]
                select = REQ0
                reqs-file = reqs/prod.txt
                reqs-dev-file = reqs/dev.txt
                reqs-dev-paths = qa/*
                reqs-module-map = acme-sdk=acme
                reqs-local-modules = generated
                reqs-python-version = 3.12
                """,
            "reqs/prod.txt": "acme-sdk\n",
            "reqs/dev.txt": "pytest\n",
            "app.py": "import acme, generated, distutils\n",
            "qa/check.py": "import pytest\n",
        },
    )
    result = run_flake8(project)
    assert result.out == [
        "./app.py:1:1: REQ004 'distutils' is not in the standard library of Python 3.12 "
        "(removed in 3.12); declare 'setuptools' to provide it"
    ]


def test_config_paths_are_relative_to_the_config_file(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nselect = REQ0\nreqs-file = requirements-prod.txt\n",
            "requirements-prod.txt": "flask\n",
            "src/pkg/app.py": "import magic\n",
        },
    )
    result = run_flake8(project / "src")
    assert result.out == ["./pkg/app.py:1:1: " + UNDECLARED.format("../requirements-prod.txt")]


def test_command_line_paths_are_relative_to_the_working_directory(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nreqs-file = elsewhere.txt\n",
            "src/requirements-prod.txt": "flask\n",
            "src/app.py": "import magic\n",
        },
    )
    result = run_flake8(project / "src", "--select=REQ0", "--reqs-file=requirements-prod.txt")
    assert result.out == ["./app.py:1:1: " + UNDECLARED.format("requirements-prod.txt")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("--reqs-file=missing.txt",),
            "flake8-reqs: missing.txt: no such file",
            id="missing --reqs-file",
        ),
        pytest.param(
            ("--reqs-python-version=twelve",),
            "flake8-reqs: --reqs-python-version: 'twelve' is not a version such as 3.12",
            id="bad --reqs-python-version",
        ),
        pytest.param(
            ("--reqs-module-map=acme",),
            "flake8-reqs: --reqs-module-map: 'acme' is not of the form dist=module,module",
            id="bad --reqs-module-map",
        ),
    ],
)
def test_unusable_options_stop_the_run(tmp_path, args, message):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "import os\n"})
    result = run_cli(project, "--select=REQ0", *args)
    assert (result.exit_code, result.out, result.err) == (2, [], [message])


def test_bad_requirement_line_is_reported_once_and_the_rest_is_used(tmp_path):
    files = {f"m{index}.py": "import magic, yaml\n" for index in range(4)}
    project = make_project(tmp_path, {"requirements.txt": "pyyaml\nflask>=\n", **files})
    result = run_cli(project, "--select=REQ0", "--jobs=2")
    assert result.err == [
        "flake8-reqs: requirements.txt:2: invalid requirement 'flask>=': "
        "expected semicolon (after name with no version specifier) or end"
    ]
    assert sorted(result.out) == [
        f"./m{index}.py:1:1: " + UNDECLARED.format("requirements.txt") for index in range(4)
    ]
    assert result.exit_code == 1


def test_stdin_with_display_name(tmp_path):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "src/app.py": ""})
    result = run_cli(
        project,
        "--select=REQ0",
        "--stdin-display-name=src/app.py",
        "-",
        stdin="import flask\nimport magic\n",
    )
    assert result.out == ["src/app.py:2:1: " + UNDECLARED.format("requirements.txt")]
    assert result.exit_code == 1


def test_parallel_jobs_give_the_same_findings(tmp_path):
    files = {f"pkg{index}/mod.py": "import magic\nimport flask\n" for index in range(6)}
    project = make_project(tmp_path, {"requirements.txt": "flask\n", **files})
    serial = run_cli(project, "--select=REQ0", "--jobs=1")
    parallel = run_cli(project, "--select=REQ0", "--jobs=2")
    assert sorted(parallel.out) == sorted(serial.out)
    assert len(serial.out) == 6
    assert parallel.err == serial.err == []


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("flag", id="flag"),
        pytest.param("config", id="setup.cfg"),
    ],
)
def test_reqs_platform(tmp_path, run_flake8, how):
    source = "import sys\nimport win32api\nif sys.platform == 'win32':\n    import winreg_extra\n"
    files = {"requirements.txt": "pywin32; sys_platform == 'win32'\n", "app.py": source}
    if how == "config":
        files["setup.cfg"] = "[flake8]\nreqs-platform = win32\n"
    project = make_project(tmp_path, files)
    args = ("--reqs-platform=win32",) if how == "flag" else ()
    result = run_flake8(project, "--select=REQ0", *args)
    assert result.out == [
        "./app.py:4:5: REQ001 'winreg_extra' is imported but not declared as a runtime "
        "requirement (requirements.txt)"
    ]


def test_requirements_are_read_once_per_process(tmp_path, run_flake8, monkeypatch):
    from flake8_reqs.project import build as build_state

    calls = []
    real = build_state.read_source
    monkeypatch.setattr(build_state, "read_source", lambda *args: calls.append(args) or real(*args))
    files = {f"m{index}.py": "import magic\n" for index in range(5)}
    project = make_project(tmp_path, {"requirements.txt": "flask\n", **files})
    result = run_flake8(project, "--select=REQ0")
    assert len(result.out) == 5
    assert [source.display for source, *_ in calls] == ["requirements.txt"]


def test_stdin_finds_the_project_of_the_displayed_file_from_another_directory(tmp_path):
    project = make_project(
        tmp_path / "project",
        {"pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n"},
    )
    elsewhere = make_project(tmp_path / "elsewhere", {"requirements.txt": "python-magic\n"})
    result = run_cli(
        elsewhere,
        "--select=REQ0",
        f"--stdin-display-name={project / 'src' / 'app.py'}",
        "-",
        stdin="import flask\nimport magic\n",
    )
    # The source is named from the project's root, not from the editor's folder.
    assert result.out == [
        f"{project / 'src' / 'app.py'}:2:1: " + UNDECLARED.format("pyproject.toml")
    ]
