"""``flake8-reqs check`` answered from the stored answer while nothing it depends on changed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import UNKNOWN_TARGET, age, make_project

UNDECLARED = "app.py:{}:1: REQ001 '{}' is imported but not declared as a runtime requirement"
FILES = {
    "requirements.txt": "flask\n",
    "app.py": "import flask\nimport zzlost\n",
    "pkg/__init__.py": "",
    "pkg/mod.py": "import os\n",
}
# What a warm check must not import: the stored answer is printed without them.
HEAVY = ("flake8", "packaging", "importlib_metadata", "tomllib", "tomli", "argparse", "ast")
# Each costs milliseconds of a warm run's twenty or so. An editable install's import hook
# has imported pathlib by the time the driver runs: it is forgotten first, so that an import
# of ours shows again.
LEAN = ("pathlib", "typing")
# Runs `check` in a fresh interpreter, through the console script's entry point, and says
# whether it had to import any of HEAVY or LEAN.
DRIVER = (
    "import sys\n"
    f"for name in {LEAN!r}: sys.modules.pop(name, None)\n"
    "from flake8_reqs.commands.entry import main\n"
    "status = main(sys.argv[1:])\n"
    f"heavy = [name for name in {HEAVY + LEAN!r} if name in sys.modules]\n"
    "sys.stderr.write('heavy imported: %s\\n' % heavy)\n"
    "sys.exit(status)\n"
)


def check(project: Path, cache: Path, *args: str, **environ: str) -> tuple[int, list[str], bool]:
    completed = subprocess.run(
        [sys.executable, "-c", DRIVER, "check", "--cache-dir", str(cache), *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **environ},
    )
    *errors, imported = completed.stderr.splitlines()
    # The stored answer says it too: tests/commands/test_cli.py, test_check_says_the_target.
    errors.remove(UNKNOWN_TARGET)
    return (
        completed.returncode,
        completed.stdout.splitlines() + errors,
        imported != "heavy imported: []",
    )


def test_an_unchanged_project_is_answered_without_running_the_check(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    first = check(project, tmp_path / "cache")
    assert first == (1, [UNDECLARED.format(2, "zzlost") + " (requirements.txt)"], True)
    second = check(project, tmp_path / "cache")
    # The same answer, and neither flake8, packaging, importlib_metadata, a TOML reader nor
    # even argparse, pathlib or typing was imported (commands/warm.py).
    assert second == (1, first[1], False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


UNUSED_FLASK = "requirements.txt:1:1: REQ201 'flask' is declared but never imported"
Change = Callable[[Path], None]
CHANGES: dict[str, tuple[Change, list[str]]] = {
    "a checked file is edited": (
        lambda p: _write(p / "app.py", "import flask\nimport zzlost\nimport zzgone\n"),
        [UNDECLARED.format(2, "zzlost"), UNDECLARED.format(3, "zzgone")],
    ),
    "a file is added": (
        lambda p: _write(p / "pkg" / "new.py", "import zzattr\n"),
        [UNDECLARED.format(2, "zzlost"), "pkg/new.py:1:1: REQ001 'zzattr' is imported but not "
         "declared as a runtime requirement"],
    ),
    "a folder with a file is added": (
        lambda p: _write(p / "pkg" / "sub" / "new.py", "import zzattr\n"),
        [UNDECLARED.format(2, "zzlost"), "pkg/sub/new.py:1:1: REQ001 'zzattr' is imported but not "
         "declared as a runtime requirement"],
    ),
    "the file with the finding is removed": (
        lambda p: (p / "app.py").unlink(),
        [UNUSED_FLASK],
    ),
    "the requirements are edited": (
        lambda p: _write(p / "requirements.txt", "flask\nzzlost\n"),
        [],
    ),
    "the flake8 configuration is edited": (
        lambda p: _write(p / "setup.cfg", "[flake8]\nextend-exclude = app.py\n"),
        [UNUSED_FLASK],
    ),
    "the module becomes first-party": (
        lambda p: _write(p / "zzlost.py", ""),
        [],
    ),
    "a flake8 configuration file appears where there was none": (
        lambda p: _write(p / ".flake8", "[flake8]\nextend-exclude = app.py\n"),
        [UNUSED_FLASK],
    ),
    "a file is rewritten with the same size and its old time put back": (
        lambda p: _rewrite_keeping_time(p / "app.py", "zzlost", "zzlast"),
        [UNDECLARED.format(2, "zzlast")],
    ),
}  # fmt: skip


def _rewrite_keeping_time(path: Path, old: str, new: str) -> None:
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)


@pytest.mark.parametrize(("change", "expected"), CHANGES.values(), ids=CHANGES.keys())
def test_a_change_is_answered_afresh(tmp_path, change, expected):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    cache = tmp_path / "cache"
    check(project, cache)
    assert check(project, cache)[2] is False  # stored and used
    change(project)
    status, out, imported = check(project, cache)
    suffix = " (requirements.txt)"
    assert (status, out, imported) == (
        1 if expected else 0,
        [line + suffix if "REQ001" in line else line for line in expected],
        True,
    )


def test_another_command_line_is_another_answer(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    cache = tmp_path / "cache"
    check(project, cache)
    status, out, imported = check(project, cache, "--format", "github")
    assert (status, imported) == (1, True)
    assert out[0].startswith("::error file=app.py,line=2,")


def test_an_environment_variable_the_requirements_expand_is_part_of_the_answer(tmp_path):
    project = make_project(tmp_path / "project", {**FILES, "requirements.txt": "${DIST}\n"})
    age(project)
    cache = tmp_path / "cache"
    assert check(project, cache, DIST="flask")[0] == 1
    assert check(project, cache, DIST="flask")[2] is False
    assert check(project, cache, DIST="zzlost")[:2] == (
        1,
        ["app.py:1:1: REQ001 'flask' is imported but not declared as a runtime requirement"
         " (requirements.txt)"],
    )  # fmt: skip


def test_input_problems_are_repeated_with_the_stored_answer(tmp_path):
    project = make_project(tmp_path / "project", {**FILES, "requirements.txt": "flask\nzzlost>=\n"})
    age(project)
    first = check(project, tmp_path / "cache")
    assert any("requirements.txt:2: invalid requirement 'zzlost>='" in line for line in first[1])
    assert check(project, tmp_path / "cache") == (*first[:2], False)


def test_a_file_edited_this_instant_is_not_trusted_to_its_stamp(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    # Stamped as written during the run, however slowly the machine starts the check: a
    # stamp less than a second older than the run's start is racy.
    later = time.time() + 30
    for path in project.rglob("*"):
        os.utime(path, (later, later))
    cache = tmp_path / "cache"
    check(project, cache)
    assert check(project, cache)[2] is True
    assert not (cache / "runs").exists()


def test_no_cache_neither_reads_nor_writes_an_answer(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    cache = tmp_path / "cache"
    check(project, cache, "--no-cache")
    assert not (cache / "runs").exists()
    check(project, cache)
    assert check(project, cache, "--no-cache")[2] is True


def _written(folder: Path) -> list[str]:
    """The kinds of cache file in ``folder``: "imports", "runs", "state/project", ..."""
    return sorted(
        {str(path.relative_to(folder)).split("-")[0].split(os.sep)[0] for path in folder.rglob("*")}
    )


def test_cache_dir_holds_every_cache_and_no_cache_writes_none(tmp_path):
    """The project state's cache goes where --cache-dir says, and nowhere with --no-cache:
    a run after deleting the folder is cold (bench/ measures it so)."""
    project = make_project(tmp_path / "project", FILES)
    age(project)
    home = tmp_path / "home-cache"
    expected = (1, [UNDECLARED.format(2, "zzlost") + " (requirements.txt)"])
    assert check(project, tmp_path / "cache", XDG_CACHE_HOME=str(home))[:2] == expected
    assert _written(tmp_path / "cache") == ["imports", "runs", "state"]
    assert not home.exists()
    assert check(project, tmp_path / "none", "--no-cache", XDG_CACHE_HOME=str(home))[:2] == expected
    assert not (tmp_path / "none").exists()
    assert not home.exists()


def test_the_entry_point_given_is_part_of_the_answer(tmp_path):
    files = {
        "requirements.txt": "flask\n",
        "main.py": "import flask\nimport src.app\n",
        "src/__init__.py": "",
        "src/app.py": "import zzlost\n",
    }
    project = make_project(tmp_path / "project", files)
    age(project)
    cache = tmp_path / "cache"
    finding = (
        "src/app.py:1:1: REQ001 'zzlost' is imported but not declared as a runtime requirement"
    )
    reached = check(project, cache, "--entry", "main:app")
    assert reached[:2] == (
        1,
        [f"{finding} (requirements.txt)", "  via main.py:2 -> src/app.py:1: 'zzlost'"],
    )
    assert check(project, cache, "--entry", "main:app")[2] is False
    _write(project / "main.py", "import flask\n")  # main no longer reaches src.app
    assert check(project, cache, "--entry", "main:app") == (
        0,
        [f"{finding} (requirements.txt)", "  unreachable from the entry points"],
        True,
    )


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_the_stored_answer_is_the_same_bytes_in_every_format(tmp_path, fmt):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    first = check(project, tmp_path / "cache", f"--format={fmt}")
    second = check(project, tmp_path / "cache", f"--format={fmt}")
    assert (second[0], second[1], first[2], second[2]) == (first[0], first[1], True, False)


@pytest.mark.parametrize(
    ("args", "warm"),
    [
        pytest.param(("--cache-dir={cache}",), True, id="--cache-dir=FOLDER"),
        pytest.param(("--cache-dir", "{cache}"), True, id="--cache-dir FOLDER"),
        # argparse expands an abbreviation: the full path answers (from the same store).
        pytest.param(("--cache", "{cache}"), False, id="abbreviated --cache-dir"),
    ],
)
def test_the_warm_path_finds_the_cache_folder_as_argparse_does(tmp_path, args, warm):
    project = make_project(tmp_path / "project", FILES)
    age(project)
    given = [arg.format(cache=tmp_path / "cache") for arg in args]
    command = [sys.executable, "-c", DRIVER, "check", *given]
    runs = [
        subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        for _ in range(2)
    ]
    assert [run.stdout for run in runs] == [runs[0].stdout] * 2
    assert runs[0].stdout.startswith("app.py:2:1: REQ001 'zzlost'")
    assert runs[1].stderr.endswith("heavy imported: []\n") == warm
    assert list((tmp_path / "cache" / "runs").iterdir())  # the answer went where asked


def test_a_file_changed_after_it_was_read_is_read_again(tmp_path, monkeypatch, capsys):
    # app.py is rewritten while the first run holds what it read, with its old time put
    # back (cp -p, tar -x, rsync -t): that run's answer is kept with the stamp app.py had
    # when it was read, so the next run sees the change instead of the kept answer.
    from flake8_reqs.code import scan
    from flake8_reqs.commands.cli import main

    project = make_project(tmp_path / "p", FILES)
    age(project)
    app = project / "app.py"
    then = app.stat().st_mtime_ns
    read = scan.read_file

    def read_then_rewrite(path):
        data = read(path)
        if Path(path) == app:
            app.write_text("import flask\nimport zzlost\nimport zznew\n", encoding="utf-8")
            os.utime(app, ns=(then, then))
        return data

    monkeypatch.chdir(project)
    cache = f"--cache-dir={tmp_path / 'cache'}"
    with monkeypatch.context() as patched:
        patched.setattr(scan, "read_file", read_then_rewrite)
        assert main(["check", cache, "-j1", "--select=REQ0"]) == 1
    first = [line.split(" (")[0] for line in capsys.readouterr().out.splitlines()]
    assert main(["check", cache, "-j1", "--select=REQ0"]) == 1
    second = [line.split(" (")[0] for line in capsys.readouterr().out.splitlines()]
    assert first == [UNDECLARED.format(2, "zzlost")]
    assert second == [UNDECLARED.format(2, "zzlost"), UNDECLARED.format(3, "zznew")]
