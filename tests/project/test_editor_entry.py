"""The editor entry (project/editor_entry.py): a run on stdin answered without loading the
project state says exactly what the full path says, and stops being used when anything it
stands for changes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_reqs.cache import stamped
from tests.conftest import age, make_project

# flake8 on stdin in a fresh interpreter; afterwards, on stderr, whether it took the full
# path (loaded the project state) or answered from the editor entry.
DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "status = 2\n"
    "try:\n"
    "    status = main(sys.argv[1:])\n"
    "finally:\n"
    "    full = 'flake8_reqs.project.load' in sys.modules\n"
    "    sys.stderr.write('path: %s\\n' % ('full' if full else 'entry'))\n"
    "sys.exit(status)\n"
)


def edit(
    cwd: Path, cache: Path, display: str, buffer: str, driver: str = DRIVER
) -> tuple[int, list[str], list[str]]:
    """One editor run: exit status, stdout lines, stderr lines (the last one: what the
    driver says, by default the path)."""
    completed = subprocess.run(
        [sys.executable, "-c", driver, "--select=REQ", f"--stdin-display-name={display}", "-"],
        cwd=cwd,
        input=buffer,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


def aged(root: Path, files: dict[str, str]) -> Path:
    project = make_project(root, files)
    age(project)
    return project


UNDECLARED = "REQ001 'zzlost' is imported but not declared as a runtime requirement"
BASE = {"requirements.txt": "pyyaml\n", "app.py": "", "helpers.py": ""}

# (files, buffer, what the run prints, whether the second run answers from the entry)
CASES = {
    "standard library and first party": (BASE, "import os\nimport helpers\n", [], True),
    "a runtime requirement that needs nothing": (BASE, "import os\nimport yaml\n", [], True),
    "no import at all": (BASE, "x = 1\n", [], True),
    # The findings the full path reported for the same imports, kept in the entry.
    "an undeclared import": (
        BASE,
        "import yaml\nimport zzlost\n",
        [f"app.py:2:1: {UNDECLARED} (requirements.txt)"],
        True,
    ),
    "a requirement that needs a system library": (
        {"requirements.txt": "python-magic\n", "app.py": ""},
        "import magic\n",
        ["app.py:1:1: REQ101 'magic' (python-magic) needs the system library libmagic"],
        True,
    ),
    "a file that changes sys.path": (
        BASE,
        "import sys\nsys.path.insert(0, 'lib')\nimport zzlost\n",
        [f"app.py:3:1: {UNDECLARED} (requirements.txt)"],
        False,
    ),
    "nothing declared anywhere": ({"app.py": ""}, "import zzlost\n", [], True),
    "a guarded import": (
        BASE,
        "import sys\nif sys.version_info < (3, 0):\n    import zzlost\n",
        [],
        True,
    ),
}


@pytest.mark.parametrize(("files", "buffer", "expected", "from_entry"), CASES.values(), ids=CASES)
def test_a_run_from_the_entry_says_what_the_full_path_says(
    tmp_path, files, buffer, expected, from_entry
):
    project = aged(tmp_path / "project", files)
    cache = tmp_path / "cache"
    full = edit(project, cache, "app.py", buffer)
    again = edit(project, cache, "app.py", buffer)
    assert [line[: len(want)] for line, want in zip(full[1], expected)] == expected
    assert len(full[1]) == len(expected)
    assert full[2][-1] == "path: full"
    assert again[:2] == full[:2]
    assert again[2][:-1] == full[2][:-1]  # the same notes, in the same order
    assert again[2][-1] == ("path: entry" if from_entry else "path: full")


# The same, saying whether the project's first-party names were listed.
TREE_DRIVER = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    listed = 'flake8_reqs.project.first_party' in sys.modules\n"
    "    sys.stderr.write('first party: %s\\n' % ('listed' if listed else 'not listed'))\n"
)


@pytest.mark.parametrize(
    "buffer",
    [
        pytest.param("import os\nimport yaml\n", id="stdlib and a requirement"),
        pytest.param("x = 1\n", id="no import"),
        pytest.param("import os\nimport helpers\n", id="a module of the project"),
        pytest.param("import zzlost\n", id="an import the entry does not know"),
    ],
)
def test_a_run_from_the_entry_does_not_list_an_unchanged_project(tmp_path, buffer):
    """The entry keeps the project's first-party names with the stamps of the folders they
    were listed from: while those are unchanged, no run lists the tree again."""
    project = aged(tmp_path / "project", BASE)
    cache = tmp_path / "cache"
    assert edit(project, cache, "app.py", buffer)[2][-1] == "path: full"  # keeps the entry
    assert edit(project, cache, "app.py", buffer)[2][-1] == "path: entry"
    assert edit(project, cache, "app.py", buffer, TREE_DRIVER)[2][-1] == "first party: not listed"


def _write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# (what changes, whether the next run lists the tree): the names depend on the entries of
# the root, src/ and each folder in them, and on nothing else.
TREE_CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "a module is edited": (lambda project: _write(project / "helpers.py", "x = 1\n"), "not listed"),
    "a module is added to the root": (lambda project: _write(project / "zznew.py"), "listed"),
    "a module is added to a package": (lambda p: _write(p / "pkg" / "zznew.py"), "listed"),
    "src/ is made": (lambda project: (project / "src").mkdir(), "listed"),
    "a module is added deeper": (lambda p: _write(p / "pkg" / "sub" / "zznew.py"), "not listed"),
}


@pytest.mark.parametrize(("change", "listed"), TREE_CHANGES.values(), ids=TREE_CHANGES)
def test_a_run_from_the_entry_lists_the_project_when_its_folders_change(tmp_path, change, listed):
    files = {**BASE, "pkg/__init__.py": "", "pkg/sub/__init__.py": ""}
    project = aged(tmp_path / "project", files)
    cache = tmp_path / "cache"
    for _ in range(2):
        edit(project, cache, "app.py", "import helpers\n")
    change(project)
    status, out, err = edit(project, cache, "app.py", "import helpers\n", TREE_DRIVER)
    assert (status, out, err[-1]) == (0, [], f"first party: {listed}")


def test_the_input_problems_are_reported_on_every_run(tmp_path):
    project = aged(tmp_path / "project", {**BASE, "requirements.txt": "pyyaml\n===\n"})
    cache = tmp_path / "cache"
    runs = [edit(project, cache, "app.py", "import yaml\n") for _ in range(2)]
    assert runs[0][2][-1] == "path: full"
    assert runs[1][2][-1] == "path: entry"
    assert runs[0][2][:-1] == runs[1][2][:-1]
    assert runs[1][2][0].startswith("flake8-reqs: requirements.txt:2: ")


def _drop_pyyaml(project: Path) -> None:
    # In an included file: an input of the state's, not a file that decides the root.
    (project / "requirements" / "base.txt").write_text("requests\n", encoding="utf-8")


def _remove_helpers(project: Path) -> None:
    (project / "helpers.py").unlink()


def _configure_another_source(project: Path) -> None:
    # Beside the file, and not a root marker: only the search for the file's configuration
    # finds it (project/editor_config.py), not the state's search for its sources.
    (project / "requirements-prod.txt").write_text("requests\n", encoding="utf-8")
    (project / "src" / "tox.ini").write_text(
        "[flake8]\nreqs-file = ../requirements-prod.txt\n", encoding="utf-8"
    )


def _make_src_the_root(project: Path) -> None:
    (project / "src" / "requirements.txt").write_text("requests\n", encoding="utf-8")


# (what changes, the buffer, what the run then prints)
CHANGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "the requirement is removed": (
        _drop_pyyaml,
        "import yaml\n",
        "REQ001 'yaml' is imported but not declared as a runtime requirement",
    ),
    "a first-party module is removed": (
        _remove_helpers,
        "import helpers\n",
        "REQ001 'helpers' is imported but not declared as a runtime requirement",
    ),
    "the file's project configuration names another source": (
        _configure_another_source,
        "import yaml\n",
        "REQ001 'yaml' is imported but not declared as a runtime requirement",
    ),
    "a folder above the file becomes its project's root": (
        _make_src_the_root,
        "import yaml\n",
        "REQ001 'yaml' is imported but not declared as a runtime requirement",
    ),
}


@pytest.mark.parametrize(("change", "buffer", "reported"), CHANGES.values(), ids=CHANGES)
def test_the_entry_is_not_used_once_what_it_stands_for_changes(tmp_path, change, buffer, reported):
    # The editor runs from elsewhere: flake8 itself reads no configuration of the project's,
    # only the plugin does, from the displayed file's folder (project/editor_config.py).
    files = {**BASE, "requirements.txt": "-r requirements/base.txt\n", "src/app.py": ""}
    project = aged(tmp_path / "project", {**files, "requirements/base.txt": "pyyaml\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache"
    display = str(project / "src" / "app.py")
    for _ in range(2):
        status, out, err = edit(elsewhere, cache, display, buffer)
        assert (status, out) == (0, [])
    assert err[-1] == "path: entry"
    change(project)
    status, out, err = edit(elsewhere, cache, display, buffer)
    assert err[-1] == "path: full"
    assert status == 1
    assert [line.split(": ", 1)[1][: len(reported)] for line in out] == [reported]


def _add_the_module_beside_the_file(project: Path) -> None:
    # scripts/ holds no __init__.py: the file's own folder is one of its import roots.
    (project / "scripts" / "zzlost.py").write_text("", encoding="utf-8")


def _add_the_module_to_the_project(project: Path) -> None:
    (project / "zzlost.py").write_text("", encoding="utf-8")


def _declare_the_module(project: Path) -> None:
    (project / "requirements" / "base.txt").write_text("pyyaml\nzzlost\n", encoding="utf-8")


def _add_the_module_to_a_package(project: Path) -> None:
    _add_the_module_beside_the_file(project)
    (project / "scripts" / "__init__.py").write_text("", encoding="utf-8")


# (what changes, what the run then prints): each after two runs with the finding kept
FINDING_CHANGES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "the module is added beside the file": (_add_the_module_beside_the_file, []),
    "the module is added to the project": (_add_the_module_to_the_project, []),
    "the module is declared": (_declare_the_module, []),
    # Inside a package, the sibling module no longer hides the undeclared one.
    "the file's folder becomes a package": (
        _add_the_module_to_a_package,
        [f"{UNDECLARED} (requirements.txt)"],
    ),
}


@pytest.mark.parametrize(("change", "reported"), FINDING_CHANGES.values(), ids=FINDING_CHANGES)
def test_kept_findings_are_not_used_once_what_they_stand_for_changes(tmp_path, change, reported):
    files = {**BASE, "requirements.txt": "-r requirements/base.txt\n", "scripts/app.py": ""}
    project = aged(tmp_path / "project", {**files, "requirements/base.txt": "pyyaml\n"})
    cache = tmp_path / "cache"
    display = str(project / "scripts" / "app.py")
    buffer = "import yaml\nimport zzlost\n"
    runs = [edit(project, cache, display, buffer) for _ in range(2)]
    assert [err[-1] for _, _, err in runs] == ["path: full", "path: entry"]
    assert runs[0][:2] == runs[1][:2] == (1, [f"{display}:2:1: {UNDECLARED} (requirements.txt)"])
    change(project)
    status, out, _ = edit(project, cache, display, buffer)
    assert [line.split(": ", 1)[1][: len(want)] for line, want in zip(out, reported)] == reported
    assert (status, len(out)) == (1 if reported else 0, len(reported))


def test_findings_are_kept_for_the_same_imports_of_the_same_file(tmp_path):
    project = aged(tmp_path / "project", {**BASE, "tools.py": ""})
    cache = tmp_path / "cache"
    app = "import zzlost\n\n\ndef f():\n    return 1\n"
    edited = app.replace("return 1", "return 2")  # the body changes, the imports do not
    moved = "import os\n" + app  # the import moves a line down
    runs = [
        edit(project, cache, "app.py", app),
        edit(project, cache, "app.py", edited),
        edit(project, cache, "tools.py", app),  # another file of the folder
        edit(project, cache, "app.py", moved),
        edit(project, cache, "app.py", app),  # both of app.py's answers? only the last is kept
        edit(project, cache, "tools.py", app),  # tools.py's is kept beside app.py's
    ]
    paths = [err[-1].split(": ")[1] for _, _, err in runs]
    assert paths == ["full", "entry", "full", "full", "full", "entry"]
    lines = [out for _, out, _ in runs]
    assert lines[0] == lines[1] == lines[4] == [f"app.py:1:1: {UNDECLARED} (requirements.txt)"]
    assert lines[2] == lines[5] == [f"tools.py:1:1: {UNDECLARED} (requirements.txt)"]
    assert lines[3] == [f"app.py:2:1: {UNDECLARED} (requirements.txt)"]


def test_an_input_changed_before_the_entry_is_kept_leaves_no_entry(
    tmp_path, run_flake8, monkeypatch
):
    """requirements.txt changes after the state read it, before the entry is stored: the
    entry must not stand for the new text with the old state's answer."""
    project = aged(tmp_path / "project", BASE)
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"import zzlost\n")))
    inputs_of = stamped.inputs_of

    def declare_then_tell(*args):  # the entry asks for the state's inputs when it is stored
        (project / "requirements.txt").write_text("pyyaml\nzzlost\n", encoding="utf-8")
        age(project)  # not racy: the entry would be written to disk
        return inputs_of(*args)

    monkeypatch.setattr(stamped, "inputs_of", declare_then_tell)
    result = run_flake8(project, "--select=REQ", "--stdin-display-name=app.py", "-")
    assert result.out == [f"app.py:1:1: {UNDECLARED} (requirements.txt)"]  # the state's answer
    monkeypatch.setattr(stamped, "inputs_of", inputs_of)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"import zzlost\n")))
    # In the same process, as the entry was kept in its memory too (and the key names the
    # interpreter's sys.path, which a subprocess would not share).
    assert run_flake8(project, "--select=REQ", "--stdin-display-name=app.py", "-").out == []
