"""The built distributions: twine accepts them, and the wheel works from a fresh install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from tests.conftest import age

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


def test_the_wheel_metadata_stays_small(built):
    """flake8 parses the METADATA of every plugin on every run, an editor's included: the
    long description is docs/pypi.md, not the README (78 KB cost 0.4 ms a run)."""
    import zipfile

    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode()
    assert len(metadata) < 8000
    assert "<https://github.com/flake8-reqs/flake8-reqs#readme>" in metadata
    readme = "https://github.com/flake8-reqs/flake8-reqs#readme"
    assert f"Project-URL: Documentation, {readme}" in metadata


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


def test_an_installed_wheel_is_stamped_by_its_folder(built, tmp_path):
    """A wheel's own files are not stamped one by one (cache/stamped.py): a reinstall changes
    the site-packages folder's stamp, and that alone makes the stored state be built again."""
    (wheel,) = built.glob("*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    project = tmp_path / "deploy-story"
    shutil.copytree(EXAMPLE, project)
    age(project)
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    entries = tmp_path / "cache" / "flake8-reqs" / "state"

    def install_and_run(*options: str) -> int:
        install = _run(python, "-m", "pip", "install", "--quiet", "--no-deps", *options, wheel)
        assert install.returncode == 0, install.stderr[-2000:]
        time.sleep(1.1)  # a stamp younger than a second is not trusted, so not stored
        command = [python, "-m", "flake8", "--reqs-file", "requirements-prod.txt", "."]
        result = subprocess.run(command, cwd=project, capture_output=True, env=environ, check=False)
        assert result.returncode == 1, result.stderr
        [entry] = entries.glob("project-*.json")
        return entry.stat().st_mtime_ns

    _run(python, "-m", "pip", "install", "--quiet", wheel)  # with its dependencies, once
    first = install_and_run()
    [entry] = entries.glob("project-*.json")
    stamped = [path for path, *_ in json.loads(entry.read_text())["environment"]]
    assert stamped
    assert not any("flake8_reqs" in Path(path).parts for path in stamped)
    assert install_and_run() == first  # nothing changed: the stored state is used
    assert install_and_run("--force-reinstall") != first  # built again after a reinstall


PRE_COMMIT_LIKE = {
    "pyproject.toml": """\
[project]
name = "svc"
version = "1"
dependencies = ["Pillow", "scikit-fuzzy", "sympy", "acme-sdk"]

[dependency-groups]
dev = ["pytest"]
datasources = ["PyMySQL"]
""",
    "uv.lock": """\
version = 1

[[package]]
name = "mpmath"
version = "1.3.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sympy"
version = "1.13.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "mpmath" }]
""",
    "Dockerfile": (
        "FROM python:3.12-slim\nCOPY . /app\nRUN uv sync --frozen --no-dev --group datasources\n"
    ),
    "app.py": (
        "from PIL import Image\nimport skfuzzy\nimport pymysql\nimport mpmath\nimport pytest\n"
        "import acme\n"
    ),
}


def test_what_each_declared_distribution_provides_with_nothing_installed(built, tmp_path):
    """As pre-commit runs the hook: an environment with flake8 and flake8-reqs only."""
    (wheel,) = built.glob("*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    install = _run(python, "-m", "pip", "install", "--quiet", wheel)
    assert install.returncode == 0, install.stderr[-2000:]
    listed = _run(python, "-m", "pip", "list", "--format=freeze").stdout
    assert not {"pillow", "pytest", "sympy"} & {
        line.split("==")[0].lower() for line in listed.split()
    }
    project = tmp_path / "project"
    for name, text in PRE_COMMIT_LIKE.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    result = _run(
        python, "-m", "flake8", "--select=REQ", "--extend-ignore=REQ003", ".", cwd=project
    )
    assert (result.stdout.splitlines(), result.stderr, result.returncode) == (
        [
            "./app.py:4:1: REQ005 'mpmath' is provided by 'mpmath', which production installs "
            "only because 'sympy' depends on it (uv.lock); declare it",
            "./app.py:5:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [dependency-groups] dev, not as a runtime requirement",
            "./app.py:6:1: REQ001 'acme' is imported but not declared as a runtime requirement "
            "(pyproject.toml, installed at Dockerfile:3); the import names of the declared "
            "'acme-sdk' are unknown: if it provides 'acme', add 'acme-sdk=acme' to "
            "reqs-module-map",
        ],
        "",
        1,
    )
