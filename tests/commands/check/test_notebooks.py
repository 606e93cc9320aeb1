"""REQ201 counts the imports of the project's Jupyter notebooks as uses, and checks nothing
in them; a notebook that cannot be read is said in one line, and the run goes on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.commands.test_cli import cli  # noqa: F401  (the fixture)
from tests.conftest import age, make_project, without_target

REQUIREMENTS = "flask\nseaborn\n"
APP = "import flask\n"
UNUSED = "requirements.txt:2:1: REQ201 'seaborn' is declared but never imported"


def notebook(*cells: str | list[str], language: str | None = "python") -> str:
    """A notebook (nbformat 4) of code cells, with a markdown cell first."""
    metadata = {} if language is None else {"kernelspec": {"language": language}}
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["import seaborn"]},
            *(
                {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}
                for source in cells
            ),
        ],
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1)


CASES = [
    pytest.param(
        {"explore.ipynb": notebook(["import pandas as pd\n", "import seaborn as sns\n"])},
        [],
        id="imported by a notebook",
    ),
    pytest.param(
        {"notebooks/eda.ipynb": notebook("%matplotlib inline\nfrom seaborn import histplot")},
        [],
        id="in a folder, after a line magic",
    ),
    pytest.param(
        {"eda.ipynb": notebook("files = !ls\nx = $y\nimport seaborn")},
        [],
        id="a cell that does not parse: its import lines alone",
    ),
    pytest.param(
        {"eda.ipynb": notebook("%%time\nimport seaborn")},
        [],
        id="under a cell magic that runs Python",
    ),
    pytest.param(
        {"eda.ipynb": notebook("%%bash\nimport seaborn")},
        [UNUSED],
        id="under a cell magic that does not",
    ),
    pytest.param(
        {"eda.ipynb": notebook("import seaborn", language="R")},
        [UNUSED],
        id="an R notebook",
    ),
    pytest.param(
        {"eda.ipynb": notebook("import seaborn", language=None)},
        [],
        id="a notebook that names no language",
    ),
    pytest.param({"eda.ipynb": notebook("import pandas")}, [UNUSED], id="imported elsewhere"),
    pytest.param(
        {"eda.ipynb": notebook("import seaborn"), "setup.cfg": "[flake8]\nexclude = eda.ipynb\n"},
        [UNUSED],
        id="an excluded notebook",
    ),
    pytest.param(
        {
            "lab/requirements.txt": "seaborn\n",
            "lab/eda.ipynb": notebook("import seaborn"),
        },
        [UNUSED],
        id="a notebook of a nested project",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_notebook_imports_are_uses(cli, tmp_path, files, expected):  # noqa: F811
    base = {"requirements.txt": REQUIREMENTS, "app.py": APP}
    project = make_project(tmp_path / "p", {**base, **files})
    result = cli(project, "check")
    assert (result.exit_code, result.out) == (1 if expected else 0, expected)


def test_nothing_in_a_notebook_is_checked(cli, tmp_path):  # noqa: F811
    # flake8 reads no notebook, and no image runs one: an undeclared import there is nobody's.
    files = {
        "requirements.txt": "flask\n",
        "app.py": APP,
        "eda.ipynb": notebook("import magic\nimport tkinter"),
    }
    result = cli(make_project(tmp_path / "p", files), "check")
    assert (result.exit_code, result.out) == (0, [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("{", "not a notebook: invalid JSON", id="not JSON"),
        pytest.param('{"cells": 3}', "not a notebook: no list of cells", id="no cells"),
    ],
)
def test_a_notebook_that_cannot_be_read_is_said(cli, tmp_path, text, reason):  # noqa: F811
    files = {
        "requirements.txt": REQUIREMENTS,
        "app.py": APP,
        "bad.ipynb": text,
        "good.ipynb": notebook("import seaborn"),
    }
    result = cli(make_project(tmp_path / "p", files), "check")
    assert (result.exit_code, result.out) == (0, [])
    (line,) = without_target(result.err)
    assert line.startswith(f"flake8-reqs: bad.ipynb: {reason}")
    assert line.endswith("; its imports are not counted as uses")


def test_a_changed_notebook_changes_the_stored_answer(tmp_path):
    # Through the command line, twice with one cache: the second run is answered from the
    # stored answer until the notebook it read changes.
    files = {"requirements.txt": REQUIREMENTS, "app.py": APP}
    project = make_project(tmp_path / "p", {**files, "eda.ipynb": notebook("import seaborn")})
    age(project)  # files written this instant are not trusted, and no answer would be kept
    command = [sys.executable, "-m", "flake8_reqs", "check", "--cache-dir", str(tmp_path / "c")]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run() -> tuple[int, str]:
        done = subprocess.run(
            command, cwd=project, capture_output=True, text=True, env=env, check=False
        )
        return done.returncode, done.stdout

    assert run() == (0, "")
    assert run() == (0, "")
    notebook_file = Path(project / "eda.ipynb")
    notebook_file.write_text(notebook("import pandas  # seaborn no more"), encoding="utf-8")
    assert run() == (1, UNUSED + "\n")


def test_fix_remove_unused_keeps_what_a_notebook_imports(cli, tmp_path):  # noqa: F811
    files = {
        "requirements.txt": "flask\nseaborn\nrequests\n",
        "app.py": APP,
        "eda.ipynb": notebook("import seaborn"),
    }
    project = make_project(tmp_path / "p", files)
    cli(project, "fix", "--remove-unused")
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\nseaborn\n"


P_UNUSED = "requirements.txt:3:1: REQ201 'requests' is declared but never imported"
Q_UNUSED = "q/requirements.txt:1:1: REQ201 'seaborn' is declared but never imported"


@pytest.mark.parametrize(
    ("run_in", "paths", "expected"),
    [
        pytest.param("p", (), [P_UNUSED], id="the project's folder: its own walk"),
        pytest.param(
            ".",
            (),
            ["project p: 1 finding", f"p/{P_UNUSED}", "project q: 1 finding", Q_UNUSED],
            id="a folder above two projects",
        ),
        pytest.param(
            "p", ("app.py", "lib/helpers.py"), [P_UNUSED], id="its files named: walked again"
        ),
        pytest.param("p", ("lib",), [], id="a folder of it: not the whole project"),
    ],
)
def test_which_notebooks_count_follows_the_paths_checked(
    cli,  # noqa: F811
    tmp_path,
    run_in,
    paths,
    expected,
):
    # The run's own walk answers for a root it went through; any other root is walked
    # again. Either way a notebook counts for its own project only (p's seaborn, not q's;
    # the requests of neither), and REQ201 is decided only when the run checks the whole project.
    project = make_project(
        tmp_path / "mono",
        {
            "p/requirements.txt": "flask\nseaborn\nrequests\n",
            "p/app.py": APP,
            "p/lib/helpers.py": "import os\n",
            "p/eda.ipynb": notebook("import seaborn"),
            "q/requirements.txt": "seaborn\nrequests\n",
            "q/job.py": "import requests\n",
            "explore.ipynb": notebook("import requests"),  # in no project
        },
    )
    result = cli(project / run_in, "check", *paths)
    assert (result.exit_code, result.out) == (1 if expected else 0, expected)
