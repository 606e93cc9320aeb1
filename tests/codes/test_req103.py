"""REQ103 system-runtime-import: the distribution needs a runtime pip does not install."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

SPARK = (
    "./app.py:1:1: REQ103 'pyspark.sql' (pyspark) needs a Java runtime, which pip does not "
    "install: "
)


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        pytest.param(
            {},
            [
                SPARK + "apt-get install default-jre-headless | apk add openjdk21-jre-headless | "
                "dnf install java-21-openjdk-headless"
            ],
            id="no system file",
        ),
        pytest.param(
            {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y curl\n"},
            [SPARK + "apt-get install default-jre-headless"],
            id="Debian image",
        ),
        pytest.param(
            {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y default-jre-headless\n"},
            [],
            id="installed",
        ),
    ],
)
def test_req103(tmp_path, run_flake8, system, expected):
    base = {"requirements.txt": "pyspark\n", "app.py": "import pyspark.sql\n"}
    result = run_flake8(make_project(tmp_path, {**base, **system}), "--select=REQ1")
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)


PLAYWRIGHT = (
    "./app.py:1:1: REQ103 'playwright.sync_api' (playwright) needs the browsers Playwright "
    "drives, which pip does not install: playwright install --with-deps chromium"
)


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        pytest.param("FROM python:3.12-slim\n", [PLAYWRIGHT], id="not set up"),
        pytest.param(
            "FROM python:3.12-slim\nRUN playwright install --with-deps chromium\n",
            [],
            id="the command the message gives",
        ),
        pytest.param(
            "FROM python:3.12-slim\n"
            "RUN pip install -r requirements.txt \\\n"
            " && python -m playwright install --with-deps firefox webkit\n",
            [],
            id="through python -m, other browsers, in a chain",
        ),
        pytest.param(
            "FROM python:3.12-slim\nRUN sudo PLAYWRIGHT_BROWSERS_PATH=/ms python3.12 -m "
            "playwright install chromium\n",
            [],
            id="behind sudo and an assignment",
        ),
        pytest.param(
            "FROM python:3.12-slim\nRUN uv sync --frozen && uv run playwright install chromium\n",
            [],
            id="through uv run",
        ),
        pytest.param(
            "FROM python:3.12-slim\n"
            'RUN ["/venv/bin/python", "-u", "-m", "playwright", "install"]\n',
            [],
            id="exec form with python options",
        ),
        pytest.param(
            "FROM python:3.12-slim\nRUN playwright install-deps\n",
            [PLAYWRIGHT],
            id="only the browsers' system dependencies",
        ),
        pytest.param(
            "FROM python:3.12-slim\nRUN playwright --version\n",
            [PLAYWRIGHT],
            id="another playwright command",
        ),
        pytest.param(
            "FROM python:3.12-slim AS browsers\nRUN playwright install --with-deps chromium\n"
            "FROM python:3.12-slim\nCOPY --from=browsers /root/.cache /root/.cache\n",
            [PLAYWRIGHT],
            id="only in a stage that is not shipped",
        ),
    ],
)
def test_req103_the_setup_command_in_the_shipped_stage_provides_the_need(
    tmp_path, run_flake8, dockerfile, expected
):
    files = {
        "requirements.txt": "playwright\n",
        "app.py": "import playwright.sync_api\n",
        "Dockerfile": dockerfile,
    }
    result = run_flake8(make_project(tmp_path, files), "--select=REQ1")
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)
