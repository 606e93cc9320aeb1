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
