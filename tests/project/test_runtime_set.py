"""The runtime set is what the Dockerfile's shipped stage installs, with the extras and groups
it selects; a Dockerfile that installs nothing of the project's falls back to discovery."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

NOT_DECLARED = "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement"
HINT = "; it is provided by 'pyyaml'"
PYPROJECT = """\
[project]
name = "svc"
version = "1"
dependencies = ["flask"]

[project.optional-dependencies]
postgres = ["psycopg"]

[dependency-groups]
dev = ["pytest"]
datasources = ["pymysql"]
"""
POETRY = """\
[tool.poetry]
name = "svc"
[tool.poetry.dependencies]
python = "^3.11"
flask = "*"
[tool.poetry.group.dev.dependencies]
pytest = "*"
[tool.poetry.group.pg]
optional = true
[tool.poetry.group.pg.dependencies]
psycopg = "*"
"""
# The image's Python is not the lowest POETRY allows: said once, as the target's rule is
# (tests/project/test_target.py).
POETRY_TARGET = (
    "flake8-reqs: target Python 3.12 (Dockerfile:1 FROM python:3.12-slim), not 3.11 "
    "(pyproject.toml requires-python '^3.11', lowest allowed); set --reqs-python-version to "
    "choose another"
)
PDM = PYPROJECT + "[tool.pdm.dev-dependencies]\nweb = ['gunicorn']\n"
PIPFILE = "[packages]\nflask = '*'\n[dev-packages]\npytest = '*'\n"

FIRING = [
    pytest.param(
        {
            "requirements.txt": "flask\npyyaml\n",
            "requirements-prod.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nCOPY requirements-prod.txt .\n"
            "RUN pip install --no-cache-dir -r requirements-prod.txt\n",
        },
        [f"{NOT_DECLARED} (requirements-prod.txt, installed at Dockerfile:3){HINT}"],
        id="pip install -r: the file the image installs, not requirements.txt",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\npyyaml\n",
            "requirements/prod.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim AS build\nWORKDIR /app\n"
            "COPY requirements/prod.txt /app/requirements/prod.txt\n"
            "RUN pip install --prefix=/install -r /app/requirements/prod.txt\n"
            "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n",
        },
        [f"{NOT_DECLARED} (requirements/prod.txt, installed at Dockerfile:4){HINT}"],
        id="an absolute path in a build stage the shipped one copies from",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n"
            "RUN python -m pip install playwright 'gunicorn==23.0.0'\n",
        },
        [f"{NOT_DECLARED} (requirements.txt, installed at Dockerfile:2; Dockerfile:3){HINT}"],
        id="distributions installed by name",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "requirements.txt": "pyyaml\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n",
        },
        [f"{NOT_DECLARED} (pyproject.toml, installed at Dockerfile:2){HINT}"],
        id="uv sync --no-dev: the project's metadata",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --locked --no-dev\n",
        },
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [dependency-groups] dev, not as a runtime requirement"
        ],
        id="uv sync --no-dev leaves the dev group out",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT + "[tool.uv]\ndefault-groups = ['datasources']\n",
            "app.py": "import pymysql\nimport pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --locked\n",
        },
        [
            "./app.py:2:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [dependency-groups] dev, not as a runtime requirement"
        ],
        id="uv sync leaves dev out when default-groups does not name it",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT + "[tool.uv]\ndefault-groups = 'all'\n",
            "app.py": "import pymysql\nimport pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --locked --no-group dev\n",
        },
        [
            "./app.py:2:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [dependency-groups] dev, not as a runtime requirement"
        ],
        id="default-groups = 'all' less the group --no-group names",
    ),
    pytest.param(
        {
            "pyproject.toml": POETRY,
            "app.py": "import pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN poetry install --only main\n",
        },
        [
            "./app.py:1:1: REQ002 'pytest' is provided by 'pytest', declared only in "
            "pyproject.toml [tool.poetry.group.dev], not as a runtime requirement"
        ],
        id="poetry install --only main",
    ),
    pytest.param(
        {
            "pyproject.toml": POETRY,
            "app.py": "import psycopg\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN poetry install\n",
        },
        [
            "./app.py:1:1: REQ002 'psycopg' is provided by 'psycopg', declared only in "
            "pyproject.toml [tool.poetry.group.pg], not as a runtime requirement"
        ],
        id="poetry install leaves an optional group out",
    ),
    pytest.param(
        {
            "Pipfile": PIPFILE,
            "requirements.txt": "pyyaml\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pipenv install --deploy --system\n",
        },
        [f"{NOT_DECLARED} (Pipfile, installed at Dockerfile:2){HINT}"],
        id="pipenv install --deploy: the Pipfile",
    ),
    pytest.param(
        {
            "pyproject.toml": PDM,
            "app.py": "import gunicorn\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pdm install --prod\n",
        },
        [
            "./app.py:1:1: REQ002 'gunicorn' is provided by 'gunicorn', declared only in "
            "pyproject.toml [tool.pdm.dev-dependencies] web, not as a runtime requirement"
        ],
        id="pdm install --prod",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install gunicorn\n",
        },
        [f"{NOT_DECLARED} (requirements.txt; Dockerfile:3){HINT}"],
        id="distributions installed by name only: added to what is found",
    ),
    pytest.param(
        {
            "requirements.txt": "pyyaml\n",
            "requirements-prod.txt": "flask\n",
            "Containerfile": "FROM python:3.12-slim\nRUN pip install -r requirements-prod.txt\n",
        },
        [f"{NOT_DECLARED} (requirements-prod.txt, installed at Containerfile:2){HINT}"],
        id="a Containerfile",
    ),
]

SILENT = [
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pymysql\n",
            "Dockerfile": "FROM python:3.12-slim\n"
            "RUN uv sync --frozen --no-dev --group datasources\n",
        },
        (),
        id="uv sync --group: that group is runtime (was a false REQ002)",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pymysql\nimport psycopg\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --all-groups --all-extras\n",
        },
        (),
        id="uv sync --all-groups --all-extras",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --frozen\n",
        },
        (),
        id="uv sync installs the dev group unless --no-dev",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT + "[tool.uv]\ndefault-groups = ['dev', 'datasources']\n",
            "app.py": "import pymysql\nimport pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --frozen\n",
        },
        (),
        id="uv sync installs the groups [tool.uv] default-groups names",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT + "[tool.uv]\ndefault-groups = 'all'\n",
            "app.py": "import pymysql\nimport pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --frozen\n",
        },
        (),
        id="uv sync installs every group with default-groups = 'all'",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import psycopg\n",
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install '.[postgres]'\n",
        },
        (),
        id="pip install '.[postgres]': the extra is runtime",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import psycopg\n",
            "Dockerfile": 'FROM python:3.12-slim\nCOPY . /app/\nRUN pip install "/app[postgres]"\n',
        },
        (),
        id="pip install /app[postgres] after COPY . /app/",
    ),
    pytest.param(
        {
            "pyproject.toml": POETRY,
            "app.py": "import pytest\nimport psycopg\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN poetry install --with pg\n",
        },
        (),
        id="poetry install: every non-optional group, and --with an optional one",
    ),
    pytest.param(
        {
            "pyproject.toml": PDM,
            "app.py": "import gunicorn\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pdm install --prod -G web\n",
        },
        (),
        id="pdm install -G",
    ),
    pytest.param(
        {
            "Pipfile": PIPFILE,
            "app.py": "import pytest\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pipenv install --system --dev\n",
        },
        (),
        id="pipenv install --dev",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "app.py": "import playwright\nimport cv2\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n"
            "RUN pip install playwright opencv-python-headless && playwright install chromium\n",
        },
        (),
        id="distributions the image installs by name are runtime",
    ),
    pytest.param(
        {
            "requirements.txt": "pyyaml\n",
            "app.py": "import yaml\nimport gunicorn\n",
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install gunicorn\n",
        },
        (),
        id="an image that installs by name only: the root's source still counts",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pymysql\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --group datasources\n",
        },
        ("--reqs-file=pyproject.toml",),
        id="--reqs-file names the pyproject.toml that the image syncs with a group",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT,
            "app.py": "import pymysql\n",
        },
        ("--reqs-runtime-groups=datasources",),
        id="--reqs-runtime-groups, for a deploy the plugin cannot see",
    ),
    pytest.param(
        {
            "requirements.txt": "pyyaml\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install --upgrade pip setuptools wheel\n",
        },
        (),
        id="a Dockerfile that installs only installers falls back to discovery",
    ),
    pytest.param(
        {
            "requirements.txt": "pyyaml\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y git\n",
        },
        (),
        id="a Dockerfile that installs nothing Python-specific falls back to discovery",
    ),
    pytest.param(
        {
            "requirements.txt": "flask\n",
            "requirements-prod.txt": "pyyaml\n",
            "Dockerfile": "FROM python:3.12-slim AS test\nRUN pip install -r requirements.txt\n"
            "FROM python:3.12-slim AS prod\nRUN pip install -r requirements-prod.txt\n"
            "FROM test\n",
        },
        ("--reqs-docker-target=prod",),
        id="--reqs-docker-target picks the shipped stage; other stages do not count",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIRING)
def test_the_image_decides_the_runtime_set(tmp_path, run_flake8, files, expected):
    project = make_project(tmp_path, {"app.py": "import yaml\n", **files})
    result = run_flake8(project, "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == (expected, 1, notes_of(files))


@pytest.mark.parametrize(("files", "args"), SILENT)
def test_what_the_image_installs_is_declared(tmp_path, run_flake8, files, args):
    project = make_project(tmp_path, {"app.py": "import yaml\n", **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, notes_of(files))


def notes_of(files):
    return [POETRY_TARGET] if files.get("pyproject.toml") == POETRY else []


FALLBACK = "the runtime requirements are found as without a Dockerfile"
UNSURE = [
    pytest.param(
        "FROM python:3.12-slim\nRUN pip install -r requirements-prod.txt\nRUN pip install $EXTRA\n",
        f"flake8-reqs: Dockerfile:3: cannot tell what '$EXTRA' installs; {FALLBACK}",
        id="a variable",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN pip install -r requirements/generated.txt\n",
        "flake8-reqs: Dockerfile:2: installs 'requirements/generated.txt', which is not in the "
        f"project; {FALLBACK}",
        id="a file that is not in the project",
    ),
    pytest.param(
        "FROM python:3.12-slim\nCOPY dist/ /dist/\nRUN pip install /dist/*.whl\n",
        "flake8-reqs: Dockerfile:3: cannot tell what a wheel that this Dockerfile does not "
        f"build installs; {FALLBACK}",
        id="a wheel from outside",
    ),
    pytest.param(
        "FROM python:3.12-slim\nRUN pip install git+https://example.com/x.git\n",
        "flake8-reqs: Dockerfile:2: cannot tell what 'git+https://example.com/x.git' installs; "
        f"{FALLBACK}",
        id="a URL",
    ),
]


@pytest.mark.parametrize(("dockerfile", "note"), UNSURE)
def test_when_unsure_what_the_image_installs_discovery_is_used(
    tmp_path, run_flake8, dockerfile, note
):
    files = {
        "requirements.txt": "pyyaml\n",
        "requirements-prod.txt": "flask\n",
        "Dockerfile": dockerfile,
        "app.py": "import yaml\n",
    }
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == ([], 0, [note])


def test_a_wheel_built_in_the_image_is_the_project(tmp_path, run_flake8):
    dockerfile = (
        "FROM python:3.12-slim AS build\nCOPY . /src\nRUN pip wheel --no-deps -w /wheels /src "
        "&& python -m build --wheel --outdir /wheels /src\n"
        "FROM python:3.12-slim\nCOPY --from=build /wheels /wheels\nRUN pip install /wheels/*.whl\n"
    )
    files = {"pyproject.toml": PYPROJECT, "Dockerfile": dockerfile, "app.py": "import yaml\n"}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert result.out == [f"{NOT_DECLARED} (pyproject.toml, installed at Dockerfile:6){HINT}"]


def test_an_explicit_system_file_is_the_dockerfile_read(tmp_path, run_flake8):
    files = {
        "requirements.txt": "pyyaml\n",
        "requirements-prod.txt": "flask\n",
        "docker/prod.Dockerfile": "FROM python:3.12-slim\n"
        "RUN pip install -r requirements-prod.txt\n",
        "app.py": "import yaml\n",
    }
    result = run_flake8(
        make_project(tmp_path, files), "--select=REQ0", "--reqs-system-file=docker/prod.Dockerfile"
    )
    assert result.out == [
        f"{NOT_DECLARED} (requirements-prod.txt, installed at docker/prod.Dockerfile:2){HINT}"
    ]
