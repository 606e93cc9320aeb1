"""``flake8-reqs verify``: a fresh environment with only the runtime requirements, offline."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Result, make_project

pytestmark = pytest.mark.slow  # each test makes a virtual environment

APP = {
    "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n",
    "main.py": "import src.api.main\n\napp = src.api.main.app\n",
    "src/__init__.py": "",
    "src/api/__init__.py": "",
    "src/api/main.py": "from src.utils import validators\n\napp = object()\n",
    "src/utils/__init__.py": "",
    "src/utils/validators.py": "import os\nimport magic\n",
}


def build_wheel(folder: Path, name: str, version: str, files: dict[str, str]) -> Path:
    """A pure-Python wheel written by hand: nothing to build, nothing to download."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    contents = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for path, text in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    contents[f"{info}/RECORD"] = "\n".join(record) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in contents.items():
            archive.writestr(path, text)
    return wheel


def verify(project: Path, *args: str) -> Result:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "verify", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return Result(
        completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()
    )


@pytest.fixture
def wheels(tmp_path):
    folder = tmp_path / "wheels"
    build_wheel(folder, "fake-magic", "1.0", {"magic/__init__.py": "VERSION = 1\n"})
    return folder


def test_a_missing_runtime_requirement_fails_the_import_with_its_chain(tmp_path, wheels):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "\n"})
    result = verify(project, "--entry", "main:app", f"--find-links={wheels}", "--no-index")
    assert result.out == [
        "flake8-reqs verify: main:app failed: ModuleNotFoundError: No module named 'magic'",
        "  main.py:1 -> src/api/main.py:1 -> src/utils/validators.py:2",
        "  'magic' is provided by 'python-magic': declare it in requirements-prod.txt",
    ]
    assert result.exit_code == 1


def test_the_declared_requirement_is_installed_and_the_entry_imports(tmp_path, wheels):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "fake-magic\n"})
    result = verify(project, "--entry", "main:app", f"--find-links={wheels}", "--no-index")
    assert (result.exit_code, result.out) == (0, ["flake8-reqs verify: main:app imported"])


def test_only_the_runtime_requirements_are_installed(tmp_path, wheels):
    # Declared for development only: the import must fail in the production set.
    files = {
        **APP,
        "requirements-prod.txt": "\n",
        "requirements-dev.txt": "fake-magic\n",
        "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n"
        "reqs-dev-file = requirements-dev.txt\n",
    }
    project = make_project(tmp_path / "app", files)
    result = verify(project, "--entry", "main.py", f"--find-links={wheels}", "--no-index")
    assert result.out[0] == (
        "flake8-reqs verify: main.py failed: ModuleNotFoundError: No module named 'magic'"
    )
    assert result.exit_code == 1


def test_a_missing_attribute_is_a_failure_too(tmp_path, wheels):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "fake-magic\n"})
    result = verify(project, "--entry", "main:application", f"--find-links={wheels}", "--no-index")
    assert result.out == [
        "flake8-reqs verify: main:application failed: AttributeError: "
        "module 'main' has no attribute 'application'"
    ]
    assert result.exit_code == 1


def test_an_entry_point_that_does_not_exist_stops_before_any_environment(tmp_path):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "\n"})
    result = verify(project, "--entry", "nowhere:app", "--no-index")
    assert result.exit_code == 2
    assert len(result.err) == 1
    assert result.err[0].startswith("flake8-reqs: nowhere:app: ")


def test_a_requirement_pip_cannot_install_is_a_clear_error(tmp_path, wheels):
    files = {**APP, "requirements-prod.txt": "fake-magic\nnot-in-the-folder==9\n"}
    project = make_project(tmp_path / "app", files)
    result = verify(project, "--entry", "main:app", f"--find-links={wheels}", "--no-index")
    assert result.exit_code == 2
    assert result.err[0].startswith(
        "flake8-reqs: verify: pip could not install the runtime requirements (exit 1)"
    )
    assert any("not-in-the-folder==9" in line for line in result.err[1:])
    assert "Traceback" not in "\n".join(result.err)
