"""No crash, no hang, no silent skip: hostile inputs to the whole tool (SECURITY.md).

A FIFO, a device or a huge file where an input belongs, input nested deeper than Python's
recursion limit, a folder that cannot be listed: each gives one line on stderr naming it,
never a traceback, and the run goes on where it safely can. Tests of something that must
not hang run in a subprocess whose timeout is a guard, not a speed assertion: a hang fails
the test instead of stopping the suite.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import pytest

from flake8_reqs.inputs import MAX_BYTES
from tests.conftest import UNKNOWN_TARGET, age, make_project, run_cli

GUARD = 60  # seconds; the runs below take about one
APP = "import flask\nimport magic\n"
UNDECLARED = "REQ001 '{}' is imported but not declared as a runtime requirement ({}){}"
MAGIC_UNDECLARED = UNDECLARED.format(
    "magic", "requirements.txt", "; it is provided by 'python-magic'"
)
FIFO = "is a FIFO (named pipe), not a regular file"
CHARACTER_DEVICE = "is a character device, not a regular file"
NOTHING_FOUND = (
    "flake8-reqs: no runtime requirements found (looked for pyproject.toml, setup.cfg, "
    "setup.py, requirements.txt, Pipfile, environment.yml); nothing is checked"
)
TOO_LARGE = f"is larger than {MAX_BYTES // 1_000_000} MB, the most flake8-reqs reads"

needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")


def fifo(path):
    os.mkfifo(path)


def huge(path):
    """A sparse file one byte over the limit: no disk used, no memory if it is refused."""
    with open(path, "wb") as file:
        file.truncate(MAX_BYTES + 1)


def link_to(target):
    return lambda path: os.symlink(target, path)


# -- inputs that are not regular files, or too large ----------------------------------------

NOT_FILES = [
    pytest.param(
        fifo,
        "requirements.txt",
        ("--reqs-file=requirements.txt",),
        2,
        [],
        [f"flake8-reqs: requirements.txt: {FIFO}"],
        id="a FIFO as the requirements file",
        marks=needs_fifos,
    ),
    pytest.param(
        fifo,
        "requirements.txt",
        (),
        0,
        [],
        [f"flake8-reqs: requirements.txt: {FIFO}", NOTHING_FOUND],
        id="a FIFO as the default requirements file: named, not passed over in silence",
        marks=needs_fifos,
    ),
    pytest.param(
        link_to("/dev/zero"),
        "requirements.txt",
        ("--reqs-file=requirements.txt",),
        2,
        [],
        [f"flake8-reqs: requirements.txt: {CHARACTER_DEVICE}"],
        id="a link to /dev/zero as the requirements file",
        marks=needs_dev,
    ),
    pytest.param(
        huge,
        "requirements.txt",
        ("--reqs-file=requirements.txt",),
        2,
        [],
        [f"flake8-reqs: requirements.txt: {TOO_LARGE}"],
        id="a requirements file past the size limit",
    ),
    pytest.param(
        fifo,
        "more.txt",
        ("--reqs-file=top.txt",),
        1,
        [
            "./app.py:2:1: "
            + UNDECLARED.format("magic", "top.txt", "; it is provided by 'python-magic'")
        ],
        [f"flake8-reqs: top.txt:2: -r target 'more.txt' {FIFO}"],
        id="a FIFO as an -r target",
        marks=needs_fifos,
    ),
    pytest.param(
        link_to("/dev/zero"),
        "more.txt",
        ("--reqs-file=top.txt",),
        1,
        [
            "./app.py:2:1: "
            + UNDECLARED.format("magic", "top.txt", "; it is provided by 'python-magic'")
        ],
        [f"flake8-reqs: top.txt:2: -r target 'more.txt' {CHARACTER_DEVICE}"],
        id="-r /dev/zero",
        marks=needs_dev,
    ),
    pytest.param(
        fifo,
        "Dockerfile",
        (),
        1,
        ["./app.py:2:1: " + MAGIC_UNDECLARED],
        [f"flake8-reqs: Dockerfile: {FIFO}; reporting every system need"],
        id="a FIFO as the Dockerfile",
        marks=needs_fifos,
    ),
]


@pytest.mark.parametrize("said", [0, 1, 4095, 4096, 4097])
def test_a_file_that_grew_after_its_size_was_taken_is_read_whole(tmp_path, monkeypatch, said):
    # read_file reads as many bytes as fstat said, and on when there are more.
    from flake8_reqs import inputs

    content = b"import os\n" * 500  # 5,000 bytes
    path = tmp_path / "grown.py"
    path.write_bytes(content)
    real = os.fstat

    def smaller(descriptor):
        status = list(real(descriptor))
        status[stat.ST_SIZE] = said
        return os.stat_result(status)

    monkeypatch.setattr(inputs.os, "fstat", smaller)
    assert inputs.read_file(path) == content


@pytest.mark.parametrize(("make", "name", "args", "status", "out", "err"), NOT_FILES)
def test_an_input_that_is_not_a_regular_file_is_named_and_never_read(
    tmp_path, make, name, args, status, out, err
):
    files = {"app.py": APP, "requirements.txt": "flask\n", "top.txt": "flask\n-r more.txt\n"}
    project = make_project(tmp_path, {key: value for key, value in files.items() if key != name})
    make(project / name)
    result = run_cli(project, "--select=REQ0", *args, timeout=GUARD)
    assert (result.exit_code, result.out, result.err) == (status, out, err)


@needs_fifos
def test_a_fifo_as_pyproject_toml_beside_requirements_txt(tmp_path):
    # flake8 runs in src/: Flake8-pyproject reads ./pyproject.toml itself, and would wait on it.
    project = make_project(tmp_path, {"src/app.py": APP, "requirements.txt": "flask\n"})
    fifo(project / "pyproject.toml")
    result = run_cli(project, "--select=REQ0", cwd=project / "src", timeout=GUARD)
    expected = "./app.py:2:1: " + UNDECLARED.format(
        "magic", "../requirements.txt", "; it is provided by 'python-magic'"
    )
    assert (result.exit_code, result.out) == (1, [expected])
    assert result.err == [f"flake8-reqs: ../pyproject.toml: {FIFO}"]


@needs_dev
def test_dev_stdin_as_the_requirements_file_is_not_read(tmp_path):
    # Piped stdin is a FIFO: reading it would wait for the editor or shell that never writes.
    project = make_project(tmp_path, {"app.py": APP})
    result = run_cli(project, "--select=REQ0", "--reqs-file=/dev/stdin", stdin="", timeout=GUARD)
    assert (result.exit_code, result.out) == (2, [])
    assert result.err == [f"flake8-reqs: /dev/stdin: {FIFO}"]


CHECKED_FILES = [
    pytest.param(fifo, FIFO, id="a FIFO", marks=needs_fifos),
    pytest.param(link_to("/dev/zero"), CHARACTER_DEVICE, id="a link to /dev/zero", marks=needs_dev),
    pytest.param(huge, TOO_LARGE, id="past the size limit"),
]


@pytest.mark.parametrize(("make", "reason"), CHECKED_FILES)
@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_python_file_that_is_not_a_regular_file_is_named_by_check(tmp_path, make, reason, jobs):
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    make(project / "odd.py")
    result = run_cli(
        project, "check", "--no-cache", jobs, "--select=REQ0", module="flake8_reqs", timeout=GUARD
    )
    assert result.out == ["app.py:2:1: " + MAGIC_UNDECLARED]
    assert (result.exit_code, result.err) == (1, [UNKNOWN_TARGET, f"flake8-reqs: odd.py: {reason}"])


@needs_fifos
def test_a_fifo_as_the_editors_pyproject_is_not_read(tmp_path):
    project = make_project(tmp_path / "project", {"requirements.txt": "flask\n", "src/app.py": ""})
    fifo(project / "pyproject.toml")
    result = run_cli(
        project,
        "--select=REQ0",
        f"--stdin-display-name={project / 'src' / 'app.py'}",
        "-",
        stdin=APP,
        cwd=tmp_path,
        timeout=GUARD,
    )
    assert result.out == [
        f"{project / 'src' / 'app.py'}:2:1: "
        + UNDECLARED.format("magic", "requirements.txt", "; it is provided by 'python-magic'")
    ]
    assert result.exit_code == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")
def test_a_socket_as_the_requirements_file_is_named(tmp_path, monkeypatch):
    import socket

    project = make_project(tmp_path, {"app.py": APP})
    monkeypatch.chdir(project)  # a socket's path must be short: bind it relative
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind("requirements.txt")
        result = run_cli(project, "--select=REQ0", "--reqs-file=requirements.txt", timeout=GUARD)
    finally:
        listener.close()
    assert (result.exit_code, result.out) == (2, [])
    assert result.err == ["flake8-reqs: requirements.txt: is a socket, not a regular file"]


# -- input nested deeper than Python's recursion limit ----------------------------------------

DEPTH = 3000  # past sys.getrecursionlimit() (1000), where a recursive reader fails
NOTS = "not " * 1500  # ast parses these (3000 does not); our guard evaluation must too
# Python 3.10's parser stops at a nesting depth that 3.9's parser still reads whole.
PARSER_LIMITS_DEPTH = sys.version_info >= (3, 10)
RUN_EXEC_DEEP = "[" * 100_000 + "]" * 100_000
TOML_DEEP = "[" * DEPTH + "]" * DEPTH
INCLUDES = "".join(f'g{i} = [{{include-group = "g{i + 1}"}}]\n' for i in range(DEPTH))

# The sources below are read by flake8-reqs only: flake8 checks app.py alone, since pyflakes
# (and flake8's own parser) fail on Python this deep, as flake8 reports.
DEEP_SOURCES = [
    pytest.param(
        {"dev/pyproject.toml": f"[tool.x]\na = {TOML_DEEP}\n"},
        ("--reqs-dev-file=dev/pyproject.toml",),
        ["flake8-reqs: dev/pyproject.toml: nested too deeply to be read"],
        id="TOML arrays 3000 deep",
    ),
    pytest.param(
        {"nixpacks.toml": f"[phases.setup]\naptPkgs = {TOML_DEEP}\n"},
        ("--reqs-system-file=nixpacks.toml",),
        ["flake8-reqs: nixpacks.toml: nested too deeply to be read"],
        id="nixpacks.toml arrays 3000 deep",
    ),
    pytest.param(
        {"Dockerfile": f"FROM python:3.12-slim\nRUN {RUN_EXEC_DEEP}\n"},
        (),
        [
            "flake8-reqs: Dockerfile:2: RUN [...] is nested too deeply to be read; "
            "what it installs is not counted"
        ],
        id="JSON 100,000 deep in a Dockerfile RUN [...]",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-slim\nRUN python3" + " -X a" * 3000 + " -m pip list\n"},
        (),
        [],
        id="a RUN line with 3000 python -X options",
    ),
    pytest.param(
        {"dev/pyproject.toml": f'[dependency-groups]\n{INCLUDES}g{DEPTH} = ["pyyaml"]\n'},
        ("--reqs-dev-file=dev/pyproject.toml",),
        [],
        id="a chain of 3000 include-group items",
    ),
    pytest.param(
        {"dev/setup.py": f"x = {NOTS * 3}True\n"},
        ("--reqs-dev-file=dev/setup.py",),
        # Python 3.9's parser reads it whole: then there is nothing to say.
        ["flake8-reqs: dev/setup.py: nested too deeply to be read"] * PARSER_LIMITS_DEPTH,
        id="a setup.py too deep for ast",
    ),
]


@pytest.mark.parametrize(("files", "args", "err"), DEEP_SOURCES)
def test_a_source_nested_too_deeply_gives_one_line_and_the_rest_is_checked(
    tmp_path, run_flake8, files, args, err
):
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n", **files})
    result = run_flake8(project, "--select=REQ0", *args, "app.py")
    assert (result.exit_code, result.out, result.err) == (
        1,
        ["app.py:2:1: " + MAGIC_UNDECLARED],
        err,
    )


def test_a_pyproject_toml_nested_too_deeply_beside_the_requirements(tmp_path, run_flake8):
    # flake8 runs in src/: Flake8-pyproject reads ./pyproject.toml, and fails on it itself.
    files = {
        "src/app.py": APP,
        "requirements.txt": "flask\n",
        "pyproject.toml": f"[tool.x]\na = {TOML_DEEP}\n",
    }
    project = make_project(tmp_path, files)
    result = run_flake8(project / "src", "--select=REQ0", "app.py")
    # One file, as an editor checks it: the source is named from the project's root.
    expected = "app.py:2:1: " + UNDECLARED.format(
        "magic", "requirements.txt", "; it is provided by 'python-magic'"
    )
    assert (result.exit_code, result.out) == (1, [expected])
    assert result.err == ["flake8-reqs: pyproject.toml: nested too deeply to be read"]


DEEP_GUARDS = [
    pytest.param(
        f"import sys\nif {NOTS}sys.platform == 'win32':\n    import yaml\nimport magic\n",
        ["app.py:4:1: " + MAGIC_UNDECLARED],
        id="1500 nots: evaluated (an even count: yaml is Windows-only)",
    ),
    pytest.param(
        "import sys\nif " + ".".join(["sys"] * 1500) + " == 1:\n    import magic\n",
        ["app.py:3:5: " + MAGIC_UNDECLARED],
        id="an attribute chain 1500 long: cannot tell, both branches checked",
    ),
    pytest.param(
        "import sys\nfrom pathlib import Path\n"
        "sys.path.insert(0, Path(__file__)" + ' / "lib"' * 1500 + ")\nimport magic\n",
        ["app.py:4:1: " + MAGIC_UNDECLARED],
        id="a sys.path addition 1500 deep: not one that can be followed",
    ),
]


@pytest.mark.parametrize(("app", "out"), DEEP_GUARDS)
def test_a_guard_nested_deeper_than_the_recursion_limit_is_evaluated(
    tmp_path, monkeypatch, capsys, app, out
):
    # Through check: pyflakes itself fails on these files under flake8.
    from flake8_reqs.commands.cli import main

    monkeypatch.chdir(make_project(tmp_path, {"app.py": app, "requirements.txt": "flask\n"}))
    status = main(["check", "--no-cache", "-j1", "--select=REQ0"])
    captured = capsys.readouterr()
    assert (status, captured.out.splitlines(), captured.err) == (1, out, UNKNOWN_TARGET + "\n")


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_python_file_too_deep_for_ast_is_named_by_check(tmp_path, jobs):
    project = make_project(
        tmp_path,
        {
            "app.py": APP,
            "requirements.txt": "flask\n",
            "deep.py": f"if {NOTS * 3}True:\n    import yaml\n",
        },
    )
    result = run_cli(
        project, "check", "--no-cache", jobs, "--select=REQ0", module="flake8_reqs", timeout=GUARD
    )
    deep_yaml = (
        "deep.py:2:5: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(requirements.txt); it is provided by 'pyyaml'"
    )
    if not PARSER_LIMITS_DEPTH:  # Python 3.9 parses it: its import is checked like any other
        assert result.out == ["app.py:2:1: " + MAGIC_UNDECLARED, deep_yaml]
        assert (result.exit_code, result.err) == (1, [UNKNOWN_TARGET])
        return
    assert result.out == ["app.py:2:1: " + MAGIC_UNDECLARED]
    assert (result.exit_code, result.err) == (
        1,
        [UNKNOWN_TARGET, "flake8-reqs: deep.py: nested too deeply to be parsed"],
    )


# -- long input is read in linear time --------------------------------------------------------
# Not timed: the guard fails a run that takes minutes, as these did (quadratic), where they
# now take seconds.

ENTRIES = 10_000
PYPROJECT_10K = (
    '[project]\nname = "app"\nversion = "1"\ndependencies = [\n  "python-magic",\n'
    + "".join(f'  "p{i}",\n' for i in range(ENTRIES))
    + "]\n[project.optional-dependencies]\n"
    + "".join(f'e{i} = ["q{i}"]\n' for i in range(ENTRIES))
    + "[dependency-groups]\n"
    + "".join(f'g{i} = ["r{i}"]\n' for i in range(ENTRIES))
)
SETUP_CFG_20K = (
    "[options]\ninstall_requires =\n  python-magic\n"
    + "".join(f"  p{i}\n" for i in range(2 * ENTRIES))
    + "[options.extras_require]\n"
    + "".join(f"e{i} = q{i}\n" for i in range(2 * ENTRIES))
)
LONG_WORD = "x" * 5_000_000
slow = pytest.mark.slow

LONG_INPUTS = [
    # Seconds each, most of it looking 10,000 distributions up in the installed metadata.
    pytest.param(
        {"pyproject.toml": PYPROJECT_10K}, id="pyproject.toml: 10,000 of each", marks=slow
    ),
    pytest.param({"setup.cfg": SETUP_CFG_20K}, id="setup.cfg: 20,000 of each", marks=slow),
    pytest.param(
        {
            "requirements.txt": "python-magic\n",
            "Dockerfile": f"FROM python:3.12-slim\nRUN apt-get install -y libmagic1 {LONG_WORD}\n",
        },
        id="a Dockerfile RUN line with a 5 MB word",
    ),
]


@pytest.mark.parametrize("files", LONG_INPUTS)
def test_long_inputs_are_read_in_linear_time(tmp_path, files):
    # flake8 runs in src/, so that Flake8-pyproject does not read the pyproject.toml.
    dockerfile = "FROM python:3.12-slim\nRUN apt-get install -y libmagic1\n"
    project = make_project(
        tmp_path, {"src/app.py": "import magic\n", "Dockerfile": dockerfile, **files}
    )
    result = run_cli(project, "--select=REQ", cwd=project / "src", timeout=GUARD)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


# -- a problem that stops the checks fails the run; one in a source stops only that source ---


def boom(*args, **kwargs):
    raise ValueError("boom")


INTERNAL = "not read, an internal error: ValueError('boom'); please report it (-v shows more)"

BUGS_IN_ONE_SOURCE = [
    pytest.param(
        "flake8_reqs.system.dockerfile.read_dockerfile",
        {"Dockerfile": "FROM python:3.12-slim\n"},
        (),
        [f"flake8-reqs: Dockerfile: {INTERNAL}; reporting every system need"],
        id="the Dockerfile",
    ),
    pytest.param(
        "flake8_reqs.declared.sources.pyproject.read_pyproject",
        {"dev/pyproject.toml": "[dependency-groups]\ntest = ['pytest']\n"},
        ("--reqs-dev-file=dev/pyproject.toml",),
        [f"flake8-reqs: dev/pyproject.toml: {INTERNAL}"],
        id="a --reqs-dev-file",
    ),
]


@pytest.mark.parametrize(("reader", "files", "args", "err"), BUGS_IN_ONE_SOURCE)
def test_a_bug_reading_one_source_leaves_the_others_checked(
    tmp_path, run_flake8, monkeypatch, reader, files, args, err
):
    # Was "internal error, REQ checks skipped" and exit 0: CI passed with nothing checked.
    monkeypatch.setattr(reader, boom)
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n", **files})
    result = run_flake8(project, "--select=REQ0", *args, "app.py")
    assert (result.exit_code, result.out, result.err) == (
        1,
        ["app.py:2:1: " + MAGIC_UNDECLARED],
        err,
    )


@pytest.mark.parametrize(
    "reader",
    [
        pytest.param("flake8_reqs.declared.sources.pip.read_requirements_file", id="--reqs-file"),
        pytest.param("flake8_reqs.project.build.build_state", id="the project state"),
    ],
)
@pytest.mark.parametrize(
    "reqs_file", [(), ("--reqs-file=requirements.txt",)], ids=["found", "given"]
)
def test_a_bug_that_stops_the_checks_fails_the_run(
    tmp_path, run_flake8, monkeypatch, reader, reqs_file
):
    monkeypatch.setattr(reader, boom)
    project = make_project(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    result = run_flake8(project, "--select=REQ0", *reqs_file, "app.py")
    assert (result.exit_code, result.out) == (2, [])
    assert result.err == [
        "flake8-reqs: internal error: ValueError('boom'); please report it (-v shows more)"
    ]


# -- a folder that cannot be listed is named ---------------------------------------------------


@pytest.fixture
def unlistable(monkeypatch):
    """Folders named ``secret`` cannot be listed, as without read permission (which root,
    running these tests in a container, would not feel)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.path.normpath(os.fspath(path))) == "secret":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("command", ["check", "system"])
def test_a_folder_that_cannot_be_listed_is_named(
    tmp_path, monkeypatch, capsys, unlistable, command
):
    from flake8_reqs.commands.cli import main

    files = {"app.py": APP, "requirements.txt": "flask\n", "secret/job.py": "import yaml\n"}
    monkeypatch.chdir(make_project(tmp_path, files))
    main([command, "--no-cache", "-j1", "--select=REQ0"])
    assert capsys.readouterr().err.splitlines() == [
        "flake8-reqs: secret: cannot be listed: Permission denied; its files are not checked",
        *([UNKNOWN_TARGET] if command == "check" else []),
    ]


def test_check_names_the_folder_and_reports_the_rest(tmp_path, monkeypatch, capsys, unlistable):
    from flake8_reqs.commands.cli import main

    files = {"app.py": APP, "requirements.txt": "flask\n", "src/secret/job.py": "import yaml\n"}
    monkeypatch.chdir(make_project(tmp_path, files))
    status = main(["check", "--no-cache", "-j1", "--select=REQ0"])
    captured = capsys.readouterr()
    assert (status, captured.out.splitlines()) == (1, ["app.py:2:1: " + MAGIC_UNDECLARED])
    assert captured.err.splitlines() == [
        "flake8-reqs: src/secret: cannot be listed: Permission denied; its files are not checked",
        UNKNOWN_TARGET,
    ]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permissions bind only non-root POSIX"
)
def test_a_folder_without_read_permission_is_named(tmp_path):
    files = {"app.py": APP, "requirements.txt": "flask\n", "secret/job.py": "import yaml\n"}
    project = make_project(tmp_path, files)
    (project / "secret").chmod(0o300)
    try:
        result = run_cli(project, "check", "--no-cache", "-j1", module="flake8_reqs", timeout=GUARD)
    finally:
        (project / "secret").chmod(0o755)
    assert result.err == [
        "flake8-reqs: secret: cannot be listed: Permission denied; its files are not checked",
        UNKNOWN_TARGET,
    ]


# -- a killed worker ends the run --------------------------------------------------------------

# check, with every worker that reads killer.py killed as the kernel's OOM killer would.
KILLING_DRIVER = """
import os, signal, sys
import flake8_reqs.code.scan as scan
real = scan.read_imports
def dying(source, target, filename):
    if filename.endswith("killer.py"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target, filename=filename)
scan.read_imports = dying
from flake8_reqs.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


# The same, killed a second after it began reading killer.py: by then the command's own
# process reads beside the prescan, and waits for the file the prescan is reading.
SLOW_KILLING_DRIVER = KILLING_DRIVER.replace(
    "os.kill(os.getpid()", "__import__('time').sleep(1); os.kill(os.getpid()"
)


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the patch")
@pytest.mark.parametrize(
    ("aged", "driver"),
    [
        # Files changed this instant: no prescan reads them, a worker does.
        pytest.param(False, KILLING_DRIVER, id="a worker"),
        # The prescan reads the largest first: killed before the run reads a file, or while
        # the command's own process reads beside it.
        pytest.param(True, KILLING_DRIVER, id="the prescan, early"),
        pytest.param(True, SLOW_KILLING_DRIVER, id="the prescan, while read beside"),
    ],
)
def test_a_killed_worker_ends_the_run_with_one_line(tmp_path, aged, driver):
    # A multiprocessing.Pool waited forever for the killed worker's answer.
    files = {
        "requirements.txt": "flask\n",
        "app.py": APP,
        "other.py": "import os\n",
        "killer.py": "import os\n" + "# the largest file, read first\n" * 100,
    }
    project = make_project(tmp_path, files)
    if aged:
        age(project)
    line = _stopped_check(project, driver)
    assert re.fullmatch(
        r"flake8-reqs: a process reading the files was killed \(perhaps for lack of memory\) "
        r"before reading killer\.py( and \d more files)?; the run is stopped",
        line,
    ), line


def _stopped_check(project, driver):
    """``check -j2`` run through ``driver``: it stops with exit 2, nothing on stdout, and
    after the target's line one line on stderr, returned."""
    completed = subprocess.run(
        [sys.executable, "-c", driver, "check", "--no-cache", "-j2"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    said, line = completed.stderr.splitlines()
    assert said == UNKNOWN_TARGET
    return line


# check, with the pool broken while chunks are still being handed out: a worker killed that
# early makes submit() raise, not the chunk's result (a traceback and exit 1 before).
BREAKING_DRIVER = """
import sys
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
real = ProcessPoolExecutor.submit
calls = []
def submit(self, *args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        raise BrokenProcessPool("a child process terminated abruptly")
    return real(self, *args, **kwargs)
ProcessPoolExecutor.submit = submit
from flake8_reqs.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_worker_killed_before_every_chunk_is_handed_out_ends_the_run_with_one_line(tmp_path):
    files = {"requirements.txt": "flask\n", "app.py": APP}
    files.update({f"module{index:03d}.py": "import os\n" for index in range(40)})
    line = _stopped_check(make_project(tmp_path, files), BREAKING_DRIVER)
    assert re.fullmatch(
        r"flake8-reqs: a process reading the files was killed \(perhaps for lack of memory\) "
        r"before reading \S+\.py and \d+ more files; the run is stopped",
        line,
    ), line


# -- file names that are not UTF-8 -------------------------------------------------------------

LATIN_1_NAME = os.fsdecode(b"caf\xe9.py")  # as Python holds it: a surrogate escape


def check_bytes(project, *args):
    """``flake8-reqs check`` with a strict UTF-8 stdout (as PYTHONIOENCODING or a UTF-8
    locale other than C.UTF-8 give): its exit status, stdout bytes and stderr lines."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache", "-j1", *args],
        cwd=project,
        capture_output=True,
        timeout=GUARD,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return completed.returncode, completed.stdout, completed.stderr.decode().splitlines()


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes")
def test_sarif_names_a_file_whose_name_is_not_utf8(tmp_path):
    # Was a UnicodeEncodeError traceback.
    import json

    project = make_project(tmp_path, {"requirements.txt": "flask\n", LATIN_1_NAME: APP})
    status, out, err = check_bytes(project, "--format=sarif", "--select=REQ001")
    (result,) = json.loads(out)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "caf%E9.py", "uriBaseId": "%SRCROOT%"}
    assert (status, err) == (1, [UNKNOWN_TARGET])


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes")
def test_text_output_prints_a_name_that_is_not_utf8_as_its_bytes(tmp_path):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", LATIN_1_NAME: APP})
    status, out, err = check_bytes(project, "--select=REQ001")
    assert out.decode("utf-8", "surrogateescape").splitlines() == [
        f"{LATIN_1_NAME}:2:1: " + MAGIC_UNDECLARED
    ]
    assert (status, err) == (1, [UNKNOWN_TARGET])
