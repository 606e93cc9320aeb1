"""Editing requirement sources for flake8-reqs fix: what changes, what is kept, atomic writes."""

from __future__ import annotations

import os
import stat

import pytest

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.fix import Addition, plan_edit, write_atomically
from flake8_reqs.sources.pip import read_requirements_file
from tests.conftest import make_project

MAGIC = Addition("python-magic", "0.4.27")
PILLOW = Addition("Pillow", "11.0.0")

PIP_CASES = [
    pytest.param(
        "# prod\nfastapi==0.115\nuvicorn==0.32\n",
        [MAGIC, PILLOW],
        "# prod\nfastapi==0.115\nPillow==11.0.0\npython-magic==0.4.27\nuvicorn==0.32\n",
        id="sorted file: sorted positions, == pins",
    ),
    pytest.param(
        "uvicorn==0.32\nfastapi==0.115\n\n# the end\n",
        [MAGIC],
        "uvicorn==0.32\nfastapi==0.115\npython-magic==0.4.27\n\n# the end\n",
        id="unsorted file: after the last requirement, comments kept",
    ),
    pytest.param(
        "flask>=3.0\nrequests>=2.31\n",
        [MAGIC],
        "flask>=3.0\npython-magic>=0.4.27\nrequests>=2.31\n",
        id="the file's own pin style",
    ),
    pytest.param(
        "flask\nrequests\n",
        [MAGIC],
        "flask\npython-magic\nrequests\n",
        id="unpinned file: a bare name",
    ),
    pytest.param(
        "flask==3.0\n",
        [Addition("python-magic", None)],
        "flask==3.0\npython-magic\n",
        id="not installed: a bare name",
    ),
    pytest.param(
        "flask==3.0\r\n", [MAGIC], "flask==3.0\r\npython-magic==0.4.27\r\n", id="CRLF kept"
    ),
    pytest.param(
        "flask==3.0", [MAGIC], "flask==3.0\npython-magic==0.4.27\n", id="no final newline"
    ),
    pytest.param(
        "flask==3.0\npython-magic==0.4.26  # pinned\n",
        [MAGIC],
        "flask==3.0\npython-magic==0.4.26  # pinned\n",
        id="already declared: unchanged",
    ),
]


@pytest.mark.parametrize(("old", "additions", "new"), PIP_CASES)
def test_pip_file(tmp_path, old, additions, new):
    path = tmp_path / "requirements.txt"
    path.write_bytes(old.encode())
    edit = plan_edit(path, "requirements.txt", additions, [])
    assert edit.new == new


def test_removal_takes_the_whole_logical_line(tmp_path):
    path = make_project(tmp_path, {"r.txt": "flask\nrequests \\\n    --hash=sha256:abc\nyaml\n"})
    path = tmp_path / "r.txt"
    declared = read_requirements_file(path, "r.txt", {})
    requests = [r for r in declared.runtime if r.name == "requests"]
    edit = plan_edit(path, "r.txt", [], requests)
    assert edit.new == "flask\nyaml\n"


def test_diff(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("flask==3.0\n", encoding="utf-8")
    assert plan_edit(path, "requirements.txt", [MAGIC], []).diff() == (
        "--- a/requirements.txt\n+++ b/requirements.txt\n"
        "@@ -1 +1,2 @@\n flask==3.0\n+python-magic==0.4.27\n"
    )


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


def test_pyproject_multiline_array(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT, encoding="utf-8")
    edit = plan_edit(path, "pyproject.toml", [MAGIC], [])
    assert edit.new == PYPROJECT.replace(
        '    "uvicorn==0.32",\n', '    "uvicorn==0.32",\n    "python-magic==0.4.27",\n'
    )
    path.write_text(edit.new, encoding="utf-8")
    assert plan_edit(path, "pyproject.toml", [MAGIC], []).diff() == ""


def test_pyproject_without_an_editable_array(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "app"\ndependencies = ["flask"]\n', encoding="utf-8")
    with pytest.raises(ReqsInputError) as raised:
        plan_edit(path, "pyproject.toml", [MAGIC], [])
    assert str(raised.value) == (
        "pyproject.toml: fix edits a multi-line 'dependencies = [' array in [project]; "
        "none was found"
    )


def test_write_atomically_keeps_the_mode(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomically(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "requirements.txt"
    path.write_text("old\n", encoding="utf-8")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]
