"""The command's entry points end check's process without Python's shutdown: what it
printed must all be out, through a pipe, with the exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import UNKNOWN_TARGET, make_project

SCRIPT = Path(sys.executable).with_name("flake8-reqs")
COMMANDS = {
    "python -m flake8_reqs": [sys.executable, "-m", "flake8_reqs"],
    "the console script": [str(SCRIPT)],
}


def _run(command, project, *args):
    return subprocess.run(
        [*command, *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        # Not PYTHONUNBUFFERED: stdout is block-buffered through a pipe, as in most shells.
        env={
            **{name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"},
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )


@pytest.mark.parametrize("way", COMMANDS)
@pytest.mark.parametrize(
    ("files", "status", "lines"),
    [
        ({}, 0, 0),
        ({f"pkg/m{n}.py": f"import yaml{n}\nimport zlib{n}\n" for n in range(3)}, 1, 6),
        # 2,000 findings, 400 kB: many times what a pipe holds before its reader reads.
        ({f"pkg/m{n}.py": f"import yaml{n}\nimport zlib{n}\n" for n in range(1000)}, 1, 2000),
    ],
)
def test_check_prints_everything_and_its_status(tmp_path, way, files, status, lines):
    if way == "the console script" and not SCRIPT.exists():
        pytest.fail(f"{SCRIPT} is not installed: install the package (README)")
    files = {"requirements.txt": "requests\n", "app.py": "import requests\n", **files}
    project = make_project(tmp_path, files)
    completed = _run(COMMANDS[way], project, "check", "--no-cache")
    assert completed.returncode == status, completed.stderr
    assert len(completed.stdout.splitlines()) == lines
    assert all(" REQ001 " in line for line in completed.stdout.splitlines())
    assert completed.stderr.splitlines() == [UNKNOWN_TARGET]


@pytest.mark.parametrize("way", COMMANDS)
def test_a_usage_error_exits_2_with_argparse_s_message(tmp_path, way):
    completed = _run(COMMANDS[way], tmp_path, "check", "--no-such-option-of-any-kind", "-j2")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "--no-such-option-of-any-kind" in completed.stderr
