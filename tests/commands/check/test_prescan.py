"""check with a prescan (-j2, Linux) reports what it reports without one (-j1)."""

from __future__ import annotations

import sys

import pytest

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
