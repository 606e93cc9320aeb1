"""Helpers that carry almost every test: build a project, run flake8 on it, fake installs."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from flake8.main import cli

from flake8_reqs.errors import ReqsInputError


@dataclass(frozen=True)
class Result:
    exit_code: int
    out: list[str]
    err: list[str]


def make_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (text dedented) and return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def run_flake8(capsys, monkeypatch):
    """Run flake8's real entry point in-process, in ``project``, and capture what it prints."""

    def run(project: Path, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        try:
            exit_code = cli.main(["--jobs=1", *args])
        except SystemExit as stop:
            exit_code = stop.code if isinstance(stop.code, int) else 1
        captured = capsys.readouterr()
        return Result(exit_code, captured.out.splitlines(), captured.err.splitlines())

    return run


def run_cli(
    project: Path,
    *args: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    module: str = "flake8",
) -> Result:
    """Run ``python -m flake8`` (or ``-m flake8_reqs``) in a subprocess, as a shell would
    (``env`` adds variables).

    ``timeout`` guards a test of something that must not hang: past it the test fails
    (subprocess.TimeoutExpired) instead of waiting forever. It is not a speed assertion.
    """
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd or project,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )
    return Result(
        completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()
    )


@pytest.fixture
def fake_distribution(tmp_path, monkeypatch):
    """Write a ``dist-info`` folder into a site folder on sys.path: an install, without pip."""
    site = tmp_path / "_site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(
        name: str,
        version: str = "1.0",
        files: Iterable[str] = (),
        top_level=None,
        entry_points: str | None = None,
    ) -> Path:
        dist_info = site / f"{name.replace('-', '_')}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        record = [*files, f"{dist_info.name}/METADATA,,", f"{dist_info.name}/RECORD,,"]
        (dist_info / "RECORD").write_text(
            "".join(f"{line.split(',')[0]},,\n" for line in record), encoding="utf-8"
        )
        if entry_points is not None:
            (dist_info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
        if top_level is not None:
            (dist_info / "top_level.txt").write_text("\n".join(top_level) + "\n", encoding="utf-8")
        return dist_info

    return install


def assert_reads_or_reports(read: Callable[[Path], object], name: str, data: bytes) -> None:
    """Property of every reader: for any bytes in a file called ``name`` it returns a result
    whose errors carry a line number (or are whole-file), or raises ReqsInputError for a
    file that cannot be read at all; never anything else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = read(path)
        except ReqsInputError as error:
            result = error
    if isinstance(result, ReqsInputError):
        assert result.line is None  # raised only for a file that cannot be read at all
    else:
        errors = getattr(result, "errors", ())
        assert all(error.line is None or error.line >= 1 for error in errors)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory):
    """Keep the tests' caches (parsed data files, scanned imports) out of the user's home."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


def runtime(declared):
    """A reader's runtime requirements as (requirement, file, line), for exact assertions."""
    return [(str(req.req), req.path, req.line) for req in declared.runtime]


def groups(declared):
    """A reader's non-runtime sets as (label, [(requirement, line)])."""
    return [(label, [(str(req.req), req.line) for req in reqs]) for label, reqs in declared.groups]


def errors(declared):
    """A reader's errors, as the one-line messages users see."""
    return [str(error) for error in declared.errors]


def age(root: Path) -> None:
    """Date every file and folder below ``root`` ten seconds back: a tree not edited this
    instant, whose stamps the caches trust (younger ones are racy)."""
    past = time.time_ns() - 10_000_000_000
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), ns=(past, past))
        os.utime(folder, ns=(past, past))


@pytest.fixture
def run_reqs(tmp_path, monkeypatch, capsys):
    """Run the ``flake8-reqs`` command in-process in ``project`` with a private cache folder:
    ``run_reqs(project, "check", "--select=REQ0")``."""
    from flake8_reqs.commands.cli import main

    def run(project: Path, command: str, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        code = main([command, f"--cache-dir={tmp_path / '_reqs_cache'}", "-j1", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), captured.err.splitlines())

    return run
