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
            [PSYCOPG2 + "apt-get install libpq-dev; or declare 'psycopg2-binary' instead"],
            id="Debian image with gcc: only what it lacks (all of it before)",
        ),
        pytest.param("psycopg2-binary", {}, [], id="the binary wheel is silent"),
    ],
)
def test_req104(tmp_path, run_flake8, requirement, system, expected):
    base = {"requirements.txt": requirement + "\n", "app.py": "import psycopg2\n"}
    result = run_flake8(make_project(tmp_path, {**base, **system}), "--select=REQ1")
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)


# A build need is met by the build packages of the stage that builds the wheel (the shipped
# one, or a builder it copies from), and the run-time library in the shipped stage.
BUILDER = "FROM python:3.12-slim AS builder\nRUN apt-get install -y build-essential libpq-dev\n"
SHIPPED = "FROM python:3.12-slim\n"
BUILD_SILENT = [
    pytest.param(
        BUILDER + "RUN pip wheel -w /wheels psycopg2\n" + SHIPPED
        + "RUN apt-get install -y libpq5\nCOPY --from=builder /wheels /wheels\n",
        id="builder's wheels copied, library shipped",
    ),
    pytest.param(
        BUILDER + "RUN python -m venv /opt/venv && /opt/venv/bin/pip install psycopg2\n"
        + SHIPPED + "RUN apt-get install -y libpq5\nCOPY --from=builder /opt/venv /opt/venv\n",
        id="builder's virtual environment copied",
    ),
    pytest.param(
        SHIPPED + "RUN apt-get install -y gcc libpq-dev && pip install psycopg2 \\\n"
        "    && apt-get purge -y gcc\n",
        id="one stage: builds with gcc, removes it, keeps the headers",
    ),
    pytest.param(
        "FROM python:3.12 AS builder\nRUN pip wheel -w /wheels psycopg2\n" + SHIPPED
        + "RUN apt-get install -y libpq5\nCOPY --from=builder /wheels /wheels\n",
        id="builder on the full python image, which has gcc and libpq-dev",
    ),
    pytest.param(
        "FROM python:3.12-alpine\n"
        "RUN apk add --virtual .build-deps gcc musl-dev postgresql-dev \\\n"
        "    && pip install psycopg2 && apk del .build-deps && apk add libpq\n",
        id="alpine: a virtual group, deleted after the build",
    ),
]  # fmt: skip

PSYCOPG2_APT = PSYCOPG2 + (
    "apt-get install build-essential libpq-dev; or declare 'psycopg2-binary' instead"
)
PSYCOPG2_LIBRARY = PSYCOPG2 + (
    "the image has them to build it, but the shipped stage lacks its run-time library: "
    "apt-get install libpq5; or declare 'psycopg2-binary' instead"
)
BUILD_FIRING = [
    pytest.param(
        BUILDER + SHIPPED + "RUN apt-get install -y libpq5\n",
        PSYCOPG2_APT,
        id="a builder the shipped stage copies nothing from",
    ),
    pytest.param(
        BUILDER + SHIPPED + "COPY --from=builder /wheels /wheels\n",
        PSYCOPG2_LIBRARY,
        id="built in the builder, the library not shipped",
    ),
    pytest.param(
        SHIPPED + "RUN apt-get install -y libpq5\n",
        PSYCOPG2_APT,
        id="the library alone, nothing to build with (silent before)",
    ),
    pytest.param(
        SHIPPED + "RUN apt-get install -y gcc libpq-dev && pip install psycopg2 \\\n"
        "    && apt-get purge -y --auto-remove libpq-dev gcc\n",
        PSYCOPG2_LIBRARY,
        id="built, then the headers and the library removed",
    ),
    pytest.param(
        SHIPPED + "RUN apt-get install -y libpq-dev\n",
        PSYCOPG2 + "apt-get install build-essential; or declare 'psycopg2-binary' instead",
        id="headers without a compiler: only the compiler named",
    ),
]  # fmt: skip


@pytest.mark.parametrize("dockerfile", BUILD_SILENT)
def test_req104_builder_stage_silent(tmp_path, run_flake8, dockerfile):
    files = {"requirements.txt": "psycopg2\n", "app.py": "import psycopg2\n"}
    project = make_project(tmp_path, {**files, "Dockerfile": dockerfile})
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


@pytest.mark.parametrize(("dockerfile", "expected"), BUILD_FIRING)
def test_req104_builder_stage_fires(tmp_path, run_flake8, dockerfile, expected):
    files = {"requirements.txt": "psycopg2\n", "app.py": "import psycopg2\n"}
    project = make_project(tmp_path, {**files, "Dockerfile": dockerfile})
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


@pytest.mark.parametrize(
    ("aptfile", "expected"),
    [
        pytest.param("libpq5\n", [], id="the run-time library: the platform builds"),
        pytest.param("curl\n", [PSYCOPG2_APT], id="nothing of the need"),
    ],
)
def test_req104_package_list_does_not_show_the_build(tmp_path, run_flake8, aptfile, expected):
    # An Aptfile says what the platform adds to its own images (Heroku builds with gcc and
    # libpq-dev), not where wheels are built: the run-time library is enough there.
    files = {"requirements.txt": "psycopg2\n", "app.py": "import psycopg2\n", "Aptfile": aptfile}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ1")
    assert (result.exit_code, result.out, result.err) == (1 if expected else 0, expected, [])


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
        "OS packages for the imports and runtime requirements of this project (debian):",
        "  libpq5                       needed    psycopg2 needs a C compiler and the libpq "
        "headers (config/settings.py:2)",
    ]
