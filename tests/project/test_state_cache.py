"""The project state kept between flake8 processes: used while valid, never when stale.

Each test runs flake8 twice in fresh processes, as an editor does on two saves, with one
change in between, and sees the second run answer for the changed project.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import age, make_project

MAGIC = (
    "./app.py:1:1: REQ001 'magic' is imported but not declared as a runtime requirement "
    "({}); it is provided by 'python-magic'"
)


def run(project: Path, cache: Path, *args: str, **environ: str) -> tuple[list[str], list[str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=REQ0", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1", **environ},
    )
    return completed.stdout.splitlines(), completed.stderr.splitlines()


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "flake8-reqs" / "state").glob("project-*.json"))


def aged_project(root: Path, files: dict[str, str]) -> Path:
    """A project as an editor finds it, written a while ago: a state built from a file
    changed less than a second before is not stored (cache/stamps.py, racy stamps)."""
    project = make_project(root, files)
    age(project)
    return project


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _install_magic_provider(project: Path) -> None:
    # A distribution whose name says nothing about the module it provides: only its
    # installed metadata tells that "magic-files" provides "magic".
    dist_info = project / "site" / "magic_files-1.0.dist-info"
    _write(dist_info / "METADATA", "Metadata-Version: 2.1\nName: magic-files\nVersion: 1.0\n")
    _write(dist_info / "RECORD", "magic/__init__.py,,\nmagic_files-1.0.dist-info/METADATA,,\n")


Change = Callable[[Path], None]
CASES: dict[str, tuple[dict[str, str], str, Change]] = {
    "the requirements file is edited": (
        {"requirements.txt": "flask\n"},
        "requirements.txt",
        lambda p: _write(p / "requirements.txt", "flask\npython-magic\n"),
    ),
    "an included file is edited": (
        {"requirements.txt": "-r base.txt\n", "base.txt": "flask\n"},
        "requirements.txt",
        lambda p: _write(p / "base.txt", "flask\npython-magic\n"),
    ),
    "a missing included file appears": (
        {"requirements.txt": "flask\n-r extra.txt\n"},
        "requirements.txt",
        lambda p: _write(p / "extra.txt", "python-magic\n"),
    ),
    "a distribution is installed": (
        {"requirements.txt": "flask\nmagic-files\n", "site/.keep": ""},
        "requirements.txt",
        _install_magic_provider,
    ),
    "the module becomes first-party": (
        {"requirements.txt": "flask\n"},
        "requirements.txt",
        lambda p: _write(p / "magic" / "__init__.py", ""),
    ),
    "the Pipfile is edited": (
        {"Pipfile": "[packages]\nflask = '*'\n"},
        "Pipfile",
        lambda p: _write(p / "Pipfile", "[packages]\nflask = '*'\npython-magic = '*'\n"),
    ),
    "the file the Dockerfile installs is edited": (
        {
            "requirements-prod.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements-prod.txt\n",
        },
        "requirements-prod.txt, installed at Dockerfile:2",
        lambda p: _write(p / "requirements-prod.txt", "flask\npython-magic\n"),
    ),
    "the Dockerfile installs more": (
        {
            "requirements-prod.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements-prod.txt\n",
        },
        "requirements-prod.txt, installed at Dockerfile:2",
        lambda p: _write(
            p / "Dockerfile",
            "FROM python:3.12-slim\nRUN pip install -r requirements-prod.txt python-magic\n",
        ),
    ),
    "a pyproject.toml takes over as the source": (
        {"setup.cfg": "[metadata]\nname = app\n", "requirements.txt": "flask\n"},
        "requirements.txt",
        lambda p: _write(
            p / "pyproject.toml",
            "[project]\nname = 'app'\nversion = '1'\ndependencies = ['python-magic']\n",
        ),
    ),
}


@pytest.mark.parametrize(("files", "source", "change"), CASES.values(), ids=CASES.keys())
def test_a_change_is_seen_by_the_next_run(tmp_path, files, source, change):
    project = aged_project(tmp_path / "project", {**files, "app.py": "import magic\n"})
    cache = tmp_path / "cache"
    site = {"PYTHONPATH": str(project / "site")}
    assert run(project, cache, **site)[0] == [MAGIC.format(source)]
    assert len(entries(cache)) == 1
    change(project)
    assert run(project, cache, **site)[0] == []


LOCK = """\
version = 1

[[package]]
name = "flask"
version = "3.1.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{}]

[[package]]
name = "python-magic"
version = "0.4.27"
source = {{ registry = "https://pypi.org/simple" }}
"""


def test_an_edited_lock_file_is_seen_by_the_next_run(tmp_path):
    files = {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\ndependencies = ['flask']\n",
        "uv.lock": LOCK.format(""),
        "app.py": "import magic\n",
    }
    project = make_project(tmp_path / "project", files)
    cache = tmp_path / "cache"
    assert run(project, cache)[0] == [MAGIC.format("pyproject.toml")]
    _write(project / "uv.lock", LOCK.format('{ name = "python-magic" }'))
    assert run(project, cache)[0] == [
        "./app.py:1:1: REQ005 'magic' is provided by 'python-magic', which production installs "
        "only because 'flask' depends on it (uv.lock); declare it"
    ]
    (project / "uv.lock").unlink()
    assert run(project, cache)[0] == [MAGIC.format("pyproject.toml")]


def test_an_expanded_environment_variable_is_part_of_the_state(tmp_path):
    project = aged_project(
        tmp_path / "project",
        {"requirements.txt": "flask\n${MAGIC_DIST}\n", "app.py": "import magic\n"},
    )
    cache = tmp_path / "cache"
    assert run(project, cache, MAGIC_DIST="requests")[0] == [MAGIC.format("requirements.txt")]
    assert run(project, cache, MAGIC_DIST="python-magic")[0] == []
    assert run(project, cache, MAGIC_DIST="requests")[0] == [MAGIC.format("requirements.txt")]


def test_an_unchanged_project_is_answered_from_the_stored_state(tmp_path):
    project = aged_project(
        tmp_path / "project", {"requirements.txt": "flask\n", "app.py": "import magic\n"}
    )
    cache = tmp_path / "cache"
    first = run(project, cache)
    [entry] = entries(cache)
    written = entry.stat().st_mtime_ns
    assert run(project, cache) == first == ([MAGIC.format("requirements.txt")], [])
    assert entry.stat().st_mtime_ns == written  # read, not built and written again


# flake8 in a fresh interpreter, saying afterwards which heavy modules it imported and
# how many of our data files it loaded (hashlib: only a state that expanded a ${VARIABLE}
# needs it, to compare the variable's hash).
EDITOR_DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    heavy = ('packaging', 'importlib_metadata', 'flake8_reqs.checks', 'hashlib',\n"
    "             'flake8_reqs.system.starts', 'flake8_reqs.project.import_roots',\n"
    "             'flake8_reqs.code.settings_reader', 'flake8_reqs.declared.stdlib')\n"
    "    heavy = [m for m in heavy if m in sys.modules]\n"
    "    data = sys.modules.get('flake8_reqs.data_files')\n"
    "    loaded = data.load_data.cache_info().currsize if data else 0\n"
    "    sys.stderr.write('imported: %s, data files: %d\\n' % (heavy, loaded))\n"
)


@pytest.mark.parametrize(
    ("app", "found", "stored_run"),
    [
        pytest.param(
            "import os\nimport magic\n",
            ["app.py:2:1: REQ101 'magic' (python-magic) needs the system library libmagic"],
            "imported: ['flake8_reqs.checks', 'flake8_reqs.project.import_roots'], data files: 0",
            id="REQ101 from the needs looked up when the state was built",
        ),
        pytest.param(
            "import os\nimport yaml\n",
            [],
            "imported: ['flake8_reqs.project.import_roots'], data files: 0",
            id="declared and needing nothing: the checks are not even imported",
        ),
        pytest.param(
            "import os\nfrom app import main\n",
            [],
            "imported: [], data files: 0",
            id="the standard library and the project: not even the file's import roots",
        ),
        pytest.param(
            "import os\nimport zzlost\n",
            ["app.py:2:1: REQ001 'zzlost' is imported but not declared as a runtime requirement"],
            # module_map, for a hint
            "imported: ['flake8_reqs.checks', 'flake8_reqs.project.import_roots'], data files: 1",
            id="undeclared: the checks run",
        ),
    ],
)
def test_a_run_from_the_stored_state_loads_only_what_the_file_needs(
    tmp_path, app, found, stored_run
):
    """The editor path: no packaging, no native-library data, and no checks when every
    import is declared and needs nothing from the system."""
    files = {"requirements.txt": "python-magic\npyyaml\n", "app.py": app}
    project = aged_project(tmp_path / "project", files)
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", EDITOR_DRIVER, "--select=REQ", "app.py"]
    environ = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    outputs = [
        subprocess.run(
            command, cwd=project, capture_output=True, text=True, env=environ, check=False
        )
        for _ in range(2)
    ]
    for completed in outputs:
        lines = completed.stdout.splitlines()
        assert [line[: len(expected)] for line, expected in zip(lines, found)] == found
        assert len(lines) == len(found)
    built, stored = (completed.stderr.splitlines() for completed in outputs)
    # Building reads requirements with packaging, and installed metadata folders directly:
    # importlib_metadata is not imported even then (declared/installed.py).
    assert built[-1].startswith("imported: ['packaging'")
    assert "importlib_metadata" not in built[-1]
    assert stored == [stored_run]


# flake8 in a fresh interpreter, saying afterwards which of the readers that only some
# projects' files call for it imported while it built the state.
READERS = (
    "flake8_reqs.toml_document",
    "flake8_reqs.declared.sources.lock_files",
    "flake8_reqs.code.settings_reader",
    "flake8_reqs.system.base_images",
    "shlex",
)
BUILD_DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    f"    found = [m for m in {READERS!r} if m in sys.modules]\n"
    "    sys.stderr.write('imported: %s\\n' % found)\n"
)


@pytest.mark.parametrize(
    ("files", "imported"),
    [
        pytest.param({"requirements.txt": "pyyaml\n"}, [], id="a requirements file: none"),
        pytest.param(
            {"requirements.txt": "--index-url 'https://example.com/simple'\npyyaml\n"},
            ["shlex"],
            id="a quoted pip option: shlex",
        ),
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "app"\ndependencies = ["pyyaml"]\n',
                "uv.lock": '[[package]]\nname = "pyyaml"\nversion = "6.0.2"\n',
            },
            ["flake8_reqs.toml_document", "flake8_reqs.declared.sources.lock_files"],
            id="pyproject.toml and uv.lock: the TOML and lock readers",
        ),
        pytest.param(
            {
                "requirements.txt": "pyyaml\n",
                "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.b')\n",
            },
            ["flake8_reqs.code.settings_reader"],
            id="a manage.py: the settings reader",
        ),
        pytest.param(
            {"requirements.txt": "pyyaml\n", "Dockerfile": "FROM python:3.12-slim\n"},
            ["flake8_reqs.system.base_images"],
            id="a Dockerfile's base image: the base images",
        ),
    ],
)
def test_building_a_state_imports_only_the_readers_its_files_call_for(tmp_path, files, imported):
    """An ordinary project's state is built on every cold run: the TOML parser, the lock
    readers, the settings reader, the base images and shlex are imported only for a
    project whose files call for them (bench/README.md, an ordinary file's state)."""
    project = aged_project(tmp_path / "project", {**files, "app.py": "import yaml\n"})
    command = [sys.executable, "-c", BUILD_DRIVER, "--select=REQ0", "app.py"]
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    completed = subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=environ, check=False
    )
    assert completed.stdout == ""
    assert completed.stderr.splitlines()[-1] == f"imported: {imported}"


# flake8 in a fresh interpreter, saying afterwards how many Pythons' standard-library
# lists it read.
LISTS_DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    from flake8_reqs.declared.stdlib import known_versions, stdlib_modules\n"
    "    read, known = stdlib_modules.cache_info().currsize, len(known_versions())\n"
    "    sys.stderr.write('lists read: %s\\n' % ('all' if read == known else read))\n"
)


@pytest.mark.parametrize(
    ("app", "found", "lists"),
    [
        pytest.param("import yaml\n", [], "1", id="declared: the target's list only"),
        pytest.param(
            "import imp\n",
            ["app.py:1:1: REQ004 'imp' is not in the standard library of Python 3.12"],
            "all",
            id="an import nothing provides: every list, to tell REQ004",
        ),
    ],
)
def test_a_state_reads_the_standard_library_of_its_target_only(tmp_path, app, found, lists):
    """Building a state reads the standard-library list of its target; the other
    versions' lists are read only to judge an import that nothing provides (REQ004)."""
    files = {"requirements.txt": "pyyaml\n", "Dockerfile": "FROM python:3.12-slim\n"}
    project = aged_project(tmp_path / "project", {**files, "app.py": app})
    command = [sys.executable, "-c", LISTS_DRIVER, "--select=REQ0", "app.py"]
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    completed = subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=environ, check=False
    )
    lines = completed.stdout.splitlines()
    assert [line[: len(expected)] for line, expected in zip(lines, found)] == found
    assert len(lines) == len(found)
    assert completed.stderr.splitlines()[-1] == f"lists read: {lists}"


def test_input_problems_are_reported_on_every_run_not_only_when_building(tmp_path):
    project = aged_project(
        tmp_path / "project",
        {"requirements.txt": "flask>=\npython-magic\n", "app.py": "import magic\n"},
    )
    cache = tmp_path / "cache"
    problem = [
        "flake8-reqs: requirements.txt:1: invalid requirement 'flask>=': expected "
        "semicolon (after name with no version specifier) or end"
    ]
    assert run(project, cache) == ([], problem)
    assert run(project, cache) == ([], problem)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not JSON", id="not JSON"),
        pytest.param(b"\x80\x05K\x01.", id="a pickle"),
        pytest.param(b'{"format": "flake8-reqs cache", "kind": "project"', id="truncated"),
        pytest.param(
            b'{"format": "flake8-reqs cache", "kind": "project", "schema": 5}', id="no fields"
        ),
        pytest.param(b"[" * 100_000, id="nested too deep"),
    ],
)
def test_a_damaged_entry_is_built_again(tmp_path, damage):
    project = aged_project(
        tmp_path / "project", {"requirements.txt": "flask\n", "app.py": "import magic\n"}
    )
    cache = tmp_path / "cache"
    expected = run(project, cache)
    [entry] = entries(cache)
    entry.write_bytes(damage)
    assert run(project, cache) == expected
    assert entry.read_bytes() != damage  # replaced by a whole, valid entry
    assert run(project, cache) == expected


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(tmp_path):
    project = aged_project(
        tmp_path / "project", {"requirements.txt": "flask\n", "app.py": "import magic\n"}
    )
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n", encoding="utf-8")
    assert run(project, blocked) == ([MAGIC.format("requirements.txt")], [])


TOMLLIB_ON_310 = [
    "./app.py:1:1: REQ004 'tomllib' is not in the standard library of Python 3.10 (added in "
    "3.11); guard it with sys.version_info or use 'tomli'"
]
TARGET_CHANGES: dict[str, tuple[dict[str, str], Change]] = {
    ".python-version is edited": (
        {".python-version": "3.12\n"},
        lambda p: _write(p / ".python-version", "3.10.14\n"),  # another size, too
    ),
    ".python-version appears": ({}, lambda p: _write(p / ".python-version", "3.10\n")),
    "runtime.txt appears": ({}, lambda p: _write(p / "runtime.txt", "python-3.10.14\n")),
    "the Dockerfile's base image is edited": (
        {"Dockerfile": "FROM python:3.12-slim\n"},
        lambda p: _write(p / "Dockerfile", "FROM python:3.10-slim-bookworm\n"),
    ),
    "the Dockerfile's ARG default is edited": (
        {"Dockerfile": "ARG PY=3.12\nFROM python:${PY}-slim\n"},
        lambda p: _write(p / "Dockerfile", "ARG PY=3.10.14\nFROM python:${PY}-slim\n"),
    ),
    "a Pipfile appears": (
        {},
        lambda p: _write(p / "Pipfile", "[requires]\npython_version = '3.10'\n"),
    ),
}


@pytest.mark.parametrize(("files", "change"), TARGET_CHANGES.values(), ids=TARGET_CHANGES.keys())
def test_a_change_of_the_target_is_seen_by_the_next_run(tmp_path, files, change):
    files = {"requirements.txt": "flask\n", "app.py": "import tomllib\n", **files}
    project = aged_project(tmp_path / "project", files)
    cache = tmp_path / "cache"
    assert run(project, cache)[0] == []
    assert len(entries(cache)) == 1
    change(project)
    assert run(project, cache)[0] == TOMLLIB_ON_310


@pytest.mark.parametrize("collecting", [True, False], ids=["collector on", "collector off"])
def test_a_build_leaves_the_garbage_collector_as_the_host_set_it(tmp_path, run_flake8, collecting):
    """A state's build pauses Python's cyclic garbage collector (bench/README.md, state
    building); a process that runs flake8 in itself finds it on or off as it set it."""
    project = aged_project(
        tmp_path / "project",
        {"requirements.txt": "flask\n", "app.py": "import flask\nimport magic\n"},
    )
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        result = run_flake8(project, "--select=REQ0")
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert result.out == [
        "./app.py:2:1: REQ001 'magic' is imported but not declared as a runtime requirement "
        "(requirements.txt); it is provided by 'python-magic'"
    ]
    assert result.exit_code == 1


# flake8 in a fresh interpreter, saying afterwards which readers of system files it imported.
READERS = (
    "flake8_reqs.system.dockerfile",
    "flake8_reqs.system.compose",
    "flake8_reqs.system.start_commands",
    "flake8_reqs.system.python_installs",
)
READERS_DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    f"    readers = [m for m in {READERS!r} if m in sys.modules]\n"
    "    sys.stderr.write('readers: %s\\n' % readers)\n"
)


@pytest.mark.parametrize(
    ("system", "found", "readers"),
    [
        pytest.param(
            {},
            ["app.py:1:1: REQ101 'magic' (python-magic) needs the system library libmagic"],
            [],
            id="no system file: its readers are not imported",
        ),
        pytest.param(
            {
                "Dockerfile": "FROM python:3.12-slim\n"
                "RUN apt-get update && apt-get install -y libmagic1\n"
                "RUN pip install -r requirements.txt\n"
                'CMD ["python", "app.py"]\n'
            },
            [],
            list(READERS),
            id="a Dockerfile: read, and it installs libmagic",
        ),
    ],
)
def test_building_a_state_imports_the_system_readers_only_for_a_system_file(
    tmp_path, system, found, readers
):
    """An ordinary project builds its state without the Dockerfile, compose and shell
    parsers (bench/README.md, an ordinary state); a project with a Dockerfile has it read."""
    files = {"requirements.txt": "python-magic\n", "app.py": "import magic\n", **system}
    project = aged_project(tmp_path / "project", files)
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    completed = subprocess.run(
        [sys.executable, "-c", READERS_DRIVER, "--select=REQ", "app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )
    assert [line[: len(want)] for line, want in zip(completed.stdout.splitlines(), found)] == found
    assert len(completed.stdout.splitlines()) == len(found)
    assert completed.stderr.splitlines()[-1] == f"readers: {readers}"
