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


PIPFILE = "[packages]\nflask = '*'\n[dev-packages]\npytest = '*'\n[docs]\nsphinx = '*'\n"
UV = "[project]\nname='x'\nversion='1'\ndependencies=['flask']\n"
# Each project declares its dev sets in one format; a runtime file imports from each.
DEV_SETS_FIRING = [
    pytest.param(
        {"Pipfile": PIPFILE, "app.py": "import pytest\n"},
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "Pipfile [dev-packages], not as a runtime requirement"
        ],
        id="Pipfile [dev-packages]",
    ),
    pytest.param(
        {"Pipfile": PIPFILE, "app.py": "import sphinx\n"},
        [
            "./app.py:1:1: REQ002 'sphinx' is provided by 'sphinx', declared only in "
            "Pipfile [docs], not as a runtime requirement"
        ],
        id="Pipfile custom category",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "Pipfile": PIPFILE,
            "app.py": "import pytest\n",
        },
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "Pipfile [dev-packages], not as a runtime requirement"
        ],
        id="Pipfile's dev sets count beside another runtime source",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.uv]\ndev-dependencies = ['pytest']\n",
            "app.py": "import pytest\n",
        },
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [tool.uv] dev-dependencies, not as a runtime requirement"
        ],
        id="[tool.uv] dev-dependencies",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.pdm.dev-dependencies]\nlint = ['ruff']\n",
            "app.py": "import ruff\n",
        },
        [
            "./app.py:1:1: REQ002 'ruff' is provided by 'ruff', declared only in "
            "pyproject.toml [tool.pdm.dev-dependencies] lint, not as a runtime requirement"
        ],
        id="[tool.pdm.dev-dependencies]",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.hatch.envs.docs]\nextra-dependencies = ['mkdocs']\n",
            "app.py": "import mkdocs\n",
        },
        [
            "./app.py:1:1: REQ002 'mkdocs' is provided by 'mkdocs', declared only in "
            "pyproject.toml [tool.hatch.envs.docs], not as a runtime requirement"
        ],
        id="[tool.hatch.envs.*] extra-dependencies",
    ),
]
DEV_SETS_SILENT = [
    pytest.param(
        {"Pipfile": PIPFILE, "tests/test_app.py": "import pytest\n"}, (), id="Pipfile, test file"
    ),
    pytest.param(
        {"Pipfile": PIPFILE, "docs/conf.py": "import sphinx\n"}, (), id="Pipfile category, docs"
    ),
    pytest.param(
        {"Pipfile": PIPFILE, "app.py": "import sphinx\n"},
        ("--reqs-runtime-groups=docs",),
        id="--reqs-runtime-groups names a Pipfile category",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.uv]\ndev-dependencies = ['pytest']\n",
            "tests/conftest.py": "import pytest\n",
        },
        (),
        id="uv dev set, conftest",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.pdm.dev-dependencies]\nlint = ['ruff']\n",
            "app.py": "import ruff\n",
        },
        ("--reqs-runtime-groups=lint",),
        id="--reqs-runtime-groups names a pdm group",
    ),
    pytest.param(
        {
            "pyproject.toml": UV + "[tool.hatch.envs.docs]\ndependencies = ['mkdocs']\n",
            "setup.cfg": "[flake8]\nreqs-runtime-groups = docs\n",
            "app.py": "import mkdocs\n",
        },
        (),
        id="reqs-runtime-groups from setup.cfg names a hatch environment",
    ),
]


@pytest.mark.parametrize(("files", "expected"), DEV_SETS_FIRING)
def test_req002_fires_for_each_dev_set_format(tmp_path, run_flake8, files, expected):
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])


@pytest.mark.parametrize(("files", "args"), DEV_SETS_SILENT)
def test_req002_silent_for_each_dev_set_format(tmp_path, run_flake8, files, args):
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])
