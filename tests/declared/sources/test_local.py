"""read_project_name: the name a local project gives itself, for -e ./path lines."""

from __future__ import annotations

import pytest

from flake8_reqs.declared.sources import read_source
from flake8_reqs.declared.sources.local import read_project_name
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.settings import SourceFile
from tests.conftest import make_project

SETUP_PY = "from setuptools import setup\nsetup(name='from-setup-py')\n"

NAMES = [
    pytest.param(
        {"pyproject.toml": '[project]\nname = "from-project"\n[tool.poetry]\nname = "p"\n'},
        "from-project",
        id="[project] first",
    ),
    pytest.param(
        {
            "pyproject.toml": '[tool.poetry]\nname = "from-poetry"\n',
            "setup.cfg": "[metadata]\nname = c\n",
        },
        "from-poetry",
        id="[tool.poetry] next",
    ),
    pytest.param(
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n',
            "setup.cfg": "[metadata]\nname = from-cfg\n",
            "setup.py": SETUP_PY,
        },
        "from-cfg",
        id="setup.cfg when pyproject.toml names none",
    ),
    pytest.param(
        {"setup.cfg": "[flake8]\nmax-line-length = 100\n", "setup.py": SETUP_PY},
        "from-setup-py",
        id="setup.py last",
    ),
    pytest.param(
        {"pyproject.toml": "[project\n", "setup.cfg": "[metadata]\nname = x\n[metadata]\n"},
        None,
        id="files with errors name nothing",
    ),
    pytest.param(
        {"pyproject.toml": "[project]\nname = 3\n", "setup.py": SETUP_PY},
        "from-setup-py",
        id="a name that is not a string is ignored",
    ),
    pytest.param(
        {"setup.py": "from setuptools import setup\nsetup(name=compute())\n"},
        None,
        id="setup.py with a computed name",
    ),
    pytest.param({}, None, id="no metadata files"),
]


@pytest.mark.parametrize(("files", "expected"), NAMES)
def test_read_project_name(tmp_path, files, expected):
    assert read_project_name(make_project(tmp_path, files)) == expected


def test_never_runs_setup_py(tmp_path):
    text = "open('ran', 'w').write('x')\nfrom setuptools import setup\nsetup(name='n')\n"
    assert read_project_name(make_project(tmp_path, {"setup.py": text})) == "n"
    assert not (tmp_path / "ran").exists()


def test_unreadable_file_raises(tmp_path):
    make_project(tmp_path, {"pyproject.toml": b"\xff\xfe[project]\n"})
    with pytest.raises(ReqsInputError) as raised:
        read_project_name(tmp_path)
    path = tmp_path / "pyproject.toml"
    assert str(raised.value) == f"{path}: is not valid UTF-8 text (line 1); save it as UTF-8"


SELF_REFERENCE = [
    pytest.param(
        {
            "pyproject.toml": (
                '[project]\nname = "self"\ndynamic = ["dependencies"]\n'
                '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n'
            ),
            "requirements.txt": "-e .\n",
        },
        "pyproject.toml",
        id="pyproject.toml dynamic dependencies",
    ),
    pytest.param(
        {
            "setup.cfg": (
                "[metadata]\nname = self\n[options]\ninstall_requires = file: requirements.txt\n"
            ),
            "requirements.txt": "-e .\n",
        },
        "setup.cfg",
        id="setup.cfg file:",
    ),
]


@pytest.mark.parametrize(("files", "source"), SELF_REFERENCE)
def test_naming_a_project_does_not_read_its_requirement_files(tmp_path, files, source):
    # requirements.txt says "-e ." and is the project's own dependency file: naming the
    # project for that line must not read requirements.txt again, or it would never end.
    make_project(tmp_path, files)
    declared = read_source(SourceFile(tmp_path / source, source), {})
    assert [(req.name, req.path, req.line) for req in declared.runtime] == [
        ("self", "requirements.txt", 1)
    ]
    assert declared.errors == ()
