"""Hostile and broken input, through flake8: one line on stderr, no traceback, the run goes on.

The readers' own tests (tests/declared/sources/, tests/system/test_files.py) hold every message to
the letter; these hold the whole run to what README's "Problems with your inputs" promises:
the problem is named by file and line, once, the rest of the input is still used, the other
findings are still reported and the exit status still reflects them.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys

import pytest

from tests.conftest import UNKNOWN_TARGET, make_project, run_cli

UNDECLARED = "REQ001 '{}' is imported but not declared as a runtime requirement ({}){}"
MAGIC = "; it is provided by 'python-magic'"
YAML = "; it is provided by 'pyyaml'"
# Lines 1-6 of every broken requirements file: the problem is always on line 7.
PREAMBLE = "# runtime requirements\nflask\n\n# the web server\n\nsix\n"
APP = "import flask\nimport magic\n"
MAGIC_UNDECLARED = "./app.py:2:1: " + UNDECLARED.format("magic", "requirements.txt", MAGIC)
INVALID_SPEC = "expected semicolon (after name with no version specifier) or end"
NOT_RUN = "flake8-reqs reads setup.py without running it"


def run_flake8_on(run_flake8, tmp_path, files, *args, cwd="."):
    project = make_project(tmp_path, files)
    return run_flake8(project / cwd, "--select=REQ0", *args)


# -- requirements files: a bad line is named, the rest of the file is used -----------------

# Messages packaging words: only our prefix is ours, packaging may reword the rest.
INVALID_BY_PACKAGING = [
    pytest.param("flask>=", id="no version after the operator"),
    pytest.param("foo bar", id="two names"),
    pytest.param("foo[", id="extras not closed"),
    pytest.param("foo;python_version>", id="marker without a value"),
    pytest.param("==1.0", id="no name"),
    pytest.param("foo @", id="no URL after @"),
    pytest.param("fla\x00sk", id="a NUL byte inside a name"),
]


@pytest.mark.parametrize("line", INVALID_BY_PACKAGING)
def test_invalid_requirement_is_named_and_the_rest_is_used(tmp_path, run_flake8, line):
    files = {"requirements.txt": PREAMBLE + line + "\n", "app.py": APP}
    result = run_flake8_on(run_flake8, tmp_path, files)
    (error,) = result.err
    shown = line.replace("\x00", "\\x00")
    assert error.startswith(f"flake8-reqs: requirements.txt:7: invalid requirement '{shown}': ")
    assert (result.exit_code, result.out) == (1, [MAGIC_UNDECLARED])


def test_invalid_requirement_in_setup_cfg(tmp_path, run_flake8):
    # setup.cfg is flake8's configuration too: its [flake8] section is still read.
    text = "[flake8]\nselect = REQ0\n[options]\ninstall_requires =\n    flask\n    foo[\n"
    result = run_flake8(make_project(tmp_path, {"setup.cfg": text, "app.py": APP}))
    (error,) = result.err
    assert error.startswith("flake8-reqs: setup.cfg:6: invalid requirement 'foo[': ")
    expected = "./app.py:2:1: " + UNDECLARED.format("magic", "setup.cfg", MAGIC)
    assert (result.exit_code, result.out) == (1, [expected])


# Messages of our own: asserted whole.
LINE_PROBLEMS = [
    pytest.param(
        {"requirements.txt": PREAMBLE + "--frobnicate x\n"},
        ["requirements.txt:7: unknown pip option '--frobnicate'"],
        id="unknown pip option",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r missing.txt\n"},
        ["requirements.txt:7: -r target 'missing.txt' not found"],
        id="-r to a missing file",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r reqs\n", "reqs/base.txt": "python-magic\n"},
        ["requirements.txt:7: -r target 'reqs' is a directory, not a requirements file"],
        id="-r to a folder",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r requirements.txt\n"},
        ["requirements.txt:7: include cycle: requirements.txt -> requirements.txt"],
        id="-r to itself",
    ),
    pytest.param(
        {
            "requirements.txt": PREAMBLE + "-r a.txt\n",
            "a.txt": "-r b.txt\n",
            "b.txt": "pyyaml\n-r a.txt\n",
        },
        ["b.txt:2: include cycle: a.txt -> b.txt -> a.txt"],
        id="include cycle of two files",
    ),
    pytest.param(
        {
            "requirements.txt": PREAMBLE + "-r reqs/a.txt\n",
            "reqs/a.txt": "-r b.txt\n",
            "reqs/b.txt": "-r c.txt\n",
            "reqs/c.txt": "pyyaml\n-r a.txt\n",
        },
        ["reqs/c.txt:2: include cycle: reqs/a.txt -> reqs/b.txt -> reqs/c.txt -> reqs/a.txt"],
        id="include cycle of three files",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r base.txt\n", "base.txt": "-r requirements.txt\n"},
        ["base.txt:1: include cycle: requirements.txt -> base.txt -> requirements.txt"],
        id="include cycle back to the top file",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r latin.txt\n", "latin.txt": b"pyyaml\ncaf\xe9\n"},
        ["requirements.txt:7: -r target 'latin.txt' is not valid UTF-8 text (line 2); "
         "save it as UTF-8"],
        id="-r to a Latin-1 file",
    ),
    pytest.param(
        {"requirements.txt": PREAMBLE + "-r https://example.com/requirements.txt\n"},
        ["requirements.txt:7: -r target 'https://example.com/requirements.txt' is a URL; "
         "only local files are read"],
        id="-r to a URL",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("files", "errors"), LINE_PROBLEMS)
def test_line_problem_is_named_and_the_rest_is_used(tmp_path, run_flake8, files, errors):
    result = run_flake8_on(run_flake8, tmp_path, {**files, "app.py": APP})
    assert result.err == [f"flake8-reqs: {error}" for error in errors]
    assert (result.exit_code, result.out) == (1, [MAGIC_UNDECLARED])


@pytest.mark.parametrize("depth", [50, 1000])
def test_a_deep_chain_of_includes_is_followed_to_its_end(tmp_path, run_flake8, depth):
    # There is no depth limit: the reader keeps its own stack, not Python's.
    files = {f"reqs/{level}.txt": f"-r {level + 1}.txt\n" for level in range(depth)}
    files[f"reqs/{depth}.txt"] = "python-magic\n"
    files["requirements.txt"] = "flask\n-r reqs/0.txt\n"
    result = run_flake8_on(run_flake8, tmp_path, {**files, "app.py": APP + "import yaml\n"})
    expected = "./app.py:3:1: " + UNDECLARED.format("yaml", "requirements.txt", YAML)
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


# -- text encodings: what pip reads is read, what it cannot is named --------------------------

READABLE = [
    pytest.param(codecs.BOM_UTF8 + b"flask\n", id="UTF-8 with a BOM"),
    pytest.param(codecs.BOM_UTF16_LE + "flask\n".encode("utf-16-le"), id="UTF-16-LE with a BOM"),
    pytest.param(codecs.BOM_UTF16_BE + "flask\n".encode("utf-16-be"), id="UTF-16-BE with a BOM"),
    pytest.param(b"# comment\r\nflask \\\r\n  >=2\r\n", id="CRLF line ends and a continuation"),
    pytest.param(b"# -*- coding: latin-1 -*-\nflask  # caf\xe9\n", id="Latin-1 with a coding line"),
]


@pytest.mark.parametrize("data", READABLE)
def test_encodings_pip_reads_are_read(tmp_path, run_flake8, data):
    result = run_flake8_on(run_flake8, tmp_path, {"requirements.txt": data, "app.py": APP})
    assert (result.exit_code, result.out, result.err) == (1, [MAGIC_UNDECLARED], [])


LATIN_1 = b"flask\ncaf\xe9\n"
NOTHING_FOUND = (
    "flake8-reqs: no runtime requirements found (looked for pyproject.toml, setup.cfg, "
    "setup.py, requirements.txt, Pipfile, environment.yml); nothing is checked"
)


def test_a_latin1_reqs_file_stops_the_run(tmp_path):
    project = make_project(tmp_path, {"requirements.txt": LATIN_1, "app.py": APP})
    result = run_cli(project, "--select=REQ0", "--reqs-file=requirements.txt")
    assert (result.exit_code, result.out, result.err) == (
        2,
        [],
        ["flake8-reqs: requirements.txt: is not valid UTF-8 text (line 2); save it as UTF-8"],
    )


def test_a_latin1_default_source_is_named_and_passed_over(tmp_path, run_flake8):
    files = {"requirements.txt": LATIN_1, "app.py": APP}
    result = run_flake8_on(run_flake8, tmp_path, files)
    assert (result.exit_code, result.out) == (0, [])
    assert result.err == [
        "flake8-reqs: requirements.txt: is not valid UTF-8 text (line 2); save it as UTF-8",
        NOTHING_FOUND,
    ]
    fallback = {**files, "setup.cfg": "[options]\ninstall_requires =\n    flask\n"}
    result = run_flake8_on(run_flake8, tmp_path, fallback)
    expected = "./app.py:2:1: " + UNDECLARED.format("magic", "setup.cfg", MAGIC)
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


def test_utf16_without_a_bom_is_named_line_by_line_as_pip_would(tmp_path, run_flake8):
    # pip reads it as UTF-8 too, and fails on its first line with the NULs in it.
    files = {"requirements.txt": "flask\nsix\n".encode("utf-16-le"), "app.py": APP}
    result = run_flake8_on(run_flake8, tmp_path, files, "--reqs-file=requirements.txt")
    prefixes = [
        "flake8-reqs: requirements.txt:1: invalid requirement 'f\\x00l\\x00a\\x00s\\x00k\\x00': ",
        "flake8-reqs: requirements.txt:2: invalid requirement '\\x00s\\x00i\\x00x\\x00': ",
        "flake8-reqs: requirements.txt:3: invalid requirement '\\x00': ",
    ]
    assert len(result.err) == len(prefixes)
    assert all(map(str.startswith, result.err, prefixes)), result.err
    assert result.out == [
        "./app.py:1:1: " + UNDECLARED.format("flask", "requirements.txt", ""),
        MAGIC_UNDECLARED,
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("files", "error"),
    [
        pytest.param(
            {"requirements.txt": "flask>=\n"},
            f"requirements.txt:1: invalid requirement 'flask>=': {INVALID_SPEC}",
            id="requirements.txt whose only line is invalid",
        ),
        pytest.param(
            {"setup.py": "from setuptools import setup\nsetup(install_requires=get_reqs())\n"},
            f"setup.py:2: install_requires is not a literal; {NOT_RUN}",
            id="setup.py with install_requires=get_reqs()",
        ),
    ],
)
def test_a_default_source_that_declares_nothing_says_why(tmp_path, run_flake8, files, error):
    result = run_flake8_on(run_flake8, tmp_path, {**files, "app.py": APP})
    assert result.err == [f"flake8-reqs: {error}", NOTHING_FOUND]


# -- a 50 MB requirements file -----------------------------------------------------------------

FIFTY_MB = 50_000_000


def write_padded(path, line):
    """Write a 50 MB requirements file: comment lines, then python-magic."""
    count = FIFTY_MB // len(line)
    with path.open("w", encoding="utf-8") as file:
        for _ in range(count // 10_000):
            file.write(line * 10_000)
        file.write(line * (count % 10_000) + "python-magic\n")
    return count + 1


def test_a_fifty_megabyte_file_is_read_to_its_last_line(tmp_path, run_flake8):
    project = make_project(tmp_path, {"app.py": APP})
    write_padded(project / "requirements.txt", "# " + "x" * 97 + "\n")
    result = run_flake8(project, "--select=REQ0", "--reqs-file=requirements.txt")
    expected = "./app.py:1:1: " + UNDECLARED.format("flask", "requirements.txt", "")
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


# Runs flake8 and prints, last on stderr, the most memory the process held (kB on Linux).
# The peak is the process's own: VmHWM, of its address space since exec. ru_maxrss counts the
# process it was forked from too, so the figure grew with the test session's own memory
# (402 MB once, in a full run, for a flake8 that peaked at 126 MB).
MEMORY_DRIVER = (
    "import re, sys\n"
    "from flake8.main.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "status_text = open('/proc/self/status', encoding='ascii').read()\n"
    "sys.stderr.write(re.search(r'VmHWM:\\s*(\\d+) kB', status_text).group(1) + '\\n')\n"
    "sys.exit(status)\n"
)


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/status is Linux's")
def test_millions_of_short_lines_are_not_held_at_once(tmp_path):
    # 12.5 million lines of 4 bytes: as a list of strings they took 960 MB (in 0.1.0).
    project = make_project(tmp_path, {"app.py": "import magic\nimport yaml\n"})
    lines = write_padded(project / "requirements.txt", "# c\n")
    assert lines == 12_500_001
    completed = subprocess.run(
        [sys.executable, "-c", MEMORY_DRIVER, "--jobs=1", "--select=REQ0"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    *errors, kilobytes = completed.stderr.splitlines()
    assert completed.stdout.splitlines() == [
        "./app.py:2:1: " + UNDECLARED.format("yaml", "requirements.txt", YAML)
    ]
    assert (completed.returncode, errors) == (1, [])
    assert int(kilobytes) < 400_000  # the file is 50 MB; its text is held once, as one str


# -- pyproject.toml: TOML syntax and types ---------------------------------------------------
# flake8 runs in src/: the Flake8-pyproject plugin (a test dependency) reads ./pyproject.toml
# for flake8's own settings and fails on broken TOML before flake8-reqs is asked anything.

PYPROJECT = "[project]\nname = 'app'\nversion = '1'\n"

PYPROJECT_PROBLEMS = [
    pytest.param(
        PYPROJECT + "dependencies = ['flask'\n",
        "../pyproject.toml:4: invalid TOML: Unclosed array",
        id="TOML syntax error",
    ),
    pytest.param(
        PYPROJECT + "dependencies = ['flask']\nname = 'again'\n",
        "../pyproject.toml:5: invalid TOML: Cannot overwrite a value",
        id="a key given twice",
    ),
    pytest.param(
        PYPROJECT + "dependencies = 'requests'\n",
        "../pyproject.toml:4: [project].dependencies must be a list of strings, not a string",
        id="dependencies is a string",
    ),
    pytest.param(
        PYPROJECT + "[project.dependencies]\nrequests = '*'\n",
        "../pyproject.toml:4: [project].dependencies must be a list of strings, not a table",
        id="dependencies is a table",
    ),
]


@pytest.mark.parametrize(("text", "error"), PYPROJECT_PROBLEMS)
def test_broken_pyproject_is_named_and_requirements_txt_is_used(tmp_path, run_flake8, text, error):
    files = {"pyproject.toml": text, "requirements.txt": "flask\n", "src/app.py": APP}
    result = run_flake8_on(run_flake8, tmp_path, files, cwd="src")
    expected = "./app.py:2:1: " + UNDECLARED.format("magic", "../requirements.txt", MAGIC)
    assert (result.exit_code, result.out, result.err) == (1, [expected], [f"flake8-reqs: {error}"])


def test_a_number_among_the_dependencies_is_named_and_the_rest_is_used(tmp_path, run_flake8):
    text = PYPROJECT + "dependencies = [\n  'flask',\n  3,\n]\n"
    result = run_flake8_on(
        run_flake8, tmp_path, {"pyproject.toml": text, "src/app.py": APP}, cwd="src"
    )
    assert result.err == [
        "flake8-reqs: ../pyproject.toml:4: [project].dependencies must be a list of strings; "
        "item 2 is an integer"
    ]
    expected = "./app.py:2:1: " + UNDECLARED.format("magic", "../pyproject.toml", MAGIC)
    assert (result.exit_code, result.out) == (1, [expected])


def test_broken_toml_as_the_reqs_file_declares_nothing(tmp_path):
    files = {"pyproject.toml": PYPROJECT + "dependencies = ['flask'\n", "src/app.py": APP}
    project = make_project(tmp_path, files)
    result = run_cli(project / "src", "--select=REQ0", "--reqs-file=../pyproject.toml")
    assert result.err == ["flake8-reqs: ../pyproject.toml:4: invalid TOML: Unclosed array"]
    assert result.out == [
        "./app.py:1:1: " + UNDECLARED.format("flask", "../pyproject.toml", ""),
        "./app.py:2:1: " + UNDECLARED.format("magic", "../pyproject.toml", MAGIC),
    ]
    assert result.exit_code == 1


# -- setup.py: read through ast, never run ---------------------------------------------------

SETUP_PY_PROBLEMS = [
    pytest.param(
        "<html>\n  <body>not Python</body>\n</html>\n",
        "setup.py:1: not valid Python: invalid syntax",
        id="not Python",
    ),
    pytest.param(
        "from setuptools import setup\nsetup(install_requires=get_reqs())\n",
        f"setup.py:2: install_requires is not a literal; {NOT_RUN}",
        id="install_requires=get_reqs()",
    ),
    pytest.param(
        "from setuptools import setup\nsetup(\n    install_requires=['python-magic'] + extra,\n)\n",
        f"setup.py:3: install_requires is not a literal; {NOT_RUN}",
        id="a list plus a name",
    ),
]


@pytest.mark.parametrize(("text", "error"), SETUP_PY_PROBLEMS)
def test_setup_py_that_cannot_be_read_literally(tmp_path, run_flake8, text, error):
    files = {"setup.py": text, "app.py": APP}
    result = run_flake8_on(run_flake8, tmp_path, files, "--reqs-file=setup.py")
    assert result.err == [f"flake8-reqs: {error}"]
    assert result.out == [
        "./app.py:1:1: " + UNDECLARED.format("flask", "setup.py", ""),
        "./app.py:2:1: " + UNDECLARED.format("magic", "setup.py", MAGIC),
    ]
    assert result.exit_code == 1


def test_setup_py_computing_its_requirements_is_passed_over_for_requirements_txt(
    tmp_path, run_flake8
):
    # The common pattern: setup.py reads requirements.txt. Nothing to say about it.
    files = {
        "setup.py": "from setuptools import setup\nsetup(install_requires=get_reqs())\n",
        "requirements.txt": "flask\n",
        "app.py": APP,
    }
    result = run_flake8_on(run_flake8, tmp_path, files)
    assert (result.exit_code, result.out, result.err) == (1, [MAGIC_UNDECLARED], [])


# -- Dockerfile given as --reqs-system-file ----------------------------------------------------

REQ101_MAGIC = (
    "./app.py:2:1: REQ101 'magic' (python-magic) needs the system library libmagic, which pip "
    "does not install: apt-get install libmagic1"
)
SLIM = "FROM python:3.12-slim\n"

DOCKERFILES = [
    pytest.param(
        SLIM + "RUN apt-get update && apt-get install -y libpq5 \\\n",
        "Dockerfile:2: line continuation at end of file",
        [REQ101_MAGIC],
        id="continuation at the end of the file",
    ),
    pytest.param(
        SLIM + "RUN apt-get install -y libpq5 \\\n    libmagic1 \\\n\n# the end\n",
        "Dockerfile:2: line continuation at end of file",
        [],
        id="continuation at the end of the file still installs what it names",
    ),
    pytest.param(
        SLIM + "RUN <<EOF\napt-get install -y libpq5\n",
        "Dockerfile:2: heredoc 'EOF' is not terminated",
        [REQ101_MAGIC],
        id="heredoc not terminated",
    ),
    pytest.param(
        SLIM + "RUN <<EOF\napt-get install -y libmagic1\nEOFF\n",
        "Dockerfile:2: heredoc 'EOF' is not terminated",
        [],
        id="heredoc not terminated still installs what it names",
    ),
    pytest.param(
        SLIM + "RUN apt-get install -y 'libpq5\n",
        "Dockerfile:2: RUN cannot be split into words: no closing quotation",
        [REQ101_MAGIC],
        id="quote not closed",
    ),
]


@pytest.mark.parametrize(("dockerfile", "error", "system_findings"), DOCKERFILES)
def test_broken_dockerfile_is_named_and_the_rest_is_used(
    tmp_path, run_flake8, dockerfile, error, system_findings
):
    files = {
        "requirements.txt": "flask\npython-magic\n",
        "app.py": APP + "import yaml\n",
        "Dockerfile": dockerfile,
    }
    result = run_flake8_on(
        run_flake8, tmp_path, files, "--select=REQ", "--reqs-system-file=Dockerfile"
    )
    yaml = "./app.py:3:1: " + UNDECLARED.format("yaml", "requirements.txt", YAML)
    assert result.err == [f"flake8-reqs: {error}"]
    assert (result.exit_code, result.out) == (1, sorted([*system_findings, yaml]))


def test_broken_dockerfile_through_the_command_line(tmp_path):
    files = {
        "requirements.txt": "flask\npython-magic\n",
        "app.py": APP,
        "Dockerfile": SLIM + "RUN <<EOF\napt-get install -y libpq5\n",
    }
    project = make_project(tmp_path, files)
    result = run_cli(project, "--select=REQ", "--reqs-system-file=Dockerfile", "--jobs=2")
    assert (result.exit_code, result.out, result.err) == (
        1,
        [REQ101_MAGIC],
        ["flake8-reqs: Dockerfile:2: heredoc 'EOF' is not terminated"],
    )


# -- the project tree: symlink loops, files that vanish, files flake8 cannot parse -----------

# ELOOP's number and wording, and symlinks that need no privilege, as on Linux.
needs_symlinks = pytest.mark.skipif(sys.platform != "linux", reason="Linux symlink loops")


@pytest.fixture
def looped_project(tmp_path):
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "app.py": APP,
            "pkg/__init__.py": "",
            "pkg/mod.py": "import yaml\nfrom pkg import app\n",
            "one/a.py": "",
            "two/b.py": "",
        },
    )
    os.symlink(".", project / "here")  # here -> .
    os.symlink("../two", project / "one" / "to_two")  # one/to_two -> two, two/to_one -> one
    os.symlink("../one", project / "two" / "to_one")
    os.symlink("loop.py", project / "loop.py")  # a link to itself: ELOOP when followed
    os.symlink("knot", project / "pkg" / "knot")
    return project


LOOPED_FINDINGS = [
    MAGIC_UNDECLARED,
    "./pkg/mod.py:1:1: " + UNDECLARED.format("yaml", "requirements.txt", YAML),
]


@needs_symlinks
def test_symlink_loops_under_flake8(looped_project, run_flake8):
    # Was "internal error, REQ checks skipped: OSError(40, ...)" and exit 0 (in 0.1.0).
    result = run_flake8(looped_project, "--select=REQ0")
    assert (result.exit_code, result.out, result.err) == (1, LOOPED_FINDINGS, [])


@needs_symlinks
def test_symlink_loops_under_flake8_in_a_subprocess(looped_project):
    result = run_cli(looped_project, "--select=REQ0,E902")
    assert result.out == [
        MAGIC_UNDECLARED,
        "./loop.py:0:1: E902 OSError: [Errno 40] Too many levels of symbolic links: './loop.py'",
        LOOPED_FINDINGS[1],
    ]
    assert (result.exit_code, result.err) == (1, [])


@needs_symlinks
def test_symlink_loops_under_check(looped_project, monkeypatch, capsys):
    from flake8_reqs.commands.cli import main

    monkeypatch.chdir(looped_project)
    status = main(["check", "--no-cache", "-j1", "--select=REQ0"])
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [line[2:] for line in LOOPED_FINDINGS]
    assert captured.err.splitlines() == [
        UNKNOWN_TARGET,
        "flake8-reqs: loop.py: cannot be read: Too many levels of symbolic links",
    ]
    assert status == 1


@pytest.fixture
def vanishing_file(monkeypatch):
    """Make discovery name ./gone.py, a file that is no longer there when it is read."""
    from flake8.discover_files import expand_paths

    from flake8_reqs.code import discover

    real_discover = discover.discover

    def discover_and_vanish(*args, **kwargs):
        found = real_discover(*args, **kwargs)
        return discover.Discovery((*found.files, "./gone.py"), found.folders)

    def expand_and_vanish(**kwargs):
        yield from expand_paths(**kwargs)
        yield "./gone.py"

    monkeypatch.setattr(discover, "discover", discover_and_vanish)
    # flake8.checker binds expand_paths at import: patch the name it calls.
    monkeypatch.setattr("flake8.checker.expand_paths", expand_and_vanish)


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_file_that_vanishes_under_check(tmp_path, monkeypatch, capsys, vanishing_file, jobs):
    from flake8_reqs.commands.cli import main

    project = make_project(tmp_path / "p", {"requirements.txt": "flask\n", "app.py": APP})
    monkeypatch.chdir(project)
    status = main(["check", f"--cache-dir={tmp_path / 'cache'}", jobs, "--select=REQ0"])
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [MAGIC_UNDECLARED[2:]]
    assert captured.err.splitlines() == [UNKNOWN_TARGET, "flake8-reqs: gone.py: vanished"]
    assert status == 1


def test_a_file_that_vanishes_under_flake8(tmp_path, run_flake8, vanishing_file):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": APP})
    result = run_flake8(project, "--select=REQ0,E902")
    assert result.out == [
        MAGIC_UNDECLARED,
        "./gone.py:0:1: E902 FileNotFoundError: [Errno 2] No such file or directory: './gone.py'",
    ]
    assert (result.exit_code, result.err) == (1, [])


SYNTAX_ERROR = {
    "requirements.txt": "flask\n",
    "app.py": APP,
    "broken.py": "import yaml\ndef f(:\n    import os\n",
}


@pytest.mark.parametrize(
    ("select", "e999"),
    [
        pytest.param("REQ0", [], id="REQ only"),
        pytest.param("REQ0,E999", [["./broken.py", "2"]], id="E999"),
    ],
)
def test_a_file_flake8_cannot_parse_adds_no_noise(tmp_path, select, e999):
    project = make_project(tmp_path, SYNTAX_ERROR)
    result = run_cli(project, f"--select={select}", "--jobs=2")
    syntax_errors = [line for line in result.out if " E999 SyntaxError: " in line]
    assert [line.split(":")[:2] for line in syntax_errors] == e999  # the column is Python's
    assert [line for line in result.out if line not in syntax_errors] == [MAGIC_UNDECLARED]
    assert (result.exit_code, result.err) == (1, [])


def test_a_file_check_cannot_parse_is_named_once(tmp_path, monkeypatch, capsys):
    from flake8_reqs.commands.cli import main

    monkeypatch.chdir(make_project(tmp_path, SYNTAX_ERROR))
    status = main(["check", "--no-cache", "-j1", "--select=REQ0"])
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [MAGIC_UNDECLARED[2:]]
    assert captured.err.splitlines() == [
        UNKNOWN_TARGET,
        "flake8-reqs: broken.py: syntax error: invalid syntax (line 2)",
    ]
    assert status == 1


def test_check_reads_the_imports_around_a_syntax_error_they_do_not_touch(
    tmp_path, monkeypatch, capsys
):
    """check reads imports from the import skeleton (flake8_reqs/code/skeleton.py): a broken
    statement without an import does not hide the file's imports; flake8 reports it as E999."""
    from flake8_reqs.commands.cli import main

    project = {"requirements.txt": "flask\n", "app.py": APP + "total = = 1\n"}
    monkeypatch.chdir(make_project(tmp_path, project))
    status = main(["check", "--no-cache", "-j1", "--select=REQ0"])
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [MAGIC_UNDECLARED[2:]]
    assert (captured.err.splitlines(), status) == ([UNKNOWN_TARGET], 1)
