"""The benchmark's virtual environments: one per tool, each with the same pinned installed set."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EDITOR_ENV = BENCH / "editor-env.txt"

FLAKE8 = "flake8==7.5.0"
# Tool -> its pinned requirements. flake8-reqs comes from this repository, not from PyPI.
TOOLS: dict[str, list[str]] = {
    "flake8": [FLAKE8],
    "flake8-reqs": [FLAKE8, str(REPO)],
    "flake8-requirements": [FLAKE8, "flake8-requirements==2.3.0"],
    "deptry": ["deptry==0.25.1"],
    "fawltydeps": ["fawltydeps==0.20.0"],
}
# The distribution whose version each tool's row reports.
DIST_OF = {
    "flake8": "flake8",
    "flake8-reqs": "flake8-reqs",
    "flake8-requirements": "flake8-requirements",
    "deptry": "deptry",
    "fawltydeps": "fawltydeps",
}


class SetupError(Exception):
    """An environment could not be made; the message says which and where the log is."""


def bin_dir(root: Path) -> Path:
    return root / ("Scripts" if os.name == "nt" else "bin")


def ensure(name: str, venvs: Path, log: Path) -> Path:
    """Make (once) the virtual environment of tool ``name`` and return its bin folder.

    The environment is rebuilt when its pins or editor-env.txt change. flake8-reqs is
    reinstalled from the working tree on every call, so the numbers are for the code as it is.
    """
    root = venvs / name
    spec = "\n".join(TOOLS[name]) + "\n" + EDITOR_ENV.read_text()
    digest = hashlib.sha256(spec.encode()).hexdigest()
    stamp = root / ".bench-installed"
    if not (stamp.is_file() and stamp.read_text() == digest):
        print(f"setting up {root} (once; the log is {log})", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
        _pip(root, log, "install", "-r", str(EDITOR_ENV), *TOOLS[name])
        stamp.write_text(digest)
    elif name == "flake8-reqs":
        _pip(root, log, "install", "--no-deps", "--force-reinstall", str(REPO))
    return bin_dir(root)


def _pip(root: Path, log: Path, *args: str) -> None:
    command = [str(bin_dir(root) / "python"), "-m", "pip", "--disable-pip-version-check", *args]
    with log.open("a") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        status = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
    if status != 0:
        raise SetupError(f"pip failed in {root} (exit {status}); see {log}")


def version_of(bin_path: Path, dist: str) -> str:
    """The installed version of ``dist`` in the environment of ``bin_path``, or '?'."""
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    result = subprocess.run(
        [str(bin_path / "python"), "-c", code], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "?"


def count_distributions(bin_path: Path) -> int:
    """How many distributions the environment of ``bin_path`` has installed."""
    code = "import importlib.metadata as m; print(len({d.name for d in m.distributions()}))"
    result = subprocess.run(
        [str(bin_path / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return int(result.stdout)
