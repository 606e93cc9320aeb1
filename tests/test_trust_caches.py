"""Caches hold data, never code: whatever is planted in the cache folder, the next run neither
runs it nor prefers it to the project as it is (SECURITY.md, "Caches are data")."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import age, make_project, run_cli


class _Trap:
    """Unpickled, it writes ``marker``: what a pickle planted in a cache folder can do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('ran')",))


def plant(cache: Path, marker: Path) -> list[str]:
    """Replace every file in ``cache`` by a trap, and put one beside it under the name a
    pickle of the same entry had; returns the kinds of entry replaced."""
    trap = pickle.dumps(_Trap(marker))
    files = [path for path in cache.rglob("*") if path.is_file()]
    for path in files:
        path.write_bytes(trap)
        path.with_suffix(".pickle").write_bytes(trap)
    names = (path.relative_to(cache).as_posix() for path in files)
    return sorted({re.sub(r"-?[0-9a-f]{8}\.\w+$", "", name) for name in names})


def flake8(project: Path, cache: Path) -> tuple[list[str], list[str]]:
    result = run_cli(project, "--select=REQ", "app.py", env={"XDG_CACHE_HOME": str(cache)})
    return result.out, result.err


def check(project: Path, cache: Path) -> tuple[int, list[str], list[str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--cache-dir", str(cache), "-j1"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


FILES = {"requirements.txt": "flask\n", "app.py": "import flask\nimport zzlost\n"}
UNDECLARED = (
    "app.py:2:1: REQ001 'zzlost' is imported but not declared as a runtime requirement "
    "(requirements.txt)"
)


def test_flake8_runs_no_pickle_planted_in_its_cache(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    cache, marker = tmp_path / "cache", tmp_path / "RAN"
    assert flake8(project, cache) == ([UNDECLARED], [])
    kinds = plant(cache / "flake8-reqs", marker)
    assert flake8(project, cache) == ([UNDECLARED], [])
    assert not marker.exists()
    assert kinds == ["state/installed", "state/project"]  # each cache the run keeps


def test_check_runs_no_pickle_planted_in_its_cache(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    cache, marker = tmp_path / "cache", tmp_path / "RAN"
    expected = (1, [UNDECLARED], [])
    assert check(project, cache) == expected
    kinds = plant(cache, marker)
    assert check(project, cache) == expected
    assert not marker.exists()
    assert kinds == ["imports", "runs/", "state/installed", "state/project"]


def _replace_keeping_time(path: Path, text: str) -> None:
    """A new file (new inode) of the same size with the old one's times: ``cp -p``, ``tar
    -x``, a checkout restored over a cache."""
    status = path.stat()
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.utime(fresh, ns=(status.st_atime_ns, status.st_mtime_ns))
    os.replace(fresh, path)


def _rewrite_keeping_time(path: Path, text: str) -> None:
    """The same file (inode) rewritten, its modification time put back: only the change
    time, which no one can set, tells."""
    status = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(_replace_keeping_time, id="replaced by a file of the same size and time"),
        pytest.param(_rewrite_keeping_time, id="rewritten in place, its time put back"),
    ],
)
def test_an_input_changed_under_the_same_size_and_time_is_read_again(tmp_path, rewrite):
    files = {"requirements.txt": "flask\nzzlosx\n", "app.py": "import flask\nimport zzlost\n"}
    project = make_project(tmp_path / "project", files)
    age(project)
    cache = tmp_path / "cache"
    assert flake8(project, cache) == ([UNDECLARED], [])
    unused = "requirements.txt:2:1: REQ201 'zzlosx' is declared but never imported"
    assert check(project, cache) == (1, [UNDECLARED, unused], [])
    rewrite(project / "requirements.txt", "flask\nzzlost\n")
    assert flake8(project, cache) == ([], [])
    assert check(project, cache) == (0, [], [])
