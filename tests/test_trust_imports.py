"""No module of the project is imported in place of one flake8-reqs uses (SECURITY.md):
``python -m flake8`` and ``python -m flake8_reqs`` put the project first on sys.path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import UNKNOWN_TARGET, age, make_project, run_cli

# flake8 in a fresh interpreter with or without our plugin, printing afterwards the top-level
# names of every module imported.
MODULES_DRIVER = """\
import sys
from flake8.main.cli import main
from flake8.plugins import finder
if sys.argv[1] == "alone":
    find = finder.find_plugins
    finder.find_plugins = lambda *a, **k: [p for p in find(*a, **k) if p.entry_point.name != "REQ"]
try:
    main(sys.argv[2:])
except SystemExit:
    pass
sys.stderr.write(" ".join(sorted({name.partition(".")[0] for name in sys.modules})) + "\\n")
"""
SHADOWED = {
    "requirements.txt": "flask\npython-magic\n",
    "app.py": "import flask\nimport magic\nimport zzlost\n",
}


def _imported_by_the_plugin(tmp_path) -> set[str]:
    """The top-level modules a cold flake8 run imports only because of flake8-reqs."""
    project = make_project(tmp_path / "plain", SHADOWED)
    names = {}
    for mode in ("alone", "with"):
        completed = subprocess.run(
            [sys.executable, "-c", MODULES_DRIVER, mode, "--select=REQ", "app.py"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / mode)},
        )
        names[mode] = set(completed.stderr.splitlines()[-1].split())
    return names["with"] - names["alone"] - {"flake8_reqs"} - _imported_by_python_m()


def _imported_by_python_m() -> set[str]:
    """What ``python -m`` itself imports before any of flake8's code runs (runpy imports
    pkgutil on Python 3.9): a project that shadows one of them breaks Python, not us."""
    completed = subprocess.run(
        [sys.executable, "-c", "import runpy, sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {name.partition(".")[0] for name in completed.stdout.split()}


def _shadow(project: Path, names, markers: Path) -> None:
    markers.mkdir()
    for name in names:
        (project / f"{name}.py").write_text(f"open({str(markers / name)!r}, 'w').close()\n")


def test_flake8_imports_no_project_module_in_place_of_one_it_uses(tmp_path):
    """``python -m flake8`` puts the project first on sys.path: a project module named
    like packaging or anything else the plugin imports is not run."""
    names = _imported_by_the_plugin(tmp_path)
    assert "packaging" in names  # what the test is about
    project = make_project(tmp_path / "project", SHADOWED)
    markers = tmp_path / "markers"
    _shadow(project, names, markers)
    age(project)
    expected = [
        "app.py:2:1: REQ101 'magic' (python-magic) needs the system library libmagic, which "
        "pip does not install: apt-get install libmagic1 | apk add libmagic | dnf install "
        "file-libs",
        "app.py:3:1: REQ001 'zzlost' is imported but not declared as a runtime requirement "
        "(requirements.txt)",
    ]
    for run in ("cold", "warm"):
        result = run_cli(
            project, "--select=REQ", "app.py", env={"XDG_CACHE_HOME": str(tmp_path / "c")}
        )
        assert (result.out, result.err, sorted(os.listdir(markers))) == (expected, [], []), run


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])  # -j2: the prescan's process as well
def test_the_command_imports_no_project_module_in_place_of_one_it_uses(tmp_path, jobs):
    """``python -m flake8_reqs`` drops the working directory from sys.path first, as pip
    does, so that argparse, flake8 or packaging come from the environment."""
    names = {
        *("argparse", "flake8", "pyflakes", "pycodestyle", "packaging", "importlib_metadata"),
        *("json", "hashlib", "tempfile", "multiprocessing", "shlex", "csv", "stdlib_list"),
        *("tomli", "tomllib", "contextlib", "dataclasses", "typing"),
    }
    project = make_project(tmp_path / "project", SHADOWED)
    markers = tmp_path / "markers"
    _shadow(project, names, markers)
    age(project)  # files the prescan reads, not ones changed this instant
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache", jobs, "app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(os.listdir(markers)) == []
    assert completed.stderr.splitlines() == [UNKNOWN_TARGET]
    assert completed.stdout.splitlines()[-1] == (
        "app.py:3:1: REQ001 'zzlost' is imported but not declared as a runtime requirement "
        "(requirements.txt)"
    )
