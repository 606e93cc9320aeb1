"""read_python_installs: each installer's command line, in the stages the image ships."""

from __future__ import annotations

import pytest

from flake8_reqs.system.python_installs import ALL, PythonInstall, read_python_installs
from tests.conftest import make_project

D = "Dockerfile"
BASE = "FROM python:3.12-slim\n"

INSTALLS = [
    pytest.param(
        "RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt\n",
        [PythonInstall(2, "pip", files=("requirements.txt",))],
        id="pip -r, a constraint declares nothing",
    ),
    pytest.param(
        "RUN python3 -m pip install -rreq.txt --requirement=more.txt 'flask>=3' "
        "uvicorn[standard]\n",
        [
            PythonInstall(
                2,
                "pip",
                files=("req.txt", "more.txt"),
                requirements=("flask>=3", "uvicorn[standard]"),
            )
        ],
        id="python -m pip, attached values, names",
    ),
    pytest.param(
        "RUN pip install -e '.[postgres,redis]' && uv pip install --system -r pyproject.toml "
        "--extra s3\n",
        [
            PythonInstall(2, "pip", project=True, extras=("postgres", "redis")),
            PythonInstall(2, "pip", files=("pyproject.toml",), extras=("s3",)),
        ],
        id="pip -e .[extras]; uv pip install -r pyproject.toml --extra",
    ),
    pytest.param(
        "RUN uv sync --frozen --no-dev --group datasources --extra pg --no-group lint\n",
        [
            PythonInstall(
                2, "uv", project=True, extras=("pg",), groups=("datasources",), without=("lint",)
            )
        ],
        id="uv sync",
    ),
    pytest.param(
        "RUN uv sync --only-group tools\n",
        [PythonInstall(2, "uv", project=True, groups=("tools",), main=False)],
        id="uv sync --only-group: not the project's own requirements",
    ),
    pytest.param(
        "RUN poetry install --no-root --without dev,docs -E pdf --with=pg\n",
        [
            PythonInstall(
                2,
                "poetry",
                project=True,
                extras=("pdf",),
                groups=("pg",),
                without=("dev", "docs"),
                default_groups=True,
            )
        ],
        id="poetry install",
    ),
    pytest.param(
        "RUN poetry install --only main --all-extras\n",
        [PythonInstall(2, "poetry", project=True, extras=(ALL,))],
        id="poetry install --only main",
    ),
    pytest.param(
        "RUN pdm install --prod -G web,worker --no-self\n",
        [PythonInstall(2, "pdm", project=True, extras=("web", "worker"), groups=("web", "worker"))],
        id="pdm install --prod -G",
    ),
    pytest.param(
        'RUN pipenv install --deploy --system --categories "packages docs"\n',
        [PythonInstall(2, "pipenv", project=True, groups=("docs",))],
        id="pipenv categories",
    ),
    pytest.param(
        "RUN micromamba install -y -n base -f /tmp/environment.yml\n",
        [PythonInstall(2, "conda", files=("/tmp/environment.yml",))],
        id="micromamba -f",
    ),
    pytest.param(
        "RUN poetry export --with pg -o /tmp/req.txt && pip install -r /tmp/req.txt\n",
        [PythonInstall(2, "poetry", project=True, groups=("pg",))],
        id="poetry export, then pip install -r what it wrote",
    ),
    pytest.param(
        "RUN apt-get install -y libpq5 && pip download flask && pip uninstall -y x\n",
        [],
        id="no install of Python distributions",
    ),
    pytest.param(
        "RUN pip install ${PACKAGES} torch==${TORCH}\n",
        [PythonInstall(2, "pip", unknown="'$PACKAGES'")],
        id="variables without a value: unknown",
    ),
    pytest.param(
        "ARG REQUIREMENTS=requirements-prod.txt\nENV EXTRA=postgres\n"
        'RUN pip install -r "$REQUIREMENTS" ".[${EXTRA}]"\n',
        [
            PythonInstall(
                4, "pip", files=("requirements-prod.txt",), project=True, extras=("postgres",)
            )
        ],
        id="ARG and ENV values expanded",
    ),
]


@pytest.mark.parametrize(("run", "expected"), INSTALLS)
def test_install_commands(tmp_path, run, expected):
    make_project(tmp_path, {D: BASE + run})
    assert list(read_python_installs(tmp_path / D, D)) == expected


STAGES = """\
FROM python:3.12-slim AS base
RUN pip install -r base.txt
FROM base AS build
RUN pip install --prefix=/install -r build.txt
FROM python:3.12-slim AS tests
RUN pip install -r dev.txt
FROM base AS final
COPY --from=build /install /usr/local
COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv
RUN pip install -r final.txt
"""


@pytest.mark.parametrize(
    ("target", "lines"),
    [
        pytest.param(
            None, [2, 4, 10], id="last stage: its FROM chain and the stages it copies from"
        ),
        pytest.param("tests", [6], id="--reqs-docker-target"),
        pytest.param("build", [2, 4], id="a target built FROM another stage"),
    ],
)
def test_the_shipped_stages(tmp_path, target, lines):
    make_project(tmp_path, {D: STAGES})
    assert [install.line for install in read_python_installs(tmp_path / D, D, target)] == lines
