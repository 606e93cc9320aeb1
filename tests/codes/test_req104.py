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


SETTINGS = "MIDDLEWARE = []\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        pytest.param(
            "psycopg2",
            [
                "config/settings.py:2:36: REQ104 'psycopg2' (psycopg2) has no wheel for Linux and "
                "compiles from source: needs a C compiler and the libpq headers: apt-get install "
                "build-essential libpq-dev; or declare 'psycopg2-binary' instead"
            ],
            id="the driver a settings module's engine loads",
        ),
        pytest.param("psycopg2-binary", [], id="its binary wheel is silent"),
    ],
)
def test_req104_of_a_driver_named_in_settings(
    tmp_path, run_flake8, run_reqs, requirement, expected
):
    files = {
        "requirements.txt": f"Django\n{requirement}\n",
        "config/settings.py": SETTINGS,
        "Dockerfile": "FROM python:3.12-slim\n",
    }
    project = make_project(tmp_path, files)
    plugin = run_flake8(project, "--select=REQ1")
    check = run_reqs(project, "check", "--select=REQ1", "--no-default-entries")
    assert [line.removeprefix("./") for line in plugin.out] == check.out == expected
    assert plugin.exit_code == check.exit_code == (1 if expected else 0)


def test_system_lists_what_a_settings_driver_needs(tmp_path, run_reqs):
    files = {"requirements.txt": "Django\npsycopg2\n", "config/settings.py": SETTINGS}
    result = run_reqs(make_project(tmp_path, files), "system")
    assert result.out[:2] == [
        "OS packages for the imports of this project (debian):",
        "  libpq5                       needed    psycopg2 needs a C compiler and the libpq "
        "headers (config/settings.py:2)",
    ]
