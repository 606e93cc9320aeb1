"""Runs at once: flake8's --jobs workers, and two ``flake8-reqs check`` runs sharing a cache.

tests/code/test_scan.py holds scan_files to the same results in parallel and two scans sharing
an imports cache at once; these hold whole command-line runs to the same findings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import age, make_project, run_cli

MAGIC = (
    "REQ001 'magic' is imported but not declared as a runtime requirement (requirements.txt); "
    "it is provided by 'python-magic'"
)
MAGIC_DEV = (
    "REQ001 'magic' is imported but not declared in any requirement set (requirements.txt, "
    "requirements-dev.txt); it is provided by 'python-magic'"
)
# (path pattern, text, findings as "line:col: message"); {n} spreads files over 20 folders.
KINDS = [
    ("pkg{n}/clean_{i}.py", "import os\nimport flask\nfrom . import sibling\n", []),
    (
        "pkg{n}/undeclared_{i}.py",
        "import flask\nimport magic\nfrom yaml import safe_load\n",
        [
            f"2:1: {MAGIC}",
            "2:1: REQ101 'magic' (python-magic) needs the system library libmagic, which pip "
            "does not install: apt-get install libmagic1 | apk add libmagic "
            "| dnf install file-libs",
            "3:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
            "(requirements.txt); it is provided by 'pyyaml'",
        ],
    ),
    (
        "pkg{n}/dev_only_{i}.py",
        "import pytest\n",
        [
            "1:1: REQ002 'pytest' is provided by 'pytest', declared only in requirements-dev.txt, "
            "not as a runtime requirement"
        ],
    ),
    ("tests/t{n}/test_dev_{i}.py", "import pytest\nimport magic\n", [f"2:1: {MAGIC_DEV}"]),
    (
        "pkg{n}/guarded_{i}.py",
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
        [
            "2:5: REQ003 'ujson' is imported under an ImportError guard but not declared as a "
            "runtime requirement (requirements.txt); production runs without it"
        ],
    ),
]
ARGS = ("--select=REQ", "--reqs-dev-file=requirements-dev.txt")


def generated_project(root: Path, count: int) -> tuple[Path, list[str]]:
    """``count`` files of the KINDS in turn, and the lines flake8 must print for them."""
    files = {"requirements.txt": "flask\n", "requirements-dev.txt": "pytest\n"}
    expected = []
    for index in range(count):
        pattern, text, findings = KINDS[index % len(KINDS)]
        path = pattern.format(n=index % 20, i=index)
        files[path] = text
        expected += [f"./{path}:{finding}" for finding in findings]
    return make_project(root, files), sorted(expected)


@pytest.fixture(scope="module")
def two_thousand_files(tmp_path_factory):
    return generated_project(tmp_path_factory.mktemp("generated"), 2000)


@pytest.mark.parametrize("jobs", ["--jobs=1", "--jobs=2", "--jobs=auto"])
def test_jobs_give_exactly_the_findings_of_one_process(two_thousand_files, jobs):
    project, expected = two_thousand_files
    result = run_cli(project, *ARGS, jobs)
    assert len(expected) == 2400
    assert (result.exit_code, result.out, result.err) == (1, expected, [])


# flake8 with its workers started by ``method``: a spawned worker reads the project state
# itself (from the state cache), where a forked one inherits it.
START_METHOD_DRIVER = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv.pop(1))\n"
    "from flake8.main.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def run_flake8_started_by(project: Path, method: str, *args: str, cache_home: Path):
    completed = subprocess.run(
        [sys.executable, "-c", START_METHOD_DRIVER, method, *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(cache_home)},
    )
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawned_workers_give_the_same_findings(tmp_path, method):
    project, expected = generated_project(tmp_path / "p", 200)
    result = run_flake8_started_by(project, method, *ARGS, "--jobs=2", cache_home=tmp_path / "c")
    assert result == (1, expected, [])


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_an_input_problem_is_reported_once_whatever_starts_the_workers(tmp_path, method):
    files = {f"m{index}.py": "import magic\n" for index in range(40)}
    project = make_project(tmp_path / "p", {"requirements.txt": "flask\nzzz>=\n", **files})
    result = run_flake8_started_by(
        project, method, "--select=REQ0", "--jobs=2", cache_home=tmp_path / "c"
    )
    exit_code, out, err = result
    assert (exit_code, len(out)) == (1, 40)
    assert len(err) == 1
    assert err[0].startswith("flake8-reqs: requirements.txt:2: invalid requirement 'zzz>=': ")


# ``flake8-reqs check``, saying on the real stderr (not into the stored answer) how many
# files came from the imports cache, whether the project state was built, and whether
# flake8 was imported at all (it is not when run_memo answers).
CHECK_DRIVER = (
    "import sys\n"
    "from flake8_reqs.code import scan\nfrom flake8_reqs.project import build as build_state\n"
    "real_scan, real_build = scan.scan_files, build_state.build_state\n"
    "def scan_files(*args, **kwargs):\n"
    "    files = real_scan(*args, **kwargs)\n"
    "    cached = sum(file.cached for file in files)\n"
    "    sys.__stderr__.write('driver: %d/%d cached\\n' % (cached, len(files)))\n"
    "    return files\n"
    "def build(*args, **kwargs):\n"
    "    sys.__stderr__.write('driver: state built\\n')\n"
    "    return real_build(*args, **kwargs)\n"
    "scan.scan_files, build_state.build_state = scan_files, build\n"
    "from flake8_reqs.commands.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "sys.__stderr__.write('driver: flake8 imported: %s\\n' % ('flake8.main' in sys.modules))\n"
    "sys.exit(status)\n"
)


def start_check(project: Path, cache: Path, cache_home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHECK_DRIVER, "check", f"--cache-dir={cache}", "-j2", *ARGS],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(cache_home)},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, list[str], list[str], list[str]]:
    """Exit status, stdout lines, stderr lines and the driver's own lines."""
    out, err = process.communicate(timeout=300)
    lines = err.splitlines()
    driver = [line[len("driver: ") :] for line in lines if line.startswith("driver: ")]
    errors = [line for line in lines if not line.startswith("driver: ")]
    return process.returncode, out.splitlines(), errors, driver


def test_two_checks_at_once_sharing_a_cache(tmp_path):
    project, _ = generated_project(tmp_path / "p", 400)
    age(project)
    cache, cache_home = tmp_path / "cache", tmp_path / "cache-home"
    alone = finish(start_check(project, tmp_path / "alone", tmp_path / "alone-home"))
    status, out, errors, _ = alone
    assert (status, errors) == (1, [])
    assert Counter(line.split()[1] for line in out) == {
        "REQ001": 240,
        "REQ101": 80,
        "REQ002": 80,
        "REQ003": 80,
    }

    first, second = start_check(project, cache, cache_home), start_check(project, cache, cache_home)
    for process in (finish(first), finish(second)):
        assert process[:3] == alone[:3]
    assert list(cache.rglob("*.tmp")) == list(cache_home.rglob("*.tmp")) == []

    warm = finish(start_check(project, cache, cache_home))
    assert warm == (*alone[:3], ["flake8 imported: False"])  # the stored answer

    shutil.rmtree(cache / "runs")  # no stored answer: the check runs, on what they cached
    again = finish(start_check(project, cache, cache_home))
    assert again == (*alone[:3], ["400/400 cached", "flake8 imported: True"])
