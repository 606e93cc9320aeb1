"""Scanning a whole project: parallel parsing and the content-hash cache."""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import pickle
import time
from pathlib import Path

import pytest

from flake8_reqs.cache.codec import read_entry
from flake8_reqs.code import imports_cache
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import extract_imports
from flake8_reqs.code.scan import scan_files
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
        pytest.param(lambda entry: b"", id="empty"),
        pytest.param(lambda entry: b"not JSON", id="garbage"),
        pytest.param(lambda entry: json.dumps(entry).encode()[:-3], id="truncated"),
        pytest.param(lambda entry: pickle.dumps(entry), id="a pickle"),
        pytest.param(
            lambda entry: json.dumps({**entry, "schema": 999}).encode(), id="other schema"
        ),
        pytest.param(lambda entry: json.dumps([1, 2, 3]).encode(), id="wrong shape"),
        pytest.param(
            lambda entry: json.dumps(
                {
                    **entry,
                    "by_key": {key: [["os", "1", 0, [], False, 0]] for key in entry["by_key"]},
                }
            ).encode(),
            id="a line number that is text",
        ),
        pytest.param(
            lambda entry: json.dumps(
                {**entry, "by_key": {key: [["os", 1, 0, [], False]] for key in entry["by_key"]}}
            ).encode(),
            id="an import with a field missing",
        ),
    ],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path, garbage):
    (path,) = project_files(tmp_path / "p", count=1)
    cache = tmp_path / "cache"
    (good,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    (cache_file,) = cache.glob("imports-*.json")
    cache_file.write_bytes(garbage(json.loads(cache_file.read_bytes())))
    (again,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    assert (again.refs, again.cached) == (good.refs, False)
    assert _is_valid_cache(cache_file)
    (third,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    assert third.cached


def _is_valid_cache(path):
    fields = read_entry(path, "imports", imports_cache._SCHEMA, imports_cache._FIELDS)
    assert fields is not None
    return all(key in fields["by_key"] for _, key in fields["by_path"].values())


def test_an_unchanged_file_is_not_even_read(tmp_path, monkeypatch):
    paths = project_files(tmp_path / "p", count=3)
    past = time.time_ns() - 10_000_000_000  # stamps this old are trusted
    for path in paths:
        os.utime(path, ns=(past, past))
    cache = tmp_path / "cache"
    first = scan_files(paths, TARGET, jobs=1, cache_dir=cache)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    second = scan_files(paths, TARGET, jobs=1, cache_dir=cache)
    assert [file.refs for file in second] == [file.refs for file in first]
    assert all(file.cached for file in second)


def test_a_file_changed_within_its_stamp_is_read_again(tmp_path):
    # Written just now: the stamp is not trusted, so an edit that keeps size and
    # modification time (a coarse clock, a fast editor) is still seen.
    (path,) = project_files(tmp_path / "p", count=1)
    cache = tmp_path / "cache"
    scan_files([path], TARGET, jobs=1, cache_dir=cache)
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("os", "re"), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    (again,) = scan_files([path], TARGET, jobs=1, cache_dir=cache)
    assert "re" in [ref.module for ref in again.refs]


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
        pytest.param(
            b"import os\ndef f(:\n    import sys\n",
            "syntax error: invalid syntax (line 2)",
            id="syntax error",
        ),
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
    (cache_file,) = cache.glob("imports-*.json")
    assert _is_valid_cache(cache_file)
    assert list(cache.rglob("*.tmp")) == []


def test_the_sys_path_additions_are_kept_with_the_imports_in_the_cache(tmp_path):
    from flake8_reqs.code.sys_path import PathAddition
    from tests.conftest import age

    make_project(tmp_path / "p", {"run.py": "import sys\nsys.path.insert(0, 'lib')\nimport x\n"})
    age(tmp_path / "p")
    paths = [(tmp_path / "p" / "run.py").resolve()]
    first = scan_files(paths, TARGET, jobs=1, cache_dir=tmp_path / "cache")
    second = scan_files(paths, TARGET, jobs=1, cache_dir=tmp_path / "cache")
    assert [(file.cached, file.additions) for file in (*first, *second)] == [
        (False, (PathAddition(2, False, "lib"),)),
        (True, (PathAddition(2, False, "lib"),)),
    ]
