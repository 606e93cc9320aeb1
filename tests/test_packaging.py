"""The built distributions: twine accepts them, and the wheel works from a fresh install."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "deploy-story"

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "flake8-reqs"
    # Build from a copy of the tracked files, as an sdist would see them.
    files = _run("git", "ls-files", cwd=REPO).stdout.split()
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    completed = _run(sys.executable, "-m", "build", "--outdir", out, source)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return out


def test_twine_accepts_the_distributions(built):
    dists = sorted(built.iterdir())
    assert sorted(path.suffix for path in dists) == [".gz", ".whl"]
    completed = _run(sys.executable, "-m", "twine", "check", "--strict", *dists)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_wheel_has_every_module_and_data_file(built):
    import zipfile

    (wheel,) = built.glob("*.whl")
    names = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("flake8_reqs/")}
    package = REPO / "flake8_reqs"
    shipped = {
        path.relative_to(REPO).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix in (".py", ".toml", ".json", ".typed")
    }
    assert "flake8_reqs/commands/fix/pip.py" in shipped  # a subpackage two levels down
    assert "flake8_reqs/data/native.toml" in shipped
    assert "flake8_reqs/data/native.json" in shipped  # what data_files.py reads
    assert shipped <= names, sorted(shipped - names)


def test_the_installed_wheel_runs_the_example(built, tmp_path):
    (wheel,) = built.glob("*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    install = _run(python, "-m", "pip", "install", "--quiet", wheel)
    assert install.returncode == 0, install.stderr[-2000:]
    project = tmp_path / "deploy-story"
    shutil.copytree(EXAMPLE, project)
    result = _run(python, "-m", "flake8", "--reqs-file", "requirements-prod.txt", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "./src/utils/validators.py:11:1: REQ101 'magic' (python-magic) needs the system library "
        "libmagic, which pip does not install: apt-get install libmagic1"
    )
