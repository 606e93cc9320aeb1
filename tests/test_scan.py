"""Scanning a whole project: parallel parsing and the content-hash cache."""

from __future__ import annotations

import ast
import json
import multiprocessing

import pytest

from flake8_reqs.guards import Target
from flake8_reqs.imports import extract_imports
from flake8_reqs.scan import scan_files
from tests.conftest import make_project

TARGET = Target((3, 12), "linux")


def project_files(root, count=30):
    files = {
        f"pkg/m{index}.py": f"import os\nimport mod{index}\nfrom . import x\n"
        for index in range(count)
    }
    make_project(root, files)
    return sorted(path.resolve() for path in root.rglob("*.py"))


def test_refs_are_what_extract_imports_gives(tmp_path):
    (path,) = project_files(tmp_path, count=1)
    (scanned,) = scan_files([path], TARGET, jobs=1, cache_dir=None)
    expected = extract_imports(ast.parse(path.read_bytes()), TARGET, relative=True)
    assert (list(scanned.refs), scanned.error, scanned.cached) == (expected, None, False)


def test_parallel_gives_the_same_results(tmp_path):
    paths = project_files(tmp_path)
    serial = scan_files(paths, TARGET, jobs=1, cache_dir=None)
    parallel = scan_files(paths, TARGET, jobs=2, cache_dir=None)
    assert parallel == serial


def test_second_run_comes_from_the_cache_and_a_changed_file_is_read_again(tmp_path):
    paths = project_files(tmp_path / "p")
    cache = tmp_path / "cache"
    first = scan_files(paths, TARGET, jobs=1, cache_dir=cache)
    assert not any(file.cached for file in first)
    paths[0].write_text("import changed\n", encoding="utf-8")
    second = scan_files(paths, TARGET, jobs=1, cache_dir=cache)
    assert [file.cached for file in second] == [False] + [True] * (len(paths) - 1)
    assert [ref.module for ref in second[0].refs] == ["changed"]
    assert [file.refs for file in second[1:]] == [file.refs for file in first[1:]]


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param("not json", id="garbage"),
        pytest.param('{"schema": 1, "refs": [{"module": "x"', id="truncated"),
        pytest.param('{"schema": 999, "refs": []}', id="other schema"),
        pytest.param('{"schema": 1, "refs": [{"module": 1}]}', id="wrong fields"),
    ],
)
def test_corrupt_cache_entry_is_ignored_and_rewritten(tmp_path, garbage):
    (path,) = project_files(tmp_path / "p", count=1)
    cache = tmp_path / "cache"
    (good,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    (entry,) = cache.rglob("*.json")
    entry.write_text(garbage, encoding="utf-8")
    (again,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    assert (again.refs, again.cached) == (good.refs, False)
    assert json.loads(entry.read_text(encoding="utf-8"))["schema"] == 1
    (third,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    assert third.cached


def test_another_target_is_another_entry(tmp_path):
    (path,) = project_files(tmp_path / "p", count=1)
    cache = tmp_path / "cache"
    scan_files([path], TARGET, jobs=1, cache_dir=cache)
    (other,) = scan_files([path], Target((3, 9), "linux"), jobs=1, cache_dir=cache)
    assert not other.cached


def test_unwritable_cache_costs_speed_only(tmp_path, monkeypatch):
    import os

    (path,) = project_files(tmp_path / "p", count=1)

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    (scanned,) = scan_files([path], TARGET, jobs=1, cache_dir=tmp_path / "cache")
    assert scanned.error is None
    assert scanned.refs
    assert list((tmp_path / "cache").rglob("*.tmp")) == []


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(b"def f(:\n", "syntax error: invalid syntax (line 1)", id="syntax error"),
        pytest.param(None, "vanished", id="vanished"),
    ],
)
def test_unusable_files_are_reported_not_raised(tmp_path, content, error):
    path = tmp_path / "bad.py"
    if content is not None:
        path.write_bytes(content)
    (scanned,) = scan_files([path], TARGET, jobs=1, cache_dir=None)
    assert (scanned.refs, scanned.error) == ((), error)


def _scan_in_process(args):
    paths, cache = args
    return [file.refs for file in scan_files(paths, TARGET, jobs=1, cache_dir=cache)]


def test_two_runs_sharing_a_cache_at_once(tmp_path):
    paths = project_files(tmp_path / "p", count=60)
    cache = tmp_path / "cache"
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first, second = pool.map(_scan_in_process, [(paths, cache), (paths, cache)])
    assert first == second == _scan_in_process((paths, None))
    for entry in cache.rglob("*"):
        if entry.is_file():
            assert json.loads(entry.read_text(encoding="utf-8"))["schema"] == 1
