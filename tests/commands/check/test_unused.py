"""REQ201 leaves alone what another declared distribution needs, and what is not pip's to
remove: pins marked ``# via``, lock-file dependencies, conda packages, Dockerfile installs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import locks
from tests.conftest import Result, make_project, without_target


@pytest.fixture
def check(tmp_path, monkeypatch, capsys):
    from flake8_reqs.commands.cli import main

    def run(project: Path, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        code = main(["check", f"--cache-dir={tmp_path / '_cache'}", "-j1", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), without_target(captured.err.splitlines()))

    return run


QUIET = [
    pytest.param(
        {"requirements.txt": locks.COMPILED},
        "import sympy\nimport requests\n",
        (),
        id="pip-compile: pins marked '# via sympy' or '# via requests'",
    ),
    pytest.param(
        {
            "requirements.txt": locks.UV_EXPORT,
            "pyproject.toml": locks.UV_PYPROJECT,
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
        },
        "import sympy\nimport requests\n",
        (),
        id="uv export: pins marked '# via'",
    ),
    pytest.param(
        {
            "pyproject.toml": locks.UV_PYPROJECT.replace('"sympy"]', '"sympy", "mpmath"]'),
            "uv.lock": locks.UV_LOCK,
        },
        "import sympy\nimport requests\n",
        (),
        id="uv.lock: sympy depends on the declared mpmath",
    ),
    pytest.param(
        {"environment.yml": "dependencies:\n  - ffmpeg-python\n  - cudnn\n  - pip:\n    - flask\n"},
        "import flask\n",
        (),
        id="what conda installs",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt awscli\n",
        },
        "import flask\n",
        (),
        id="a distribution the Dockerfile installs by name",
    ),
    pytest.param(
        {"requirements.txt": "flask\njupyter\nipykernel\npipenv\nCython\n"},
        "import flask\n",
        (),
        id="tools run as commands, and a compiler for what is built from source",
    ),
    pytest.param(
        {"requirements.txt": "pandas\npyarrow\ns3fs\n"},
        "import pandas as pd\n",
        (),
        id="the parquet engine and S3 filesystem pandas loads",
    ),
    pytest.param(
        {"requirements.txt": "python-slugify\nUnidecode\n"},
        "from slugify import slugify\n",
        (),
        id="an extra of a library imported under another name",
    ),
]
REPORTED = [
    pytest.param(
        {"requirements.txt": locks.COMPILED},
        "import sympy\n",
        ["requirements.txt:11:1: REQ201 'requests' is declared but never imported"],
        id="pip-compile: a pin the input asks for",
    ),
    pytest.param(
        {
            "requirements.txt": locks.UV_EXPORT,
            "pyproject.toml": locks.UV_PYPROJECT,
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
        },
        "import sympy\nimport mpmath\n",
        ["requirements.txt:10:1: REQ201 'requests' is declared but never imported"],
        id="uv export: 'via app' is the project asking for it",
    ),
    pytest.param(
        {"pyproject.toml": locks.UV_PYPROJECT, "uv.lock": locks.UV_LOCK},
        "import requests\n",
        ["pyproject.toml:4:1: REQ201 'sympy' is declared but never imported"],
        id="uv.lock: nothing declared depends on sympy",
    ),
    pytest.param(
        {"environment.yml": "dependencies:\n  - numpy\n  - pip:\n    - flask\n    - requests\n"},
        "import flask\n",
        ["environment.yml:5:1: REQ201 'requests' is declared but never imported"],
        id="a pip line of an environment.yml",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\nrequests\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt awscli\n",
        },
        "import flask\n",
        [
            "requirements.txt:2:1: REQ201 'requests' is declared but never imported",
        ],
        id="a requirements file the Dockerfile installs",
    ),
    pytest.param(
        {"requirements.txt": "flask\npyarrow\n"},
        "import flask\n",
        ["requirements.txt:2:1: REQ201 'pyarrow' is declared but never imported"],
        id="an optional dependency of a library not imported",
    ),
    pytest.param(
        {"requirements.txt": "pandas\nblack\n"},
        "import pandas\n",
        ["requirements.txt:2:1: REQ201 'black' is declared but never imported"],
        id="not an optional dependency of the library imported",
    ),
]


@pytest.mark.parametrize(("files", "source", "args"), QUIET)
def test_req201_quiet(check, tmp_path, files, source, args):
    project = make_project(tmp_path / "p", {**files, "app.py": source})
    result = check(project, "--select=REQ201", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


@pytest.mark.parametrize(("files", "source", "expected"), REPORTED)
def test_req201_still_reports(check, tmp_path, files, source, expected):
    project = make_project(tmp_path / "p", {**files, "app.py": source})
    result = check(project, "--select=REQ201")
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])


FANCYLIB = """\
Metadata-Version: 2.1
Name: fancylib
Version: 1.0
Provides-Extra: fast
Provides-Extra: test
Requires-Dist: turbo-engine; extra == "fast"
Requires-Dist: testkit-fixtures; extra == "test"
Requires-Dist: click
"""


FOLDED = "Description: fancylib\n        ========\n        \n        A library."
REQUIRES_TXT = "click\n\n[fast]\nturbo-engine\n\n[test]\ntestkit-fixtures\n"
INSTALLED_AS = [
    pytest.param({"fancylib-1.0.dist-info/METADATA": FANCYLIB}, id="METADATA"),
    pytest.param(
        {"fancylib-1.0.dist-info/METADATA": FANCYLIB.replace("Provides-Extra: fast", FOLDED)},
        id="after a folded old-style Description",
    ),
    pytest.param(
        {
            "fancylib-1.0.egg-info/PKG-INFO": "Metadata-Version: 1.2\nName: fancylib\n",
            "fancylib-1.0.egg-info/requires.txt": REQUIRES_TXT,
        },
        id="an egg-info's requires.txt",
    ),
]


@pytest.mark.parametrize("metadata", INSTALLED_AS)
def test_req201_reads_the_extras_of_an_installed_library(check, tmp_path, monkeypatch, metadata):
    # What the installed library says its extras load, for one the data does not know;
    # an extra for its own tests is not a feature.
    site = tmp_path / "site"
    for name, text in metadata.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    files = {
        "requirements.txt": "fancylib\nturbo-engine\ntestkit-fixtures\n",
        "app.py": "import fancylib\n",
    }
    result = check(make_project(tmp_path / "p", files), "--select=REQ201")
    assert result.out == [
        "requirements.txt:3:1: REQ201 'testkit-fixtures' is declared but never imported"
    ]
