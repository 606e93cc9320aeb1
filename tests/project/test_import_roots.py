"""First party: the folders Python puts on sys.path for a file (project/import_roots.py).

Each case is a small project run through flake8's real command line; ``cwd`` is the folder
flake8 runs in (the project root unless given).
"""

from __future__ import annotations

import pytest

from tests.conftest import make_project

UNDECLARED = "REQ001 '{}' is imported but not declared as a runtime requirement ({})"
VENDOR_INSERT = (
    "import os, sys\n"
    "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vendor'))\n"
)
DJANGO = {
    "requirements.txt": "django\n",
    "backend/manage.py": "import os\nimport django\n",
    "backend/mysite/__init__.py": "",
    "backend/mysite/settings.py": "",
    "backend/polls/__init__.py": "",
    "backend/polls/models.py": "from django.db import models\n",
    "backend/polls/views.py": "from mysite import settings\nfrom polls.models import models\n",
}

SILENT = [
    pytest.param(
        {
            "tools/train.py": "from datasets.coco import load\n",
            "tools/util/__init__.py": "",
            "tools/util/misc.py": "",
            "tools/datasets/__init__.py": "",
            "tools/datasets/coco.py": "from util.misc import collate\n",
        },
        ".",
        id="a script folder of packages: tools/ is on sys.path for the packages in it",
    ),
    pytest.param(
        {
            "tests/helpers.py": "",
            "tests/unit/test_models.py": "import helpers\n",
        },
        ".",
        id="a folder of Python files between the root and the file",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "",
            "pkg/helpers.py": "",
            "pkg/cli.py": (
                "try:\n    from .helpers import fmt\nexcept ImportError:\n"
                "    from helpers import fmt\n"
            ),
        },
        ".",
        id="the absolute fallback of a relative import",
    ),
    pytest.param(
        {
            "vendor/vendored.py": "",
            "scripts/run.py": VENDOR_INSERT + "import vendored\n",
        },
        ".",
        id="sys.path.insert of a folder built from __file__",
    ),
    pytest.param(
        {
            "lib/py/shared.py": "",
            "bin/tool.py": (
                "import sys\nfrom pathlib import Path\n"
                "ROOT = Path(__file__).resolve().parents[1]\n"
                "sys.path.append(str(ROOT / 'lib' / 'py'))\nimport shared\n"
            ),
        },
        ".",
        id="sys.path.append of a pathlib expression through a name",
    ),
    pytest.param(
        {**DJANGO, "tests/test_polls.py": "from polls.models import models\n"},
        ".",
        id="Django: the apps beside manage.py in a subfolder are top-level names",
    ),
    pytest.param(
        {
            "repo/shared/__init__.py": "",
            "repo/services/api/requirements.txt": "flask\n",
            "repo/services/api/app.py": "import shared\nimport flask\n",
        },
        "repo",
        id="the working directory is on sys.path under python -m",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "",
            "pkg/scripts/helpers.py": "",
            "pkg/scripts/job.py": "import helpers\n",
        },
        ".",
        id="the file's own folder when it is not a package, also inside one (as before)",
    ),
]


@pytest.mark.parametrize(("files", "cwd"), SILENT)
def test_import_roots_silent(tmp_path, run_flake8, files, cwd):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", **files})
    result = run_flake8(project / cwd, "--select=REQ0")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


FIRING = [
    pytest.param(
        {"pkg/__init__.py": "", "pkg/jwt.py": "", "pkg/auth.py": "import jwt\n"},
        ".",
        "./pkg/auth.py:1:1: "
        + UNDECLARED.format("jwt", "requirements.txt")
        + "; it is provided by 'pyjwt'",
        id="inside a package, a sibling module does not hide a distribution (as before)",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "",
            "pkg/sub/helpers.py": "",
            "pkg/sub/deep/job.py": "import helpers\n",
        },
        ".",
        "./pkg/sub/deep/job.py:1:1: " + UNDECLARED.format("helpers", "requirements.txt"),
        id="a folder inside a package is no import root for the files below it",
    ),
    pytest.param(
        {
            "apps/worker/__init__.py": "",
            "apps/api/main.py": "import worker\n",
        },
        ".",
        "./apps/api/main.py:1:1: " + UNDECLARED.format("worker", "requirements.txt"),
        id="a folder without Python files of its own is no import root",
    ),
    pytest.param(
        {
            "vendor/vendored.py": "",
            "scripts/run.py": "import vendored\n" + VENDOR_INSERT,
        },
        ".",
        "./scripts/run.py:1:1: " + UNDECLARED.format("vendored", "requirements.txt"),
        id="an import before the sys.path.insert",
    ),
    pytest.param(
        {
            "vendor/vendored.py": "",
            "scripts/run.py": (
                "import sys\ndef main():\n    sys.path.insert(0, 'vendor')\nimport vendored\n"
            ),
        },
        ".",
        "./scripts/run.py:4:1: " + UNDECLARED.format("vendored", "requirements.txt"),
        id="a sys.path.insert in a function, which may never run",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "",
            "pkg/helpers.py": "",
            "pkg/cli.py": (
                "try:\n    from .helpers import fmt\nexcept ImportError:\n    pass\n"
                "from helpers import fmt\n"
            ),
        },
        ".",
        "./pkg/cli.py:5:1: " + UNDECLARED.format("helpers", "requirements.txt"),
        id="an absolute import of the name after the try, not in its handler",
    ),
    pytest.param(
        {
            "requirements.txt": "django\n",
            "deploy/django/manage.py": "import django\n",
            "deploy/django/polls/__init__.py": "",
            "tests/test_polls.py": "import polls\n",
        },
        ".",
        "./tests/test_polls.py:1:1: REQ001 'polls' is imported but not declared in any "
        "requirement set (requirements.txt)",
        id="a manage.py two folders down is not looked for (a limit)",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "",
            "pkg/jwt.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/auth.py": "import jwt\n",
        },
        "pkg",
        "./sub/auth.py:1:1: "
        + UNDECLARED.format("jwt", "../requirements.txt")
        + "; it is provided by 'pyjwt'",
        id="a working directory that is a package is no import root",
    ),
]


@pytest.mark.parametrize(("files", "cwd", "expected"), FIRING)
def test_import_roots_firing(tmp_path, run_flake8, files, cwd, expected):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", **files})
    result = run_flake8(project / cwd, "--select=REQ0")
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])
