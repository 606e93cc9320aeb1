"""check with a prescan (-j2, Linux) reports what it reports without one (-j1)."""

from __future__ import annotations

import sys

import pytest

from tests.commands.check.test_notebooks import notebook
from tests.conftest import age, make_project, run_cli

GUARDED = """\
    import sys
    import requests
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli
    if sys.platform == "win32":
        import winreg
        import pywin32_ctypes
    """
# Each: a project's extra files and check's options; the target the prescan guesses (an
# unknown version on Linux) is right for the first only.
CASES = {
    "target unknown": ({}, ()),
    "requires-python": (
        {"pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10"\n'},
        (),
    ),
    "options": ({}, ("--reqs-python-version=3.12", "--reqs-platform=win32")),
}


@pytest.mark.skipif(sys.platform != "linux", reason="the prescan is Linux only")
@pytest.mark.parametrize("modules", [3, 60])
@pytest.mark.parametrize("case", CASES)
def test_check_with_the_prescan_reports_what_it_reports_without(tmp_path, case, modules):
    extra, options = CASES[case]
    files = {
        "requirements.txt": "requests\n",
        "app/guarded.py": GUARDED,
        "app/bad.py": "def f(:\n    import os\n",
    }
    files.update(
        {f"app/m{index}.py": f"import os\nimport yaml{index}\n" for index in range(modules)}
    )
    project = make_project(tmp_path, {**files, **extra})
    age(project)
    args = ("check", "--no-cache", "--reqs-file=requirements.txt", *options)
    one = run_cli(project, *args, "-j1", module="flake8_reqs")
    two = run_cli(project, *args, "-j2", module="flake8_reqs")
    assert (two.exit_code, two.out, two.err) == (one.exit_code, one.out, one.err)
    reported = {
        line.split(" ", 2)[1] + " " + line.split("'")[1] for line in two.out if "REQ" in line
    }
    assert {f"REQ001 yaml{index}" for index in range(modules)} <= reported
    assert ("REQ001 winreg" in reported) is False  # the standard library on Windows
    assert ("REQ001 pywin32_ctypes" in reported) is (case == "options")
    assert ("REQ001 tomli" in reported) is (case != "options")
    assert "flake8-reqs: app/bad.py: syntax error: invalid syntax (line 1)" in two.err


# The walk of the folders: the prescan's is taken when the run walks alike (the same paths,
# excludes and filename patterns), and the run walks itself otherwise.
WALKS = {
    "alike": (),
    "an exclude on the command line": ("--extend-exclude=generated",),
    "other filename patterns": ("--filename=*.py,*.pyw",),
    "a file named": ("app/main.py",),
}


@pytest.mark.skipif(sys.platform != "linux", reason="the prescan is Linux only")
@pytest.mark.parametrize("walk", WALKS)
def test_check_with_the_prescan_walks_the_folders_as_without(tmp_path, walk):
    files = {
        "requirements.txt": "requests\nseaborn\n",
        "app/main.py": "import requests\nimport app.sub.deep\n",
        "app/sub/deep.py": "import yaml\n",
        "app/script.pyw": "import toml\n",
        "generated/out.py": "import lxml\n",
        "notebooks/explore.ipynb": notebook("import seaborn"),
    }
    project = make_project(tmp_path, files)
    age(project)
    args = ("check", "--no-cache", "--reqs-file=requirements.txt", *WALKS[walk])
    one = run_cli(project, *args, "-j1", module="flake8_reqs")
    two = run_cli(project, *args, "-j2", module="flake8_reqs")
    assert (two.exit_code, two.out, two.err) == (one.exit_code, one.out, one.err)
    reported = {line.split(" ", 2)[1] + " " + line.split("'")[1] for line in two.out}
    assert ("REQ001 lxml" in reported) is (walk in ("alike", "other filename patterns"))
    assert ("REQ001 toml" in reported) is (walk == "other filename patterns")
    assert "REQ201 seaborn" not in reported  # the notebook imports it


@pytest.mark.skipif(sys.platform != "linux", reason="the prescan is Linux only")
def test_a_file_added_after_a_run_with_the_prescan_is_checked_by_the_next(tmp_path):
    # The stored answer depends on the folders the prescan's walk stamped, those without a
    # file checked included.
    files = {"requirements.txt": "requests\n", "app/main.py": "import requests\n"}
    project = make_project(tmp_path / "p", {**files, "app/sub/notes.txt": ""})
    age(project)
    args = ("check", "--reqs-file=requirements.txt", "--cache-dir", str(tmp_path / "cache"))
    first = run_cli(project, *args, "-j2", module="flake8_reqs")
    assert (first.exit_code, first.out) == (0, [])
    (project / "app" / "sub" / "new.py").write_text("import yaml\n")
    second = run_cli(project, *args, "-j2", module="flake8_reqs")
    assert second.exit_code == 1
    assert any("REQ001" in line and "'yaml'" in line for line in second.out)
