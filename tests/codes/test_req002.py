"""REQ002 dev-only-import: provided only by a non-runtime set, imported from a runtime file."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

DEV = "--reqs-dev-file=requirements-dev.txt"
BASE = {"requirements.txt": "flask\n", "requirements-dev.txt": "pytest\nfactory-boy\n"}

SILENT = [
    pytest.param({"tests/test_app.py": "import pytest\n"}, (DEV,), id="tests/ folder"),
    pytest.param({"pkg/tests/test_x.py": "import pytest\n"}, (DEV,), id="tests/ at any depth"),
    pytest.param({"test_app.py": "import pytest\n"}, (DEV,), id="test_*.py"),
    pytest.param({"app_test.py": "import pytest\n"}, (DEV,), id="*_test.py"),
    pytest.param({"conftest.py": "import factory\n"}, (DEV,), id="conftest.py, bundled map"),
    pytest.param({"noxfile.py": "import pytest\n"}, (DEV,), id="noxfile.py"),
    pytest.param({"tasks.py": "import pytest\n"}, (), id="the root's tasks.py (invoke)"),
    pytest.param({"setup.py": "import pytest\n"}, (), id="the root's setup.py"),
    pytest.param(
        {"qa/check.py": "import pytest\n"},
        (DEV, "--reqs-dev-paths=qa/*"),
        id="--reqs-dev-paths",
    ),
    pytest.param({"app.py": "import flask\n"}, (DEV,), id="runtime import declared in both sets"),
    pytest.param(
        {
            "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n"
            "[dependency-groups]\ntest=['pytest']\n",
            "tests/test_app.py": "import pytest\n",
        },
        ("--reqs-file=requirements.txt",),
        id="pyproject dependency group is a non-runtime set automatically",
    ),
]


@pytest.mark.parametrize(("files", "args"), SILENT)
def test_req002_silent(tmp_path, run_flake8, files, args):
    project = make_project(tmp_path, {**BASE, **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


PACKAGE = {"mysite/__init__.py": "", "mysite/settings/__init__.py": ""}
RUNTIME_NAMED_LIKE_DEV = [
    pytest.param("app/tasks.py", {}, id="a Celery app's tasks.py (only the root's is invoke's)"),
    pytest.param("mysite/settings/setup.py", PACKAGE, id="a setup.py in a package"),
    pytest.param("test_data/loader.py", {}, id="a file in a folder named like test_*.py"),
]


@pytest.mark.parametrize(("path", "package"), RUNTIME_NAMED_LIKE_DEV)
def test_req002_fires_in_runtime_files_named_like_dev_files(tmp_path, run_flake8, path, package):
    project = make_project(tmp_path, {**BASE, **package, path: "import pytest\n"})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        f"./{path}:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
        "requirements-dev.txt, not as a runtime requirement"
    ]


FIRING = [
    pytest.param(
        {"app.py": "import pytest\n"},
        (DEV,),
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "requirements-dev.txt, not as a runtime requirement"
        ],
        id="dev file",
    ),
    pytest.param(
        {
            "requirements-dev.txt": "-r requirements.txt\npytest\n",
            "app.py": "import pytest\n",
        },
        (DEV,),
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "requirements-dev.txt, not as a runtime requirement"
        ],
        id="dev file that includes the runtime file is named after itself",
    ),
    pytest.param(
        {"src/app/factories.py": "import factory.django\n"},
        (DEV,),
        [
            "./src/app/factories.py:1:1: REQ002 'factory.django' is provided by 'factory-boy', "
            "declared only in requirements-dev.txt, not as a runtime requirement"
        ],
        id="bundled map",
    ),
    pytest.param(
        {
            "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n"
            "[project.optional-dependencies]\nimages=['Pillow']\n",
            "app.py": "from PIL import Image\n",
        },
        (),
        [
            "./app.py:1:1: REQ002 'PIL' is provided by 'Pillow', declared only in "
            "pyproject.toml [project.optional-dependencies] images, not as a runtime requirement"
        ],
        id="optional dependency",
    ),
    pytest.param(
        {
            "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n"
            "[dependency-groups]\ndev=['pytest']\n",
            "app.py": "import pytest\n",
        },
        (),
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [dependency-groups] dev and requirements-dev.txt, not as a runtime "
            "requirement"
        ],
        id="dependency group",
    ),
]


@pytest.mark.parametrize(("files", "args", "expected"), FIRING)
def test_req002_fires(tmp_path, run_flake8, files, args, expected):
    project = make_project(tmp_path, {**BASE, **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])
