"""``flake8-reqs verify``: a fresh environment with only the runtime requirements, offline.

Making an environment takes seconds (ensurepip), so the tests share a few through
``--venv``: one per requirement set, reused by verify itself while that set is unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Result, age, make_project

APP = {
    "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n",
    "main.py": "import src.api.main\n\napp = src.api.main.app\n",
    "src/__init__.py": "",
    "src/api/__init__.py": "",
    "src/api/main.py": "from src.utils import validators\n\napp = object()\n",
    "src/utils/__init__.py": "",
    "src/utils/validators.py": "import os\nimport magic\n",
}
FAILED_MAGIC = "flake8-reqs verify: main:app failed: ModuleNotFoundError: No module named 'magic'"
CHAIN = "  main.py:1 -> src/api/main.py:1 -> src/utils/validators.py:2"
HINT = "  'magic' is provided by 'python-magic': declare it in requirements-prod.txt"
MAGIC = "fake-magic\nfake-broken\n"  # the environment "magic": the tests share it


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


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheels")
    build_wheel(folder, "fake-magic", "1.0", {"magic/__init__.py": "VERSION = 1\n"})
    # A distribution that imports what it does not declare: not the project's fault.
    build_wheel(folder, "fake-broken", "1.0", {"broken/__init__.py": "import os\nimport yaml\n"})
    return folder


@pytest.fixture(scope="module")
def environments(tmp_path_factory):
    """A folder for the shared environments: ``--venv`` folder names below it."""
    return tmp_path_factory.mktemp("environments")


def offline(wheels, environments, name):
    return (f"--find-links={wheels}", "--no-index", f"--venv={environments / name}")


@pytest.mark.slow
def test_a_missing_runtime_requirement_fails_the_import_with_its_chain(
    tmp_path, wheels, environments
):
    project = make_project(tmp_path, {**APP, "requirements-prod.txt": "\n"})
    result = verify(project, "--entry", "main:app", *offline(wheels, environments, "none"))
    assert result.out == [FAILED_MAGIC, CHAIN, HINT]
    assert (result.exit_code, result.err) == (1, [])


@pytest.mark.slow
def test_the_declared_requirement_is_installed_and_the_entry_imports(
    tmp_path, wheels, environments
):
    project = make_project(tmp_path, {**APP, "requirements-prod.txt": MAGIC})
    result = verify(project, "--entry", "main:app", *offline(wheels, environments, "magic"))
    assert (result.exit_code, result.out, result.err) == (
        0,
        ["flake8-reqs verify: main:app imported"],
        [],
    )


@pytest.mark.slow
def test_each_entry_is_imported_and_a_distribution_failing_its_own_import_is_shown(
    tmp_path, wheels, environments
):
    files = {**APP, "requirements-prod.txt": MAGIC, "worker.py": "import broken\n"}
    project = make_project(tmp_path, files)
    args = ("--entry=main:app", "--entry=worker", *offline(wheels, environments, "magic"))
    result = verify(project, *args)
    assert result.out == [
        "flake8-reqs verify: main:app imported",
        "flake8-reqs verify: worker failed: ModuleNotFoundError: No module named 'yaml'",
        "  worker.py:1 -> broken/__init__.py:2 (installed)",
        "  'yaml' is provided by 'pyyaml': declare it in requirements-prod.txt",
    ]
    assert result.exit_code == 1


@pytest.mark.slow
def test_an_unchanged_environment_is_reused_without_pip(tmp_path, wheels, environments):
    project = make_project(tmp_path, {**APP, "requirements-prod.txt": MAGIC})
    args = ("--entry", "main:app", f"--venv={environments / 'magic'}")
    assert verify(project, *args, f"--find-links={wheels}", "--no-index").exit_code == 0
    # pip would fail now: nothing to find anything in.
    result = verify(project, *args, f"--find-links={tmp_path / 'nowhere'}", "--no-index")
    assert (result.exit_code, result.out) == (0, ["flake8-reqs verify: main:app imported"])


@pytest.mark.slow
def test_only_the_runtime_requirements_are_installed(tmp_path, wheels, environments):
    # Declared for development only: the import must fail in the production set.
    files = {
        **APP,
        "requirements-prod.txt": "\n",
        "requirements-dev.txt": "fake-magic\n",
        "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n"
        "reqs-dev-file = requirements-dev.txt\n",
    }
    project = make_project(tmp_path, files)
    result = verify(project, "--entry", "main.py", *offline(wheels, environments, "none"))
    assert result.out == [FAILED_MAGIC.replace("main:app", "main.py"), CHAIN, HINT]
    assert result.exit_code == 1


@pytest.mark.slow
def test_pyproject_dependencies_from_a_subfolder_with_relative_paths(tmp_path, wheels):
    files = {
        **APP,
        "setup.cfg": "",
        "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["fake-magic"]\n',
    }
    project = make_project(tmp_path, files)
    shutil.copytree(wheels, project / "wheels")
    args = ("--entry=main:app", "--find-links=../wheels", "--no-index", "--venv=../.venv")
    result = verify(project / "src", *args)
    assert (result.exit_code, result.out) == (0, ["flake8-reqs verify: main:app imported"])
    assert (project / ".venv" / "flake8-reqs-verify.json").is_file()


@pytest.mark.slow
def test_a_direct_reference_is_installed_whole_also_from_a_stored_state(tmp_path, wheels):
    """The stored project state keeps only a URL's scheme and host (it may hold a token):
    what pip gets is read from pyproject.toml again."""
    wheel = (wheels / "fake_magic-1.0-py3-none-any.whl").as_uri()
    files = {
        **APP,
        "setup.cfg": "",
        "pyproject.toml": (
            f'[project]\nname = "app"\nversion = "1"\ndependencies = ["fake-magic @ {wheel}"]\n'
        ),
    }
    project = make_project(tmp_path / "project", files)
    age(project)  # so that the state is stored, and the second run reads it
    for venv in ("first", "second"):
        result = verify(project, "--entry=main:app", "--no-index", f"--venv=../{venv}")
        assert (result.exit_code, result.out) == (0, ["flake8-reqs verify: main:app imported"])


@pytest.mark.slow
def test_a_requirements_file_is_read_by_pip_and_a_removed_line_is_gone(tmp_path, wheels):
    # A local wheel path: a name alone would send pip to the index. Then the line goes,
    # and the kept environment must not still have the distribution.
    project = make_project(tmp_path / "app", APP)
    shutil.copytree(wheels, project / "wheels")
    requirements = project / "requirements-prod.txt"
    requirements.write_text("./wheels/fake_magic-1.0-py3-none-any.whl\n", encoding="utf-8")
    args = ("--entry", "main:app", "--no-index", f"--venv={tmp_path / 'kept'}")
    assert verify(project, *args).out == ["flake8-reqs verify: main:app imported"]
    requirements.write_text("\n", encoding="utf-8")
    result = verify(project, *args)
    assert result.out == [FAILED_MAGIC, CHAIN, HINT]
    assert result.exit_code == 1


@pytest.mark.slow
def test_a_changed_constraint_file_makes_a_new_environment(tmp_path, wheels):
    # pip reads the -c file: with it changed, a kept environment would no longer be what
    # production installs (here, nothing can be installed at all).
    files = {**APP, "requirements-prod.txt": "fake-magic\n-c constraints.txt\n"}
    project = make_project(tmp_path / "app", {**files, "constraints.txt": "fake-magic==1.0\n"})
    args = ("--entry", "main:app", f"--find-links={wheels}", "--no-index")
    args += (f"--venv={tmp_path / 'kept'}",)
    assert verify(project, *args).out == ["flake8-reqs verify: main:app imported"]
    (project / "constraints.txt").write_text("fake-magic==2.0\n", encoding="utf-8")
    result = verify(project, *args)
    assert result.err[0] == (
        "flake8-reqs: verify: pip could not install the runtime requirements (exit 1)"
    )
    assert result.exit_code == 2


IMPORT_FAILURES = [
    pytest.param(
        {"main.py": "import helpers\n", "helpers.py": "x = 1\n"},
        "main:application",
        [
            "flake8-reqs verify: main:application failed: AttributeError: "
            "module 'main' has no attribute 'application'"
        ],
        id="missing attribute",
    ),
    pytest.param(
        {
            "main.py": "import pkg\n",
            "pkg/__init__.py": "try:\n"
            "    import magic\n"
            "except ImportError as error:\n"
            "    raise ImportError('pkg needs libmagic') from error\n",
        },
        "main",
        [
            "flake8-reqs verify: main failed: ImportError: pkg needs libmagic",
            "  caused by: ModuleNotFoundError: No module named 'magic'",
            "  main.py:1 -> pkg/__init__.py:4",
            HINT,
        ],
        id="cause of a re-raised ImportError",
    ),
    pytest.param(
        {"main.py": "from helpers import missing\n", "helpers.py": "x = 1\n"},
        "main.py",
        [
            "flake8-reqs verify: main.py failed: ImportError: "
            "cannot import name 'missing' from 'helpers' (<root>/helpers.py)",
            "  main.py:1",
        ],
        id="a name that is not there: no distribution to suggest",
    ),
    pytest.param(
        {"main.py": "raise SystemExit('no config')\n"},
        "main:app",
        ["flake8-reqs verify: main:app failed: SystemExit: no config", "  main.py:1"],
        id="exit at import",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("files", "entry", "expected"), IMPORT_FAILURES)
def test_import_failures(tmp_path, wheels, environments, files, entry, expected):
    project = make_project(tmp_path, {"requirements-prod.txt": "\n", **files})
    args = ("--reqs-file=requirements-prod.txt", "--entry", entry)
    result = verify(project, *args, *offline(wheels, environments, "none"))
    shown = [line.replace(os.path.realpath(project), "<root>") for line in result.out]
    assert [line.replace(str(project), "<root>") for line in shown] == expected
    assert result.exit_code == 1


ENTRIES_THAT_IMPORT = [
    pytest.param("scripts/run.py", id="a script beside its helpers, as python FILE runs it"),
    pytest.param("src/pkg/mod.py", id="a file in a package under src"),
    pytest.param("pkg.mod:VALUE", id="a module under src, with an attribute"),
]


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES_THAT_IMPORT)
def test_entry_forms(tmp_path, wheels, environments, entry):
    files = {
        "requirements-prod.txt": "\n",
        "scripts/run.py": "import tools\n",
        "scripts/tools.py": "",
        "src/pkg/__init__.py": "",
        "src/pkg/mod.py": "from . import helper\nVALUE = 1\n",
        "src/pkg/helper.py": "",
    }
    project = make_project(tmp_path, files)
    args = ("--reqs-file=requirements-prod.txt", "--entry", entry)
    result = verify(project, *args, *offline(wheels, environments, "none"))
    assert (result.exit_code, result.out) == (0, [f"flake8-reqs verify: {entry} imported"])


@pytest.mark.slow
def test_an_environment_that_is_not_the_target_python_is_noted(tmp_path, wheels, environments):
    other = "3.9" if sys.version_info[:2] != (3, 9) else "3.10"
    project = make_project(tmp_path, {**APP, "requirements-prod.txt": "\n"})
    args = (f"--reqs-python-version={other}", "--entry=src.api.main:app")
    result = verify(project, *args, *offline(wheels, environments, "none"))
    running = "{}.{}".format(*sys.version_info[:2])
    assert result.err == [
        f"flake8-reqs: verify: the environment runs Python {running}, not the "
        f"--reqs-python-version {other}: markers and imports may differ from production"
    ]
    assert (result.exit_code, result.out[0]) == (
        1,
        FAILED_MAGIC.replace("main:app", "src.api.main:app"),
    )


def test_an_entry_point_that_does_not_exist_stops_before_any_environment(tmp_path):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "\n"})
    result = verify(project, "--entry", "nowhere:app", "--no-index", f"--venv={tmp_path / 'v'}")
    assert result.err == [
        "flake8-reqs: nowhere:app: entry point not found; "
        "give a file (main.py) or a module (main:app, package.module)"
    ]
    assert (result.exit_code, result.out) == (2, [])
    assert not (tmp_path / "v").exists()


def test_no_entry_point_is_a_usage_error(tmp_path):
    project = make_project(tmp_path, {**APP, "requirements-prod.txt": "\n"})
    result = verify(project)
    assert result.err == [
        "flake8-reqs: --entry: verify needs at least one entry point to import, and none was "
        "given or found in the project (a start command, [project.scripts], manage.py)"
    ]
    assert result.exit_code == 2


def test_a_folder_verify_did_not_make_is_left_alone(tmp_path):
    project = make_project(tmp_path / "app", {**APP, "requirements-prod.txt": "\n"})
    mine = make_project(tmp_path / "mine", {"notes.txt": "keep me\n"})
    result = verify(project, "--entry", "main:app", f"--venv={mine}")
    assert result.err == [
        f"flake8-reqs: {mine}: not an environment verify made; give a new or empty folder"
    ]
    assert result.exit_code == 2
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_a_requirement_pip_cannot_install_is_a_clear_error(tmp_path, wheels):
    # Without --venv: in a temporary environment, gone afterwards.
    files = {**APP, "requirements-prod.txt": "fake-magic\nnot-in-the-folder==9\n"}
    project = make_project(tmp_path, files)
    result = verify(project, "--entry", "main:app", f"--find-links={wheels}", "--no-index")
    assert result.err[0] == (
        "flake8-reqs: verify: pip could not install the runtime requirements (exit 1)"
    )
    assert "  ERROR: No matching distribution found for not-in-the-folder==9" in result.err
    assert "Traceback" not in "\n".join(result.err)
    assert (result.exit_code, result.out) == (2, [])


@pytest.mark.slow
def test_without_entry_the_project_names_its_entry_points(tmp_path, wheels, environments):
    files = {
        **APP,
        "requirements-prod.txt": MAGIC,
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "main:app"]\n',
        "Procfile": "worker: python -m src.api.main\n",
    }
    result = verify(make_project(tmp_path, files), *offline(wheels, environments, "magic"))
    assert result.out == [
        "flake8-reqs verify: entry points found in the project: main:app (Dockerfile:2, CMD), "
        "src.api.main (Procfile:1, the worker process)",
        "flake8-reqs verify: main:app imported",
        "flake8-reqs verify: src.api.main imported",
    ]
    assert (result.exit_code, result.err) == (0, [])


def test_no_default_entries_turns_them_off(tmp_path):
    files = {
        **APP,
        "requirements-prod.txt": "\n",
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "main:app"]\n',
    }
    result = verify(make_project(tmp_path, files), "--no-default-entries", "--no-index")
    assert result.err == [
        "flake8-reqs: --entry: verify needs at least one entry point to import, and none was "
        "given or found in the project (a start command, [project.scripts], manage.py)"
    ]
    assert (result.exit_code, result.out) == (2, [])


# An entry point whose import starts a process that outlives it.
BACKGROUND = (
    "import pathlib, subprocess, sys\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    "pathlib.Path('child.pid').write_text(str(child.pid))\n"
    "app = object()\n"
)


def is_running(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie (ended, its exit not yet collected) does not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ends(pid: int) -> bool:
    """Whether ``pid`` ends: a SIGKILL takes effect when the kernel next runs it. The
    deadline is a guard against waiting for ever, not a measure of speed."""
    deadline = time.monotonic() + 30
    while is_running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_process_the_import_starts_is_ended_and_not_waited_for(tmp_path, monkeypatch, capsys):
    # The import was waited for until the timeout (its process held verify's pipes), then
    # reported as "no answer", and the process it started kept running.
    from flake8_reqs.commands import verify as command
    from flake8_reqs.commands.cli import main

    monkeypatch.setattr(command, "_environment", lambda *args: Path(sys.executable))  # no pip
    project = make_project(tmp_path, {"requirements.txt": "\n", "main.py": BACKGROUND})
    monkeypatch.chdir(project)
    status = main(["verify", "--entry=main:app", "--timeout=60"])
    assert capsys.readouterr().out.splitlines() == ["flake8-reqs verify: main:app imported"]
    assert status == 0
    assert ends(int((project / "child.pid").read_text(encoding="utf-8")))
