"""flake8-reqs fix never loses or damages what it must not (SECURITY.md, "fix and reliability").

It writes regular files only, keeps their mode and owner, never writes through a read-only
mode, never overwrites an edit made while it ran, does not remove a requirement when part of
the project could not be read, says when it breaks a hard link, and cleans up after a fix
that was killed mid-write. Each refusal is one line on stderr and exit status 2, with the
file as it was.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from flake8_reqs.commands.fix import write
from flake8_reqs.errors import ReqsInputError
from tests.conftest import Result, make_project, run_cli

APP = "import flask\nimport bs4\n"  # nothing in it needs an OS package: fix leaves nothing
FIXED = "beautifulsoup4\nflask\n"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and owners")


@pytest.fixture
def fix(monkeypatch, capsys):
    """Run ``flake8-reqs fix`` in-process in ``project``."""
    from flake8_reqs.commands.cli import main

    def run(project, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        status = main(["fix", "--no-cache", "-j1", *args])
        captured = capsys.readouterr()
        return Result(status, captured.out.splitlines(), captured.err.splitlines())

    return run


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


# -- regular files only ----------------------------------------------------------------------


@posix_only
def test_a_link_to_a_device_node_is_refused_and_the_device_kept(tmp_path, fix):
    # Was: the device node replaced by a regular file (as root on /dev/null, the system's).
    project = make_project(tmp_path, {"app.py": APP})
    try:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's
    except PermissionError:
        pytest.skip("making a device node needs privilege")
    os.symlink(tmp_path / "null", project / "requirements.txt")
    result = fix(project, "--reqs-file=requirements.txt")
    assert result.err == [
        "flake8-reqs: requirements.txt: is a character device, not a regular file"
    ]
    assert (result.exit_code, result.out) == (2, [])
    assert stat.S_ISCHR(os.stat(tmp_path / "null").st_mode)


@posix_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    project = make_project(tmp_path, {"app.py": APP})
    os.mkfifo(project / "requirements.txt")
    result = run_cli(
        project,
        "fix",
        "--no-cache",
        "--reqs-file=requirements.txt",
        module="flake8_reqs",
        timeout=60,  # a guard: reading the FIFO would wait for ever
    )
    assert result.err == [
        "flake8-reqs: requirements.txt: is a FIFO (named pipe), not a regular file"
    ]
    assert (result.exit_code, result.out) == (2, [])
    assert stat.S_ISFIFO(os.stat(project / "requirements.txt").st_mode)


@posix_only
def test_writing_over_what_is_no_longer_a_regular_file_is_refused(tmp_path):
    """The file became a FIFO between reading and writing: it is not replaced."""
    os.mkfifo(tmp_path / "requirements.txt")
    with pytest.raises(ReqsInputError) as raised:
        write.write_atomically(tmp_path / "requirements.txt", "flask\n")
    assert str(raised.value).endswith(
        "requirements.txt: is not a regular file; fix writes regular files only"
    )
    assert stat.S_ISFIFO(os.stat(tmp_path / "requirements.txt").st_mode)
    assert leftovers(tmp_path) == []


# -- an edit made while fix runs ---------------------------------------------------------------


def test_an_edit_saved_while_fix_runs_is_kept(tmp_path, fix, monkeypatch):
    # Was: overwritten by fix's own edit of the old text.
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    real = write.tempfile.mkstemp

    def save_meanwhile(*args, **kwargs):
        (project / "requirements.txt").write_text("flask\nrequests\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(write.tempfile, "mkstemp", save_meanwhile)
    result = fix(project)
    assert result.err == [
        "flake8-reqs: requirements.txt: changed while fix was editing it; nothing was "
        "written: run fix again"
    ]
    assert result.exit_code == 2
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\nrequests\n"
    assert leftovers(project) == []


# -- --remove-unused when part of the project could not be read --------------------------------

REFUSED = (
    "flake8-reqs: --remove-unused: refused: 1 of the project's files or folders could not be "
    "read or parsed (named above), and a requirement that only they import would look "
    "unused; nothing was changed"
)
UNREAD = [
    pytest.param(
        {"worker.py": "import requests\ndef f(:\n    import os\n"},
        "flake8-reqs: worker.py: syntax error: invalid syntax (line 2)",
        id="an importer with a syntax error",
    ),
    pytest.param(
        {"secret/worker.py": "import requests\n"},
        "flake8-reqs: secret: cannot be listed: Permission denied; its files are not checked",
        id="a folder that cannot be listed",
    ),
]


@pytest.mark.parametrize(("files", "problem"), UNREAD)
def test_remove_unused_refuses_when_an_importer_could_not_be_read(
    tmp_path, fix, monkeypatch, files, problem
):
    # Was: 'requests' removed, though worker.py imports it.
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.path.normpath(os.fspath(path))) == "secret":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    old = "flask\nrequests\n"
    project = make_project(tmp_path, {"app.py": "import flask\n", "requirements.txt": old, **files})
    result = fix(project, "--remove-unused")
    assert (result.exit_code, result.out, result.err) == (2, [], [problem, REFUSED])
    assert (project / "requirements.txt").read_text(encoding="utf-8") == old


def test_remove_unused_still_removes_when_everything_was_read(tmp_path, fix):
    project = make_project(
        tmp_path, {"app.py": "import flask\n", "requirements.txt": "flask\nrequests\n"}
    )
    result = fix(project, "--remove-unused")
    assert (result.exit_code, result.err) == (0, [])
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\n"


# -- mode, owner, read-only, hard links ----------------------------------------------------------


@posix_only
def test_a_read_only_file_is_not_written(tmp_path, fix):
    # Was: replaced all the same, since its folder is writable.
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    (project / "requirements.txt").chmod(0o444)
    result = fix(project)
    assert result.err == [
        "flake8-reqs: requirements.txt: is read-only; fix does not write through a read-only mode"
    ]
    assert result.exit_code == 2
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\n"
    assert stat.S_IMODE((project / "requirements.txt").stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_the_owner_is_kept(tmp_path, fix):
    # Was: the edited file belonged to whoever ran fix (root here).
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    os.chown(project / "requirements.txt", 4321, 4322)
    result = fix(project)
    assert (result.exit_code, result.err) == (0, [])
    status = (project / "requirements.txt").stat()
    assert (status.st_uid, status.st_gid) == (4321, 4322)
    assert (project / "requirements.txt").read_text(encoding="utf-8") == FIXED


@posix_only
def test_an_owner_that_cannot_be_kept_is_refused(tmp_path, fix, monkeypatch):
    """As a user who may write the file (its group's) but not give a file to its owner."""
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    real_stat = os.stat

    def owned_by_another(path, *args, **kwargs):
        status = real_stat(path, *args, **kwargs)
        if os.fspath(path).endswith("requirements.txt"):
            values = list(status)
            values[4] = status.st_uid + 1  # st_uid
            return os.stat_result(values)
        return status

    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(write.os, "stat", owned_by_another)
    monkeypatch.setattr(write.os, "fchown", refuse)
    result = fix(project)
    uid, gid = os.getuid() + 1, os.getgid()
    assert result.err == [
        f"flake8-reqs: requirements.txt: belongs to uid {uid}, gid {gid}, which fix cannot "
        "give the edited file; nothing was written: run fix as its owner"
    ]
    assert result.exit_code == 2
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\n"
    assert leftovers(project) == []


@posix_only
def test_a_broken_hard_link_is_named(tmp_path, fix):
    # Was: the other name silently kept the old text.
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    os.link(project / "requirements.txt", tmp_path / "deploy-copy.txt")
    result = fix(project)
    assert result.err == [
        "flake8-reqs: requirements.txt: its other 1 hard link keeps the old text; only this "
        "name was edited"
    ]
    assert result.exit_code == 0
    assert (project / "requirements.txt").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "deploy-copy.txt").read_text(encoding="utf-8") == "flask\n"


# -- a fix killed mid-write --------------------------------------------------------------------


def dead_pid():
    """The id of a process that has ended (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


@posix_only
def test_the_temporary_file_of_a_killed_fix_is_removed_by_the_next(tmp_path, fix):
    # Was: left beside the requirements file for ever.
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    stale = project / f".requirements.txt.flake8-reqs-{dead_pid()}-k1ll3d.tmp"
    stale.write_text("flask\npython-mag", encoding="utf-8")
    running = project / f".requirements.txt.flake8-reqs-{os.getppid()}-busy.tmp"
    running.write_text("", encoding="utf-8")  # another fix at work: left alone
    result = fix(project)
    assert (result.exit_code, result.err) == (0, [])
    assert leftovers(project) == [running.name]
    assert (project / "requirements.txt").read_text(encoding="utf-8") == FIXED


@posix_only
def test_a_fix_killed_mid_write_leaves_the_old_file(tmp_path):
    """SIGKILL between writing the temporary file and renaming it: the old file is whole,
    and the next fix cleans up and does the edit."""
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    driver = (
        "import os, signal, sys\n"
        "from flake8_reqs.commands.fix import write\n"
        "write.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from flake8_reqs.commands.cli import main\n"
        "sys.exit(main(['fix', '--no-cache', '-j1']))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", driver], cwd=project, capture_output=True, timeout=60, check=False
    )
    assert completed.returncode == -9
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\n"
    assert len(leftovers(project)) == 1
    result = run_cli(project, "fix", "--no-cache", "-j1", module="flake8_reqs", timeout=60)
    assert (result.exit_code, result.err) == (0, [])
    assert leftovers(project) == []
    assert (project / "requirements.txt").read_text(encoding="utf-8") == FIXED
