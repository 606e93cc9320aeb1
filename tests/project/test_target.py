"""The target Python: the first of the option, the shipped image, runtime.txt, .python-version
and requires-python that names it; else unknown. `flake8 -v` and `flake8-reqs check` say which."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_reqs.project.target import lowest_allowed
from tests.conftest import UNKNOWN_TARGET, make_project, run_cli

PYPROJECT = "[project]\nname = 'app'\nversion = '1'\ndependencies = ['flask']\n"
REQUIRES = PYPROJECT + "requires-python = '{}'\n"

FOUND = [
    pytest.param(
        {"Dockerfile": "FROM python:3.10-slim\nCOPY . /app\n"},
        (),
        "target Python 3.10 (Dockerfile:1 FROM python:3.10-slim)",
        id="the base image's tag",
    ),
    pytest.param(
        {"Dockerfile": "ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n"},
        (),
        "target Python 3.11 (Dockerfile:2 FROM python:${PYTHON_VERSION}-slim = python:3.11-slim)",
        id="an ARG default in FROM",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim AS base\nFROM base AS app\nCOPY . /app\n"},
        (),
        "target Python 3.12 (Dockerfile:1 FROM python:3.12-slim)",
        id="a stage built FROM another stage",
    ),
    pytest.param(
        {"Dockerfile": "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"},
        (),
        "target Python 3.12 (Dockerfile:1 FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim)",
        id="uv's image",
    ),
    pytest.param(
        {"Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.11\n"},
        (),
        "target Python 3.11 (Dockerfile:1 FROM mcr.microsoft.com/devcontainers/python:3.11)",
        id="a devcontainer image",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.11.9-bookworm\n", ".python-version": "3.11\n"},
        (),
        "target Python 3.11 (Dockerfile:1 FROM python:3.11.9-bookworm)",
        id="the image before .python-version, which agrees",
    ),
    pytest.param(
        {"Dockerfile": "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3.11\n"},
        (),
        "target Python 3.11 (Dockerfile:2 installs python3.11)",
        id="apt-get install python3.11",
    ),
    pytest.param(
        {"Dockerfile": "FROM alpine:3.20\nRUN apk add --no-cache python3\n"},
        (),
        "target Python 3.12 on linux with musl (Dockerfile:2 installs python3 on alpine:3.20)",
        id="apk add python3 on Alpine 3.20",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-alpine\n"},
        (),
        "target Python 3.12 on linux with musl (Dockerfile:1 FROM python:3.12-alpine)",
        id="an Alpine python image",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-windowsservercore\n"},
        (),
        "target Python 3.12 on win32 (Dockerfile:1 FROM python:3.12-windowsservercore)",
        id="a Windows image",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12 AS app\nFROM python:3.13 AS test\n"},
        ("--reqs-docker-target=app",),
        "target Python 3.12 (Dockerfile:1 FROM python:3.12)",
        id="--reqs-docker-target",
    ),
    pytest.param(
        {"deploy/Dockerfile.prod": "FROM python:3.13-slim\n"},
        ("--reqs-system-file=deploy/Dockerfile.prod",),
        "target Python 3.13 (deploy/Dockerfile.prod:1 FROM python:3.13-slim)",
        id="--reqs-system-file",
    ),
    pytest.param(
        {"runtime.txt": "python-3.11.6\n"},
        (),
        "target Python 3.11 (runtime.txt:1 python-3.11.6)",
        id="runtime.txt",
    ),
    pytest.param(
        {".python-version": "3.12\n"},
        (),
        "target Python 3.12 (.python-version:1 3.12)",
        id=".python-version",
    ),
    pytest.param(
        {".python-version": "3.12.4\n3.11.9\n"},
        (),
        "target Python 3.12 (.python-version:1 3.12.4)",
        id=".python-version, its first line",
    ),
    pytest.param(
        {".python-version": "cpython-3.12\n"},
        (),
        "target Python 3.12 (.python-version:1 cpython-3.12)",
        id=".python-version as uv writes it",
    ),
    pytest.param(
        {"pyproject.toml": REQUIRES.format(">=3.10")},
        (),
        "target Python 3.10 (pyproject.toml requires-python '>=3.10', lowest allowed)",
        id="requires-python",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.poetry]\nname = 'app'\n"
            "[tool.poetry.dependencies]\npython = '^3.10'\nflask = '*'\n"
        },
        (),
        "target Python 3.10 (pyproject.toml requires-python '^3.10', lowest allowed)",
        id="poetry's python",
    ),
    pytest.param(
        {"Pipfile": "[packages]\nflask = '*'\n\n[requires]\npython_version = '3.11'\n"},
        (),
        "target Python 3.11 (Pipfile [requires] python_version '3.11')",
        id="the Pipfile's python_version",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.10-slim\n"},
        ("--reqs-python-version=3.13",),
        "target Python 3.13 (--reqs-python-version)",
        id="the option first",
    ),
]


@pytest.mark.parametrize(("files", "args", "said"), FOUND)
def test_flake8_v_says_which_target_and_where_from(tmp_path, run_flake8, files, args, said):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "", **files})
    result = run_flake8(project, "-v", "--select=REQ0", *args)
    ours = [line for line in result.err if line.startswith("flake8-reqs: ")]
    assert (result.exit_code, result.out, ours) == (0, [], [f"flake8-reqs: {said}"])


UNKNOWN = [
    pytest.param({}, id="nothing names it"),
    pytest.param({"Dockerfile": "FROM node:20\n"}, id="an image without Python"),
    pytest.param(
        {"Dockerfile": "ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n"},
        id="an ARG without a default",
    ),
    pytest.param({"Dockerfile": "FROM python:3-slim\n"}, id="python:3"),
    pytest.param({".python-version": "system\n"}, id=".python-version that names none"),
    pytest.param({"pyproject.toml": PYPROJECT}, id="a pyproject.toml without requires-python"),
    pytest.param({"Pipfile": "[requires]\npython_version = '3'\n"}, id="a Pipfile's python 3"),
]


@pytest.mark.parametrize("files", UNKNOWN)
def test_without_a_source_the_target_is_unknown_not_the_running_python(tmp_path, run_flake8, files):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "", **files})
    result = run_flake8(project, "-v", "--select=REQ0")
    ours = [line for line in result.err if line.startswith("flake8-reqs: ")]
    assert (result.exit_code, result.out, ours) == (0, [], [UNKNOWN_TARGET])


def test_without_v_flake8_says_nothing_about_the_target(tmp_path, run_flake8):
    files = {"requirements.txt": "flask\n", "app.py": "", "Dockerfile": "FROM python:3.12\n"}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


DISAGREE = [
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\n", "pyproject.toml": REQUIRES.format(">=3.9")},
        "target Python 3.12 (Dockerfile:1 FROM python:3.12-slim), not 3.9 (pyproject.toml "
        "requires-python '>=3.9', lowest allowed); set --reqs-python-version to choose another",
        id="the image wins over requires-python",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim\n",
            ".python-version": "3.11\n",
            "pyproject.toml": REQUIRES.format(">=3.12"),
        },
        "target Python 3.12 (Dockerfile:1 FROM python:3.12-slim), not 3.11 (.python-version:1 "
        "3.11); set --reqs-python-version to choose another",
        id="the image wins over .python-version",
    ),
    pytest.param(
        {"runtime.txt": "python-3.11.6\n", ".python-version": "3.12\n"},
        "target Python 3.11 (runtime.txt:1 python-3.11.6), not 3.12 (.python-version:1 3.12); "
        "set --reqs-python-version to choose another",
        id="runtime.txt wins over .python-version",
    ),
]


@pytest.mark.parametrize(("files", "note"), DISAGREE)
def test_when_sources_disagree_it_says_so_once(tmp_path, files, note):
    # Two workers and ten files: said once per run, not once per worker or file.
    modules = {f"m{index}.py": "import flask\n" for index in range(10)}
    project = make_project(tmp_path, {"requirements.txt": "flask\n", **modules, **files})
    result = run_cli(project, "--select=REQ0", "--jobs=2")
    assert (result.exit_code, result.out, result.err) == (0, [], [f"flake8-reqs: {note}"])


AGREE = [
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\n", "pyproject.toml": REQUIRES.format(">=3.12")},
        (),
        id="image and requires-python",
    ),
    pytest.param(
        {".python-version": "3.12.4\n", "runtime.txt": "python-3.12.1\n"},
        (),
        id="runtime.txt and .python-version",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\n", "pyproject.toml": REQUIRES.format(">=3.9")},
        ("--reqs-python-version=3.12",),
        id="the option chooses",
    ),
]


@pytest.mark.parametrize(("files", "args"), AGREE)
def test_when_sources_agree_or_the_option_chooses_it_says_nothing(tmp_path, files, args):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "", **files})
    result = run_cli(project, "--select=REQ0", *args)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


def check(project: Path, cache: Path, *args: str) -> tuple[int, list[str], list[str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", f"--cache-dir={cache}", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


def test_check_says_the_target_and_so_does_its_stored_answer(tmp_path):
    files = {"requirements.txt": "flask\n", "app.py": "import flask\n"}
    project = make_project(tmp_path / "p", {**files, "Dockerfile": "FROM python:3.10-slim\n"})
    said = "flake8-reqs: target Python 3.10 (Dockerfile:1 FROM python:3.10-slim)"
    assert check(project, tmp_path / "cache") == (0, [], [said])
    assert check(project, tmp_path / "cache") == (0, [], [said])


def test_check_v_says_it_once(tmp_path):
    files = {"requirements.txt": "flask\n", "app.py": "import flask\n"}
    project = make_project(tmp_path / "p", files)
    status, out, err = check(project, tmp_path / "cache", "-v")
    ours = [line for line in err if line.startswith("flake8-reqs: ")]
    assert (status, out, ours) == (0, [], [UNKNOWN_TARGET])


@pytest.mark.parametrize(
    ("specifier", "lowest"),
    [
        pytest.param(">=3.9", "3.9", id="PEP 440"),
        pytest.param(">3.10,<4", "3.10", id="an exclusive bound allows 3.10.x"),
        pytest.param("~=3.11.2", "3.11", id="compatible release"),
        pytest.param("^3.10", "3.10", id="poetry caret"),
        pytest.param("~3.11", "3.11", id="poetry tilde"),
        pytest.param(">= 3.9 < 4", "3.9", id="poetry's spaces"),
        pytest.param("3.12.*", "3.12", id="a bare wildcard"),
        pytest.param("3.11", "3.11", id="a bare version"),
        pytest.param("3.12.* || 3.10.*", "3.10", id="alternatives"),
        pytest.param("<3", None, id="nothing known"),
    ],
)
def test_lowest_allowed(specifier, lowest):
    versions = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
    assert lowest_allowed(specifier, versions) == lowest


def test_lowest_allowed_rejects_what_is_no_specifier():
    with pytest.raises(ValueError, match="not-a-spec"):
        lowest_allowed("not-a-spec", ("3.12",))
