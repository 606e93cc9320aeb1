"""REQ104 source-build-import: no Linux wheel, so installing the distribution compiles it."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

PSYCOPG2 = (
    "./app.py:1:1: REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles from "
    "source: needs a C compiler and the libpq headers: "
)


@pytest.mark.parametrize(
    ("requirement", "system", "expected"),
    [
        pytest.param(
            "psycopg2==2.9.9",
            {},
            [
                PSYCOPG2 + "apt-get install build-essential libpq-dev | apk add build-base "
                "libpq-dev | dnf install gcc libpq-devel; or declare 'psycopg2-binary' instead"
            ],
            id="no system file: names the wheel alternative",
        ),
        pytest.param(
            "psycopg2",
            {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y gcc\n"},
            [
                PSYCOPG2 + "apt-get install build-essential libpq-dev; "
                "or declare 'psycopg2-binary' instead"
            ],
            id="Debian image",
        ),
        pytest.param("psycopg2-binary", {}, [], id="the binary wheel is silent"),
    ],
)
def test_req104(tmp_path, run_flake8, requirement, system, expected):
    base = {"requirements.txt": requirement + "\n", "app.py": "import psycopg2\n"}
    result = run_flake8(make_project(tmp_path, {**base, **system}), "--select=REQ1")
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)
