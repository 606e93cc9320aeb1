"""The prescan: what it read is taken only where reading the file again would give the same."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from flake8_reqs.code import prescan
from flake8_reqs.code.guards import Target
from flake8_reqs.code.scan import scan_files
from tests.conftest import age, make_project

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the prescan is Linux only")

FILES = {
    "plain.py": "import os\nimport requests\nfrom . import sibling\n",
    "versions.py": """\
        import sys
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            import tomli as tomllib
        """,
    "platforms.py": """\
        import sys
        if sys.platform == "win32":
            import winreg
        else:
            import fcntl
        """,
    "typing_only.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import numpy\n",
    "paths.py": "import sys\nsys.path.insert(0, 'lib')\nimport helper\n",
    "dynamic.py": "import importlib\nimportlib.import_module('yaml')\n",
    "broken.py": "import flask\ndef f(:\n    import os\n",
    "pkg/__init__.py": "",
    "pkg/deep.py": "from .. import plain\n" + "x = 1\n" * 2000,  # the largest
}
TARGETS = [
    Target(None, "linux"),  # the prescan's own guess
    Target((3, 10), "linux"),
    Target((3, 12), "linux"),
    Target((3, 12), "win32"),
    Target((3, 12), "linux", "musl"),
]


class _Read:
    """What a prescan read, handed to scan_files as a prescan that has ended."""

    running, killed, reading = False, False, None

    def __init__(self, found):
        self.found = found
        self.answers = {}

    def poll(self):
        found, self.found = self.found, {}
        self.answers.update(found)
        return found

    def stop(self):
        return {}


def _prescanned(root):
    """Everything a prescan of ``root`` read, once it has read all it could."""
    started = prescan.start([str(root)], jobs=2)
    assert started is not None
    found = {}
    deadline = time.monotonic() + 60
    while started.running and time.monotonic() < deadline:
        found.update(started.poll())
        time.sleep(0.01)
    found.update(started.stop())
    return found


def _view(scanned):
    return [(file.path, file.refs, file.error, file.additions) for file in scanned]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("prescan"), FILES)
    age(root)
    return root


@pytest.fixture(scope="module")
def read_early(project):
    return _prescanned(project)


def test_it_reads_every_file_and_says_which_answers_hold_for_one_target_only(project, read_early):
    guarded = {"versions.py", "platforms.py"}
    asked = {name: found.target for name, found in read_early.items()}
    assert asked == {
        str(project / name): Target(None, "linux") if name in guarded else None for name in FILES
    }


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_scan_files_with_the_prescan_gives_what_it_gives_without(project, read_early, target):
    paths = sorted(project.rglob("*.py"))
    alone = scan_files(paths, target, jobs=1, cache_dir=None)
    with_prescan = scan_files(paths, target, jobs=1, cache_dir=None, early=_Read(read_early))
    assert _view(with_prescan) == _view(alone)
    assert [file.error for file in alone if file.error] == ["syntax error: invalid syntax (line 2)"]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_file_changed_after_the_prescan_read_it_is_read_again(tmp_path, jobs):
    root = make_project(tmp_path, {"a.py": "import requests\n", "b.py": "import os\n"})
    age(root)
    found = _prescanned(root)
    (root / "a.py").write_text("import flask  # rewritten\n", encoding="utf-8")
    paths = [root / "a.py", root / "b.py"]
    scanned = scan_files(paths, TARGETS[0], jobs=jobs, cache_dir=None, early=_Read(found))
    assert [[ref.module for ref in file.refs] for file in scanned] == [["flask"], ["os"]]


def test_files_changed_this_instant_are_left_to_the_run(tmp_path):
    # Their stamps are racy: a second change in the same tick could keep them.
    root = make_project(tmp_path, {"new.py": "import requests\n", "old.py": "import os\n"})
    past = time.time_ns() - 10_000_000_000
    os.utime(root / "old.py", ns=(past, past))
    assert list(_prescanned(root)) == [str(root / "old.py")]


@pytest.mark.parametrize(("jobs", "expected"), [(1, None), (2, prescan.Prescan)])
def test_it_runs_only_with_a_core_to_spare(tmp_path, jobs, expected):
    started = prescan.start([str(tmp_path)], jobs=jobs)
    if started is not None:
        started.stop()
    assert type(started) is expected if expected else started is None


@pytest.mark.parametrize(
    ("options", "started"),
    [
        ([], True),
        (["-j2"], True),
        (["--jobs", "3"], True),
        (["-j1"], False),
        (["-j", "1"], False),
        (["--jobs=1"], False),
        (["--jobs", "1"], False),
        (["--jobs=x"], True),  # argparse says what is wrong; stop_early stops it
    ],
)
def test_check_starts_it_before_its_command_line_is_parsed(tmp_path, options, started):
    prescan.start_early([str(tmp_path), *options])
    early = prescan._handed
    try:
        assert (early is not None) is started
    finally:
        prescan.stop_early()
    assert prescan._handed is None
    if early is not None:  # stopped and waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(early.pid, os.WNOHANG)


@pytest.mark.parametrize(("jobs", "handed"), [(1, False), (2, True)])
def test_start_hands_over_the_one_started_early(tmp_path, jobs, handed):
    prescan.start_early([str(tmp_path)])
    early = prescan._handed
    got = prescan.start([str(tmp_path)], jobs=jobs)
    try:
        assert (got is early) is handed
        assert got is None or got is early
    finally:
        if got is not None:
            got.stop()
    assert prescan._handed is None
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, os.WNOHANG)


def test_it_does_not_run_where_children_are_reaped_as_they_end(tmp_path):
    # With SIGCHLD ignored an ended prescan's pid could be another process's by the time
    # it is sent SIGKILL.
    import signal

    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert prescan.start([str(tmp_path)], jobs=2) is None
    finally:
        signal.signal(signal.SIGCHLD, before)


class _NotYetReading(_Read):
    """A prescan still walking the tree: it runs, and has read nothing yet."""

    running = True

    def __init__(self):
        super().__init__({})


@pytest.mark.parametrize("count", [2, 5])
def test_a_prescan_that_has_not_begun_is_not_waited_for(tmp_path, count):
    # With nothing else to read, this process reads the largest file itself instead of
    # leaving it to a prescan that may still be walking a large tree.
    import threading

    files = {f"m{n}.py": f"import mod{n}\n" + "x = 1\n" * n for n in range(count)}
    root = make_project(tmp_path, files)
    paths = sorted(root.glob("*.py"))
    done = []
    reader = threading.Thread(
        target=lambda: done.append(
            scan_files(paths, TARGETS[0], jobs=2, cache_dir=None, early=_NotYetReading())
        ),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=30)
    assert done, "scan_files waited for a prescan that had not begun"
    assert [[ref.module for ref in file.refs] for file in done[0]] == [
        [f"mod{n}"] for n in range(count)
    ]


def test_what_it_read_serves_each_group_of_files_read_later(tmp_path):
    # A run reads the files of each target Python in turn: the second group takes what the
    # prescan read, although the first group's reading polled it.
    root = make_project(tmp_path, {"a.py": "import requests\n", "b.py": "import os\n"})
    age(root)
    found = _prescanned(root)
    marked = found[str(root / "b.py")].refs[0]._replace(module="marked")
    found[str(root / "b.py")] = found[str(root / "b.py")]._replace(refs=(marked,))
    early = _Read(found)
    scan_files([root / "a.py"], TARGETS[0], jobs=1, cache_dir=None, early=early)
    (b,) = scan_files([root / "b.py"], TARGETS[1], jobs=1, cache_dir=None, early=early)
    assert [ref.module for ref in b.refs] == ["marked"]


FLAKE8_DEFAULT = [
    ".svn",
    "CVS",
    ".bzr",
    ".hg",
    ".git",
    "__pycache__",
    ".tox",
    ".nox",
    ".eggs",
    "*.egg",
]


@pytest.mark.parametrize(
    ("files", "run_in", "options", "expected"),
    [
        pytest.param({}, ".", [], FLAKE8_DEFAULT, id="flake8's default"),
        pytest.param(
            {
                "pyproject.toml": '[tool.flake8]\nextend-exclude = [".venv", "sub/build"]\n',
                "setup.cfg": "[flake8]\nexclude = other\n",
            },
            ".",
            [],
            [*FLAKE8_DEFAULT, ".venv", "{root}/sub/build"],
            id="pyproject.toml's [tool.flake8] first (Flake8-pyproject, a test dependency)",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.flake8]\nexclude = ".venv,build"\n'},
            ".",
            [],
            [".venv", "build"],
            id="[tool.flake8] with a string",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.black]\nline-length = 99\n", "tox.ini": "[flake8]\n"},
            ".",
            [],
            FLAKE8_DEFAULT,
            id="a pyproject.toml without [tool.flake8]",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nexclude = .venv,build\n"},
            ".",
            [],
            [".venv", "build"],
            id="setup.cfg's exclude replaces the default",
        ),
        pytest.param(
            {"tox.ini": "[flake8]\nextend-exclude =\n    .venv\n    node_modules\n"},
            ".",
            [],
            [*FLAKE8_DEFAULT, ".venv", "node_modules"],
            id="tox.ini's extend-exclude adds to it",
        ),
        pytest.param(
            {".flake8": "[flake8]\nextend_exclude = ./vendor/\n"},
            ".",
            [],
            [*FLAKE8_DEFAULT, "{root}/vendor"],
            id="a path is anchored at the file's folder",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nexclude = ./vendor\n", "src/app.py": ""},
            "src",
            [],
            ["{root}/vendor"],
            id="the file is found from a subfolder",
        ),
        pytest.param(
            {"setup.cfg": "[metadata]\nname = x\n", "tox.ini": "[flake8]\nexclude = .venv\n"},
            ".",
            [],
            [".venv"],
            id="the first file with a flake8 section",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nexclude = .venv\n"},
            ".",
            ["--exclude=build", "--extend-exclude", "./out"],
            ["build", "{root}/out"],
            id="the command line over the file",
        ),
        pytest.param(
            {"setup.cfg": "[flake8\nexclude = .venv\n"},
            ".",
            [],
            FLAKE8_DEFAULT,
            id="an unreadable file is no configuration",
        ),
    ],
)
def test_the_excludes_are_guessed_as_flake8_reads_them(
    tmp_path, monkeypatch, files, run_in, options, expected
):
    from flake8_reqs.code.prescan_files import guessed_excludes

    root = make_project(tmp_path, files)
    monkeypatch.setenv("HOME", str(tmp_path.parent))  # no configuration of this machine's
    monkeypatch.chdir(root / run_in)
    assert guessed_excludes(options) == [item.format(root=root) for item in expected]


def test_it_does_not_read_what_the_configuration_excludes(tmp_path, monkeypatch):
    # An in-tree virtual environment is large and never checked: reading it instead of the
    # project would leave the run to read everything itself.
    files = {
        "setup.cfg": "[flake8]\nextend-exclude = .venv\n",
        "app.py": "import requests\n",
        ".venv/lib/site.py": "import os\n" * 100,
    }
    root = make_project(tmp_path, files)
    age(root)
    monkeypatch.chdir(root)
    assert list(_prescanned(root)) == [str(root / "app.py")]


LISTED = {
    "app.py": "import requests\n",
    "pkg/__init__.py": "",
    "pkg/mod.py": "import os\n",
    "notebooks/explore.ipynb": "{}",
    "build/generated.py": "import yaml\n",
    ".git/hooks/hook.py": "import os\n",
    "docs/index.txt": "",
}


def _walked(root, options):
    """The prescan of ``options``, once it has ended (its listing kept)."""
    started = prescan.start(options, jobs=2)
    assert started is not None
    deadline = time.monotonic() + 60
    while started.running and time.monotonic() < deadline:
        started.poll()
        time.sleep(0.01)
    started.stop()
    return started


def test_its_listing_is_what_the_run_walks_when_it_walks_alike(tmp_path, monkeypatch):
    from flake8.defaults import EXCLUDE

    from flake8_reqs.code.discover import NOTEBOOKS, discover

    root = make_project(tmp_path, LISTED)
    age(root)
    monkeypatch.setenv("HOME", str(tmp_path.parent))
    monkeypatch.chdir(root)
    walk = ((".",), (*EXCLUDE, "build"), ("*.py",), NOTEBOOKS)
    listed = _walked(root, [".", "--extend-exclude=build"]).listed(walk)
    expected = discover(
        walk[0], exclude=walk[1], filename_patterns=walk[2], also=walk[3], stamp_folders=True
    )
    assert listed == expected
    assert sorted(listed.files) == ["./app.py", "./pkg/__init__.py", "./pkg/mod.py"]
    assert listed.also == ("./notebooks/explore.ipynb",)
    assert set(listed.stamps) == {os.path.abspath(folder) for folder in listed.folders}


@pytest.mark.parametrize(
    "walk",
    [
        pytest.param(((".",), ("build",), ("*.py",), ("*.ipynb",)), id="other excludes"),
        pytest.param((("pkg",), ("x",), ("*.py",), ("*.ipynb",)), id="other paths"),
        pytest.param(((".",), ("x",), ("*.py", "*.pyw"), ("*.ipynb",)), id="other patterns"),
        pytest.param(((".",), ("x",), ("*.py",), ()), id="no notebooks"),
    ],
)
def test_its_listing_is_not_taken_for_another_walk(tmp_path, monkeypatch, walk):
    root = make_project(tmp_path, LISTED)
    age(root)
    monkeypatch.setenv("HOME", str(tmp_path.parent))
    monkeypatch.chdir(root)
    started = _walked(root, [".", "--exclude=x"])
    assert started.listed(((".",), ("x",), ("*.py",), ("*.ipynb",))) is not None
    assert started.listed(walk) is None


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(["--reqs-file", "requirements.txt"], [], id="a value, not a path"),
        pytest.param(["--reqs-file=requirements.txt", "src"], ["src"], id="a value after ="),
        pytest.param(["--cache-dir", "src", "app"], ["app"], id="a folder as a value"),
        pytest.param(["-j", "2", "src", "-j3"], ["src"], id="-j with its value apart or not"),
        pytest.param(["--strict", "src"], ["src"], id="a flag takes no value"),
        pytest.param(["src", "missing", "app/main.py"], ["src", "app/main.py"], id="existing"),
        pytest.param(["--", "--strict"], ["--strict"], id="after --, a path"),
    ],
)
def test_the_paths_are_guessed_as_argparse_tells_them(tmp_path, monkeypatch, options, expected):
    from flake8_reqs.code.prescan_files import guessed_paths

    files = {"requirements.txt": "", "src/a.py": "", "app/main.py": "", "--strict": ""}
    monkeypatch.chdir(make_project(tmp_path, files))
    assert guessed_paths(options) == expected


def test_the_options_that_take_a_value_are_those_of_the_parsers():
    from flake8_reqs.code.prescan_files import _TAKING_A_VALUE
    from flake8_reqs.commands import cli
    from flake8_reqs.commands.options import _actions, _flake8_actions

    _, commands = cli._parser()
    actions = [*_flake8_actions(), *_actions(commands["check"])]
    expected = {name for action in actions if action.nargs != 0 for name in action.option_strings}
    plugins = {"--max-complexity", "--builtins"}  # mccabe's and pyflakes's, flake8 brings them
    assert (expected | plugins) == _TAKING_A_VALUE


_HOLDER = """
import sys, time
from flake8_reqs.code import prescan
started = prescan.start([sys.argv[1]], jobs=2)
while started.reading is None:  # it has walked, and begun reading
    started.poll()
    time.sleep(0.001)
print(started.pid, started.fd, flush=True)
time.sleep(600)
"""


def _ended(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"  # a zombie: it has ended
    except FileNotFoundError:
        return True


def test_a_prescan_whose_run_was_killed_stops_reading(tmp_path):
    # SIGKILL leaves the run no way to stop its prescan: the prescan stops at the next file.
    count = 3000
    root = make_project(tmp_path, {f"m{index}.py": "import os\n" * 50 for index in range(count)})
    age(root)
    command = [sys.executable, "-c", _HOLDER, str(root)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as holder:
        pid, fd = holder.stdout.readline().split()
        with open(f"/proc/{pid}/fd/{fd}", "rb") as memory:  # its output, kept past its end
            holder.kill()
            holder.wait()
            deadline = time.monotonic() + 60
            while not _ended(pid) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert _ended(pid)
            lines = memory.read().splitlines()
    begun = [line for line in lines if line.startswith(b'["') and line.count(b'"') == 2]
    assert 0 < len(begun) < count
