"""flake8_reqs.code.discover finds exactly the files flake8's own discovery finds."""

from __future__ import annotations

import os

import pytest
from flake8.discover_files import expand_paths
from flake8.utils import normalize_paths

from flake8_reqs.code.discover import discover
from tests.conftest import make_project

DEFAULT_EXCLUDE = [".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs"]
TREE = {
    "app.py": "",
    "README.md": "",
    "notes.txt": "",
    "pkg/__init__.py": "",
    "pkg/mod.py": "",
    "pkg/stubs.pyi": "",
    "pkg/migrations/0001_initial.py": "",
    "pkg/__pycache__/mod.cpython-311.pyc": "",
    ".git/hooks/pre-commit.py": "",
    "build/lib/pkg/mod.py": "",
    "src/lib.py": "",
    "src/Generated.PY": "",
    "tests/test_app.py": "",
    "legacy.egg/x.py": "",
}
CASES = {
    "defaults": ([], DEFAULT_EXCLUDE, ["*.py"]),
    "a folder by name": ([], [*DEFAULT_EXCLUDE, "build"], ["*.py"]),
    "a glob over paths": ([], [*DEFAULT_EXCLUDE, "*/migrations/*"], ["*.py"]),
    "a glob over names": ([], ["*.egg", "test_*.py"], ["*.py"]),
    "a relative path": ([], ["./src"], ["*.py"]),
    "several filename patterns": ([], DEFAULT_EXCLUDE, ["*.py", "*.pyi"]),
    "no filename pattern": ([], DEFAULT_EXCLUDE, []),
    "paths given": (["src", "pkg/mod.py", "notes.txt"], DEFAULT_EXCLUDE, ["*.py"]),
    "an excluded path given": (["build", "app.py"], ["build"], ["*.py"]),
    "a path below the folder": (["./pkg"], ["migrations"], ["*.py"]),
    "nothing excluded": ([], [], ["*.py"]),
}


@pytest.mark.parametrize(("paths", "exclude", "patterns"), CASES.values(), ids=CASES.keys())
def test_same_files_as_flake8(tmp_path, monkeypatch, paths, exclude, patterns):
    project = make_project(tmp_path, TREE)
    (project / "loop").symlink_to(project, target_is_directory=True)
    monkeypatch.chdir(project)
    exclude = normalize_paths(exclude)  # as flake8 does to --exclude values
    expected = list(
        expand_paths(
            paths=paths,
            stdin_display_name="stdin",
            filename_patterns=patterns,
            exclude=exclude,
        )
    )
    found = discover(paths, exclude=exclude, filename_patterns=patterns)
    assert list(found.files) == expected
    assert expected  # every case finds something, so the comparison means something


def test_the_folders_walked_are_the_ones_not_excluded(tmp_path, monkeypatch):
    make_project(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    found = discover(["."], exclude=[".git", "__pycache__", "build"], filename_patterns=["*.py"])
    walked = {os.path.normpath(folder) for folder in found.folders}
    assert walked == {".", "pkg", "pkg/migrations", "src", "tests", "legacy.egg"}
