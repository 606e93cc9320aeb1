"""Editors run flake8 on one file in two ways, from whatever working directory they have:
the buffer on stdin with --stdin-display-name, or the saved file's path. Every way gives
the same findings, with requirement files named as the file is: from the working directory
when the file is named from a folder that holds its project (pre-commit at a monorepo's
root), else from the project's root (never from / nor as ../../requirements.txt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_project, run_cli

BUFFER = "import flask\nimport magic\nimport requests\n"
PROJECT = {
    "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n",
    "requirements-prod.txt": "flask\n",
    "requirements-dev.txt": "-r requirements-prod.txt\nrequests\n",
    "src/app/__init__.py": "",
    "src/app/views.py": BUFFER,
}
LAYOUTS = {
    "single project": ("project", PROJECT),
    "monorepo member": (
        "repo/services/api",
        {
            **{f"services/api/{name}": text for name, text in PROJECT.items()},
            "services/worker/requirements.txt": "celery\n",
            "services/worker/worker.py": "import celery\n",
        },
    ),
}
FILE = "src/app/views.py"


def expected(shown: str, folder: str) -> list[str]:
    return [
        f"{shown}:2:1: REQ001 'magic' is imported but not declared as a runtime requirement "
        f"({folder}requirements-prod.txt); it is provided by 'python-magic'",
        f"{shown}:3:1: REQ002 'requests' is provided by 'requests', declared only in "
        f"{folder}requirements-dev.txt, not as a runtime requirement",
    ]


def from_root(project: Path) -> Path:
    return project


def from_filesystem_root(project: Path) -> Path:
    return Path("/")


def from_the_files_folder(project: Path) -> Path:
    return project / "src" / "app"


def from_outside(project: Path) -> Path:
    return project.parent.parent / "elsewhere"


def from_above(project: Path) -> Path:
    return project.parent


# How the editor names the file (relative to the working directory, or absolute), where it
# runs, and whether the requirement files are then named from there (else from the root).
MODES = [
    pytest.param("stdin", "relative", from_root, False, id="stdin, relative, from the root"),
    pytest.param("stdin", "absolute", from_filesystem_root, False, id="stdin, absolute, from /"),
    pytest.param("stdin", "relative", from_the_files_folder, False, id="stdin, file's folder"),
    pytest.param("stdin", "relative", from_outside, False, id="stdin, ../ name from outside"),
    pytest.param("stdin", "relative", from_above, True, id="stdin, from a folder above"),
    pytest.param("path", "relative", from_root, False, id="path, relative, from the root"),
    pytest.param("path", "absolute", from_filesystem_root, False, id="path, absolute, from /"),
    pytest.param("path", "relative", from_the_files_folder, False, id="path, file's folder"),
    pytest.param("path", "relative", from_outside, False, id="path, ../ name from outside"),
    pytest.param("path", "relative", from_above, True, id="path, from a folder above"),
]


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize(("mode", "naming", "where", "from_cwd"), MODES)
def test_each_way_an_editor_runs_flake8_gives_the_same_findings(
    tmp_path, layout, mode, naming, where, from_cwd
):
    folder, files = LAYOUTS[layout]
    base = "repo" if layout == "monorepo member" else "project"
    make_project(tmp_path / base, files)
    project = tmp_path / folder
    cwd = where(project)
    cwd.mkdir(exist_ok=True)
    target = project / FILE
    shown = str(target) if naming == "absolute" else os.path.relpath(target, cwd)
    if mode == "stdin":
        result = run_cli(cwd, "--select=REQ0", f"--stdin-display-name={shown}", "-", stdin=BUFFER)
    else:
        result = run_cli(cwd, "--select=REQ0", shown)
    sources = f"{os.path.relpath(project, cwd)}/" if from_cwd else ""
    assert (result.out, result.err, result.exit_code) == (expected(shown, sources), [], 1)
