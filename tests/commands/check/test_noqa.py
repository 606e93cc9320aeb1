"""check honours flake8's inline ``noqa`` comments as flake8 does (its own pattern and
comparison): on the problem's line, in a module or on a requirement's line, bare or naming
the code or a prefix of it; and ignores them all with flake8's --disable-noqa."""

from __future__ import annotations

import pytest

from tests.commands.test_cli import cli  # noqa: F401  (the fixture)
from tests.conftest import make_project

MAGIC = (
    "app.py:{line}:1: REQ001 'magic' is imported but not declared as a runtime requirement "
    "(requirements.txt)"
)
PROBLEM = MAGIC.format(line=1)
UNUSED = "requirements.txt:2:1: REQ201 'seaborn' is declared but never imported"

IN_A_MODULE = [
    pytest.param("import magic\n", [PROBLEM], id="no comment"),
    pytest.param("import magic  # noqa\n", [], id="bare noqa"),
    pytest.param("import magic  # noqa: REQ001\n", [], id="naming the code"),
    pytest.param("import magic  # NOQA:REQ0\n", [], id="a prefix, in capitals"),
    pytest.param("import magic  # noqa: E501,REQ001\n", [], id="after another code"),
    pytest.param("import magic  # noqa: E501 REQ001\n", [], id="separated by a space"),
    pytest.param("import magic  # noqa: E501\n", [PROBLEM], id="naming another code"),
    pytest.param("import magic  # noqa:req001\n", [PROBLEM], id="a code in lower case"),
    pytest.param("# noqa: REQ001\nimport magic\n", [MAGIC.format(line=2)], id="on another line"),
    pytest.param(
        "x = 'noqa'\nimport magic\n", [MAGIC.format(line=2)], id="noqa elsewhere in the file"
    ),
]


@pytest.mark.parametrize(("source", "expected"), IN_A_MODULE)
def test_noqa_in_a_module(cli, tmp_path, source, expected):  # noqa: F811
    files = {"requirements.txt": "requests\n", "app.py": source, "lib.py": "import requests\n"}
    result = cli(make_project(tmp_path / "p", files), "check", "--select=REQ0")
    found = [line.split(";")[0] for line in result.out]
    assert (result.exit_code, found) == (1 if expected else 0, expected)


ON_A_REQUIREMENT = [
    pytest.param("seaborn\n", (), [UNUSED], id="no comment"),
    pytest.param("seaborn  # noqa: REQ201\n", (), [], id="naming the code"),
    pytest.param("seaborn  # noqa: REQ101\n", (), [UNUSED], id="naming another code"),
    pytest.param("seaborn  # noqa: REQ201\n", ("--disable-noqa",), [UNUSED], id="--disable-noqa"),
]


@pytest.mark.parametrize(("line", "args", "expected"), ON_A_REQUIREMENT)
def test_noqa_on_a_requirement_line(cli, tmp_path, line, args, expected):  # noqa: F811
    files = {"requirements.txt": f"flask\n{line}", "app.py": "import flask\n"}
    result = cli(make_project(tmp_path / "p", files), "check", *args)
    assert (result.exit_code, result.out) == (1 if expected else 0, expected)


def test_disable_noqa_reports_what_noqa_silenced(cli, tmp_path):  # noqa: F811
    files = {"requirements.txt": "requests\n", "app.py": "import magic  # noqa: REQ001\n"}
    project = make_project(tmp_path / "p", files)
    result = cli(project, "check", "--select=REQ0", "--disable-noqa")
    assert (result.exit_code, result.out) == (1, [f"{PROBLEM}; it is provided by 'python-magic'"])


def test_fix_keeps_a_requirement_whose_line_says_noqa(cli, tmp_path):  # noqa: F811
    files = {
        "requirements.txt": "flask\nseaborn  # noqa: REQ201\nrequests\n",
        "app.py": "import flask\n",
    }
    project = make_project(tmp_path / "p", files)
    cli(project, "fix", "--remove-unused")
    text = (project / "requirements.txt").read_text(encoding="utf-8")
    assert text == "flask\nseaborn  # noqa: REQ201\n"
