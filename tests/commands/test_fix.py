"""Editing requirement sources for flake8-reqs fix: what changes, what is kept, atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from flake8_reqs.commands.fix.edit import Addition
from flake8_reqs.commands.fix.plan import plan_edit
from flake8_reqs.commands.fix.write import write_atomically
from flake8_reqs.declared.sources.pip import read_requirements_file
from flake8_reqs.declared.sources.pyproject import read_pyproject
from flake8_reqs.errors import ReqsInputError
from tests.conftest import make_project

MAGIC = Addition("python-magic", "0.4.27")
PILLOW = Addition("Pillow", "11.0.0")
TORCH = Addition("torch", "2.1.0+cpu")
EGG = "-e git+https://example.com/zzz.git#egg=zzz"


def plan(tmp_path: Path, name: str, old: str, additions=(), remove=()):
    """The edit of file ``name`` holding ``old``, removing the requirements named ``remove``."""
    path = make_project(tmp_path, {name: old.encode()}) / name
    if name == "pyproject.toml":
        declared = read_pyproject(path, name, {})
    else:
        declared = read_requirements_file(path, name, {})
    removals = [req for req in declared.runtime if req.name in remove]
    assert len(removals) == len(remove)
    return plan_edit(path, name, list(additions), removals)


PIP = [
    pytest.param(
        "# prod\nfastapi==0.115\nuvicorn==0.32\n",
        [MAGIC, PILLOW],
        (),
        "# prod\nfastapi==0.115\nPillow==11.0.0\npython-magic==0.4.27\nuvicorn==0.32\n",
        id="sorted file: each at its sorted position",
    ),
    pytest.param(
        "flask==3.0\nrequests==2.31\n",
        [Addition("aiohttp", "3.9")],
        (),
        "aiohttp==3.9\nflask==3.0\nrequests==2.31\n",
        id="sorted file: first of all goes before the first requirement",
    ),
    pytest.param(
        "# web\nfastapi==0.115\n\n# server\nuvicorn==0.32\n",
        [MAGIC],
        (),
        "# web\nfastapi==0.115\npython-magic==0.4.27\n\n# server\nuvicorn==0.32\n",
        id="sorted file: after the requirement before it, comments stay with theirs",
    ),
    pytest.param(
        "uvicorn==0.32\nfastapi==0.115\n\n# the end\n",
        [PILLOW, MAGIC],
        (),
        "uvicorn==0.32\nfastapi==0.115\nPillow==11.0.0\npython-magic==0.4.27\n\n# the end\n",
        id="unsorted file: after the last requirement, in the order given",
    ),
    pytest.param(
        f"{EGG}\nflask==3.0\nrequests==2.31\n",
        [MAGIC],
        (),
        f"{EGG}\nflask==3.0\npython-magic==0.4.27\nrequests==2.31\n",
        id="-e lines are not part of the sorted list",
    ),
    pytest.param(
        "--index-url https://example.com/simple\nflask\n",
        [MAGIC],
        (),
        "--index-url https://example.com/simple\nflask\npython-magic\n",
        id="option lines kept",
    ),
    pytest.param(
        "flask>=3.0\nrequests>=2.31,<3\n",
        [MAGIC],
        (),
        "flask>=3.0\npython-magic>=0.4.27\nrequests>=2.31,<3\n",
        id="pin style >=",
    ),
    pytest.param(
        "flask~=3.0\nrequests~=2.31\n",
        [MAGIC],
        (),
        "flask~=3.0\npython-magic~=0.4.27\nrequests~=2.31\n",
        id="pin style ~=",
    ),
    pytest.param(
        "a==1\nb>=2\nc>=3\n",
        [Addition("d", "4.0")],
        (),
        "a==1\nb>=2\nc>=3\nd>=4.0\n",
        id="pin style: the operator most lines use",
    ),
    pytest.param(
        "a==1\nb>=2\n",
        [Addition("d", "4.0")],
        (),
        "a==1\nb>=2\nd==4.0\n",
        id="pin style: a tie goes to ==",
    ),
    pytest.param(
        "a<2\nb!=3\n",
        [Addition("d", "4.0")],
        (),
        "a<2\nb!=3\nd==4.0\n",
        id="pin style: no ==, >= or ~= line means ==",
    ),
    pytest.param(
        "flask>=3.0\n",
        [TORCH],
        (),
        "flask>=3.0\ntorch>=2.1.0\n",
        id="pin style >=: no local version",
    ),
    pytest.param(
        "flask~=3.0\n",
        [Addition("tzdata", "2024")],
        (),
        "flask~=3.0\ntzdata>=2024\n",
        id="pin style ~=: >= for a version of one number",
    ),
    pytest.param(
        "flask==3.0\n",
        [TORCH],
        (),
        "flask==3.0\ntorch==2.1.0+cpu\n",
        id="pin style ==: the installed version as it is",
    ),
    pytest.param(
        "flask\nrequests\n",
        [MAGIC],
        (),
        "flask\npython-magic\nrequests\n",
        id="unpinned file: a bare name",
    ),
    pytest.param(
        "flask==3.0\n",
        [Addition("python-magic", None)],
        (),
        "flask==3.0\npython-magic\n",
        id="not installed: a bare name",
    ),
    pytest.param(
        "flask==3.0\n",
        [Addition("odd", "not a version")],
        (),
        "flask==3.0\nodd\n",
        id="not a PEP 440 version: a bare name",
    ),
    pytest.param("", [MAGIC], (), "python-magic==0.4.27\n", id="empty file: == pin"),
    pytest.param(
        "# runtime\n\n",
        [MAGIC],
        (),
        "# runtime\n\npython-magic==0.4.27\n",
        id="no requirements yet: at the end",
    ),
    pytest.param(
        "# prod\r\nflask==3.0\r\n\r\nuvicorn==0.32\r\n",
        [MAGIC],
        (),
        "# prod\r\nflask==3.0\r\npython-magic==0.4.27\r\n\r\nuvicorn==0.32\r\n",
        id="CRLF kept",
    ),
    pytest.param(
        "flask==3.0", [MAGIC], (), "flask==3.0\npython-magic==0.4.27\n", id="no final newline"
    ),
    # Was joined to the line before: "flask==3.0 python-magic==0.4.27" (before 0.2).
    pytest.param(
        "flask==3.0 \\\n",
        [MAGIC],
        (),
        "flask==3.0 \\\n\npython-magic==0.4.27\n",
        id="after a continuation the file ends in: a blank line ends it",
    ),
    pytest.param(
        "flask==3.0 \\",
        [MAGIC],
        (),
        "flask==3.0 \\\n\npython-magic==0.4.27\n",
        id="after a continuation without a final newline",
    ),
    pytest.param(
        "--index-url https://example.com/simple \\\r\n",
        [Addition("zzz", "1.0")],
        (),
        "--index-url https://example.com/simple \\\r\n\r\nzzz==1.0\r\n",
        id="after an option line that goes on",
    ),
    pytest.param(
        "flask==3.0\n# the end \\\n",
        [Addition("zzz", "1.0")],
        (),
        "flask==3.0\nzzz==1.0\n# the end \\\n",
        id="a comment ending in a backslash goes on to nothing",
    ),
    pytest.param(
        "flask==3.0 \\\n  ; python_version >= '3'\nuvicorn==0.32\n",
        [MAGIC],
        (),
        "flask==3.0 \\\n  ; python_version >= '3'\npython-magic==0.4.27\nuvicorn==0.32\n",
        id="after a requirement on two lines: after its last line",
    ),
    pytest.param(
        "\ufeffflask==3.0\n",
        [Addition("aiohttp", "3.9")],
        (),
        "\ufeffaiohttp==3.9\nflask==3.0\n",
        id="a byte order mark stays first",
    ),
    pytest.param(
        "flask==3.0\nuvicorn==0.32",
        [MAGIC],
        (),
        "flask==3.0\npython-magic==0.4.27\nuvicorn==0.32",
        id="no final newline, none added when not appending",
    ),
    pytest.param(
        "flask==3.0\npython_Magic==0.4.26  # pinned\n",
        [MAGIC],
        (),
        "flask==3.0\npython_Magic==0.4.26  # pinned\n",
        id="already declared under another spelling: unchanged",
    ),
    pytest.param(
        "flask==3.0\n",
        [MAGIC, Addition("Python_Magic", "0.4.27")],
        (),
        "flask==3.0\npython-magic==0.4.27\n",
        id="the same distribution twice: added once",
    ),
    pytest.param(
        "flask\nrequests \\\n    --hash=sha256:abc\nyaml\n",
        [],
        ["requests"],
        "flask\nyaml\n",
        id="removal takes the whole logical line",
    ),
    pytest.param(
        "flask  # web\n# old:\nrequests  # http\n\nyaml",
        [],
        ["yaml"],
        "flask  # web\n# old:\nrequests  # http\n\n",
        id="removal keeps the comments around it",
    ),
    pytest.param(
        "flask==3.0\nrequests==2.31\nzope==5\n",
        [MAGIC],
        ["requests"],
        "flask==3.0\npython-magic==0.4.27\nzope==5\n",
        id="removal and addition together",
    ),
    pytest.param(
        "zope==5\nrequests==2.31\nflask==3.0\n",
        [MAGIC],
        ["zope"],
        "requests==2.31\nflask==3.0\npython-magic==0.4.27\n",
        id="sorted or not is judged without the removed lines",
    ),
]


@pytest.mark.parametrize(("old", "additions", "remove", "new"), PIP)
def test_pip_file(tmp_path, old, additions, remove, new):
    assert plan(tmp_path, "requirements.txt", old, additions, remove).new == new


def test_pip_file_declared_in_an_included_file(tmp_path):
    make_project(tmp_path, {"base.txt": "python-magic\n"})
    edit = plan(tmp_path, "requirements.txt", "-r base.txt\nflask\n", [MAGIC])
    assert edit.new == edit.old


def test_removal_only_from_its_own_file(tmp_path):
    path = make_project(tmp_path, {"a.txt": "flask\n", "b.txt": "flask\n"})
    removals = read_requirements_file(path / "a.txt", "a.txt", {}).runtime
    assert plan_edit(path / "b.txt", "b.txt", [], removals).new == "flask\n"


PYPROJECT = """\
[project]
name = "app"
dependencies = [
    "fastapi==0.115",  # web
    "uvicorn==0.32",
]

[tool.other]
x = 1
"""

PYPROJECT_CASES = [
    pytest.param(
        PYPROJECT,
        [MAGIC, PILLOW],
        (),
        PYPROJECT.replace(
            '    "uvicorn',
            '    "Pillow==11.0.0",\n    "python-magic==0.4.27",\n    "uvicorn',
        ),
        id="multi-line, sorted: sorted positions",
    ),
    pytest.param(
        PYPROJECT.replace('"fastapi==0.115",  # web', '"zope==5",  # web'),
        [MAGIC],
        (),
        PYPROJECT.replace('"fastapi==0.115",  # web', '"zope==5",  # web').replace(
            '    "uvicorn==0.32",\n', '    "uvicorn==0.32",\n    "python-magic==0.4.27",\n'
        ),
        id="multi-line, unsorted: at the end",
    ),
    pytest.param(
        '[project]\ndependencies = [\n  "a>=1",\n  "b>=2"  # last\n]\n',
        [Addition("c", "3.0")],
        (),
        '[project]\ndependencies = [\n  "a>=1",\n  "b>=2",  # last\n  "c>=3.0"\n]\n',
        id="multi-line without a trailing comma: indent, pin style, commas kept so",
    ),
    pytest.param(
        "[project]\ndependencies = [\n    'a',\n    'c',\n]\n",
        [Addition("b", "2.0")],
        (),
        "[project]\ndependencies = [\n    'a',\n    'b',\n    'c',\n]\n",
        id="single quotes, unpinned",
    ),
    pytest.param(
        "[project]\ndependencies = [\n    # none yet\n]\n",
        [MAGIC],
        (),
        '[project]\ndependencies = [\n    # none yet\n    "python-magic==0.4.27",\n]\n',
        id="multi-line with only a comment",
    ),
    pytest.param(
        '[project]\ndependencies = ["b", "d"]\n',
        [Addition("a", "1"), Addition("c", "3")],
        (),
        '[project]\ndependencies = ["a", "b", "c", "d"]\n',
        id="inline, sorted",
    ),
    pytest.param(
        '[project]\ndependencies = ["d==4", "b==2",]\n',
        [Addition("c", "3")],
        (),
        '[project]\ndependencies = ["d==4", "b==2", "c==3",]\n',
        id="inline, unsorted, trailing comma",
    ),
    pytest.param(
        "[project]\ndependencies = []\n",
        [PILLOW, MAGIC],
        (),
        '[project]\ndependencies = [\n    "Pillow==11.0.0",\n    "python-magic==0.4.27",\n]\n',
        id="empty: becomes multi-line",
    ),
    pytest.param(
        '[project]\ndependencies = ["a",\n  "c",\n]\n',
        [Addition("d", None)],
        (),
        '[project]\ndependencies = ["a",\n  "c",\n  "d",\n]\n',
        id="first item on the '[' line: separators reused",
    ),
    pytest.param(
        '[project]\r\nname = "app"\r\ndependencies = [\r\n    "flask==3.0",\r\n]\r\n',
        [MAGIC],
        (),
        '[project]\r\nname = "app"\r\ndependencies = [\r\n    "flask==3.0",\r\n'
        '    "python-magic==0.4.27",\r\n]\r\n',
        id="CRLF kept",
    ),
    pytest.param(
        '[project]\nname = "app"\nversion = "1"  # x\n\n# tools\n[tool.x]\ny = 1\n',
        [PILLOW, MAGIC],
        (),
        '[project]\nname = "app"\nversion = "1"  # x\ndependencies = [\n'
        '    "Pillow==11.0.0",\n    "python-magic==0.4.27",\n]\n\n# tools\n[tool.x]\ny = 1\n',
        id="no dependencies key: added after the last key",
    ),
    pytest.param(
        '[project]\nname = "app"',
        [MAGIC],
        (),
        '[project]\nname = "app"\ndependencies = [\n    "python-magic==0.4.27",\n]\n',
        id="no dependencies key, no final newline",
    ),
    pytest.param(
        PYPROJECT,
        [Addition("FastAPI", "1.0")],
        (),
        PYPROJECT,
        id="already declared: unchanged",
    ),
    pytest.param(
        PYPROJECT,
        [],
        ["fastapi"],
        PYPROJECT.replace('    "fastapi==0.115",  # web\n', ""),
        id="removal: the item's line",
    ),
    pytest.param(
        '[project]\ndependencies = ["a", "b", "c"]\n',
        [],
        ["a", "c"],
        '[project]\ndependencies = ["b"]\n',
        id="removal from an inline array",
    ),
    pytest.param(
        '[project]\ndependencies = [\n    "a",\n    "b"\n]\n',
        [Addition("c", None)],
        ["b"],
        '[project]\ndependencies = [\n    "a",\n    "c"\n]\n',
        id="removal and addition together",
    ),
    pytest.param(
        '[project]\n"dependencies" = ["flask"]\n',
        [Addition("zope", None)],
        (),
        '[project]\n"dependencies" = ["flask", "zope"]\n',
        id="quoted key",
    ),
    pytest.param(
        '[project]\ndependencies = [\n    "a",\n]\n',
        [Addition("b", None, text='b[x]>=1; python_version < "3.12"')],
        (),
        '[project]\ndependencies = [\n    "a",\n    \'b[x]>=1; python_version < "3.12"\',\n]\n',
        id="a requirement with double quotes goes in single ones",
    ),
]


@pytest.mark.parametrize(("old", "additions", "remove", "new"), PYPROJECT_CASES)
def test_pyproject(tmp_path, old, additions, remove, new):
    assert plan(tmp_path, "pyproject.toml", old, additions, remove).new == new


IDEMPOTENT = [
    pytest.param("requirements.txt", "flask\nrequests\n", id="pip, sorted"),
    pytest.param("requirements.txt", "zope==1\nflask==1", id="pip, unsorted, no final newline"),
    pytest.param("pyproject.toml", PYPROJECT, id="pyproject, multi-line"),
    pytest.param("pyproject.toml", '[project]\ndependencies = ["a"]\n', id="pyproject, inline"),
    pytest.param("pyproject.toml", "[project]\ndependencies = []\n", id="pyproject, empty"),
    pytest.param("pyproject.toml", '[project]\nname = "app"\n', id="pyproject, no key"),
]


@pytest.mark.parametrize(("name", "old"), IDEMPOTENT)
def test_second_plan_changes_nothing(tmp_path, name, old):
    first = plan(tmp_path, name, old, [MAGIC, PILLOW])
    assert first.diff() != ""
    second = plan(tmp_path, name, first.new, [MAGIC, PILLOW])
    assert (second.new, second.diff()) == (first.new, "")


PYPROJECT_ERRORS = [
    pytest.param(
        '[project]\nname = "app"\ndynamic = ["dependencies"]\n',
        "pyproject.toml: [project].dependencies is dynamic; "
        "give fix the file it is read from with --reqs-file",
        id="dynamic",
    ),
    pytest.param(
        '[tool.poetry]\nname = "app"\n',
        "pyproject.toml: has no [project] table; fix edits [project].dependencies",
        id="no [project] table",
    ),
    pytest.param(
        "[project\n",
        "pyproject.toml: invalid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 9)",
        id="invalid TOML",
    ),
    pytest.param(
        '[project]\ndependencies = "flask"\n',
        "pyproject.toml: [project].dependencies must be a list of strings",
        id="not a list",
    ),
    pytest.param(
        '[project]\ndependencies = [\n    """flask""",\n]\n',
        "pyproject.toml: cannot edit [project].dependencies safely: "
        "write the list with one-line strings only; edit it by hand",
        id="multi-line string",
    ),
    pytest.param(
        'project = { name = "app" }\n',
        "pyproject.toml: cannot edit [project].dependencies safely: "
        "cannot find its one [project] header; edit it by hand",
        id="inline [project] table",
    ),
]


@pytest.mark.parametrize(("old", "message"), PYPROJECT_ERRORS)
def test_pyproject_it_cannot_edit(tmp_path, old, message):
    with pytest.raises(ReqsInputError) as raised:
        plan(tmp_path, "pyproject.toml", old, [MAGIC])
    assert str(raised.value) == message


def test_unreadable_files(tmp_path):
    make_project(tmp_path, {"latin.txt": "caf\xe9\n".encode("latin-1")})
    with pytest.raises(ReqsInputError) as raised:
        plan_edit(tmp_path / "latin.txt", "latin.txt", [MAGIC], [])
    assert str(raised.value) == "latin.txt: is not valid UTF-8 text; fix edits UTF-8 files only"
    with pytest.raises(ReqsInputError) as raised:
        plan_edit(tmp_path / "missing.txt", "missing.txt", [MAGIC], [])
    assert str(raised.value) == "missing.txt: no such file"


def test_diff(tmp_path):
    edit = plan(tmp_path, "requirements.txt", "flask==3.0\nuvicorn==0.32\n", [MAGIC])
    assert edit.diff() == (
        "--- a/requirements.txt\n"
        "+++ b/requirements.txt\n"
        "@@ -1,2 +1,3 @@\n"
        " flask==3.0\n"
        "+python-magic==0.4.27\n"
        " uvicorn==0.32\n"
    )


def test_diff_marks_a_missing_final_newline(tmp_path):
    edit = plan(tmp_path, "requirements.txt", "flask==3.0", [MAGIC])
    assert edit.diff() == (
        "--- a/requirements.txt\n"
        "+++ b/requirements.txt\n"
        "@@ -1 +1,2 @@\n"
        "-flask==3.0\n"
        "\\ No newline at end of file\n"
        "+flask==3.0\n"
        "+python-magic==0.4.27\n"
    )


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_write_atomically_keeps_the_mode(tmp_path, mode):
    path = make_project(tmp_path, {"requirements.txt": "old\n"}) / "requirements.txt"
    path.chmod(mode)
    write_atomically(path, "new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]


def test_write_atomically_follows_a_symlink(tmp_path):
    make_project(tmp_path, {"real.txt": "old\n"})
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_atomically(tmp_path / "link.txt", "new\n")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "new\n"


FAILURES = [
    pytest.param("fsync", OSError(28, "No space left on device"), id="disk full while writing"),
    pytest.param("replace", OSError(13, "Permission denied"), id="rename refused"),
]


@pytest.mark.parametrize(("function", "error"), FAILURES)
def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch, function, error):
    path = make_project(tmp_path, {"requirements.txt": "old\n"}) / "requirements.txt"

    def fail(*args):
        raise error

    monkeypatch.setattr(os, function, fail)
    with pytest.raises(ReqsInputError) as raised:
        write_atomically(path, "new\n")
    assert str(raised.value) == f"{path}: cannot be written: {error.strerror}"
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = make_project(tmp_path, {"requirements.txt": "old\n"}) / "requirements.txt"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]


def test_an_added_line_takes_the_line_ending_most_lines_use(tmp_path):
    """A lone '\\r' first in a file of '\\n' lines: the added line ends in '\\n', or its '\\r'
    would join the next line's '\\n' and swallow a line (found by the fuzz test)."""
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"--index-url https://example.com/simple\rflask\n\n--no-binary :all:\n")
    edit = plan_edit(path, "requirements.txt", [Addition("python-magic", None)], [])
    assert edit.new == (
        "--index-url https://example.com/simple\rflask\npython-magic\n\n--no-binary :all:\n"
    )


def test_an_added_line_keeps_the_blank_line_after_it(tmp_path):
    """'\\r' the most used line end, the line added before a lone '\\n' (a blank line after
    a '\\n' line): it ends in '\\r\\n', or its '\\r' and that '\\n' would be one line end, and
    the blank line gone (found by the fuzz test). TOML has no lone '\\r' line end."""
    path = tmp_path / "requirements.txt"
    text = "\r--index-url https://example.com/simple\r\rflask\n\n\n"
    path.write_bytes(text.encode())
    edit = plan_edit(path, "requirements.txt", [Addition("python-magic", None)], [])
    assert edit.new == "\r--index-url https://example.com/simple\r\rflask\npython-magic\r\n\n\n"
    assert len(edit.new.splitlines()) == len(text.splitlines()) + 1
