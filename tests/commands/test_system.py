"""flake8-reqs system: every need of the imports and runtime requirements, what the image
has of each, the install lines, and an exit status like check's."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.commands.test_cli import cli  # noqa: F401  (the fixture)
from tests.conftest import make_project

HEADER = "OS packages for the imports and runtime requirements of this project (debian):"
APT = "RUN apt-get update && apt-get install -y --no-install-recommends {} \\"
APT_END = " && rm -rf /var/lib/apt/lists/*"
SLIM = "FROM python:3.12-slim\n"
SAID = ["flake8-reqs: target Python 3.12 (Dockerfile:1 FROM python:3.12-slim)"]  # by check


def test_nothing_needed_exits_zero(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p", {"requirements.txt": "flask\n", "app.py": "import flask\n"}
    )
    result = cli(project, "system")
    assert (result.exit_code, result.err) == (0, [])
    assert result.out == [
        "Nothing this project imports or declares needs an OS package pip does not install."
    ]


def test_everything_installed_exits_zero(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "python-magic\nopencv-python\n",
            "app.py": "import magic\nimport cv2\n",
            "Dockerfile": SLIM + 'ARG LIBS="libmagic1 libgl1 libglib2.0-0"\n'
            "RUN apt-get install -y $LIBS\n",
        },
    )
    result = cli(project, "system")
    assert (result.exit_code, result.err) == (0, [])
    assert result.out == [
        HEADER,
        "  libmagic1                    installed python-magic needs libmagic (app.py:1)",
        "  libgl1 libglib2.0-0          installed opencv-python needs libGL (and GLib) (app.py:2)",
        "",
        "The system files install everything this project needs.",
    ]


def test_half_a_need_is_partial_and_exits_one(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "opencv-python\n",
            "app.py": "import cv2\n",
            "Dockerfile": SLIM + "RUN apt-get install -y libgl1\n",
        },
    )
    result = cli(project, "system")
    assert (result.exit_code, result.err) == (1, [])
    assert result.out == [
        HEADER,
        "  libgl1 libglib2.0-0          partial   opencv-python needs libGL (and GLib) (app.py:1)",
        "",
        "Run time (missing from the system files):",
        APT.format("libglib2.0-0"),
        APT_END,
    ]


def test_a_driver_named_only_in_settings_is_reported_at_its_line(cli, tmp_path):  # noqa: F811
    # settings.py names the database backend; nothing imports psycopg2.
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "django\npsycopg2==2.9.10\n",
            "settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
            "app.py": "import django\n",
            "Dockerfile": SLIM + "RUN apt-get install -y libpq5\n",
        },
    )
    system = cli(project, "system")
    assert (system.exit_code, system.err) == (1, [])
    assert system.out == [
        HEADER,
        "  libpq5                       partial   psycopg2 needs a C compiler and the libpq "
        "headers (requirements.txt:2)",
        "",
        "To build from source (in the build stage):",
        APT.format("build-essential libpq-dev"),
        APT_END,
    ]
    check = cli(project, "check", "--select=REQ1")
    assert (check.exit_code, check.err) == (1, SAID)
    assert check.out == [
        "requirements.txt:2:1: REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles "
        "from source: needs a C compiler and the libpq headers: apt-get install build-essential "
        "libpq-dev; or declare 'psycopg2-binary' instead",
    ]


@pytest.mark.parametrize(
    ("requirements", "status", "shown"),
    [
        pytest.param("django\npsycopg[binary]\n", 0, [], id="psycopg[binary] brings libpq"),
        pytest.param("django\npsycopg\npsycopg-binary\n", 0, [], id="so does psycopg-binary"),
        pytest.param("django\npsycopg\n", 1, ["libpq5"], id="psycopg alone needs it"),
    ],
)
def test_driver_library_installed_by_pip(cli, tmp_path, requirements, status, shown):  # noqa: F811
    # settings.py names the database backend; nothing imports psycopg.
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": requirements,
            "settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
            "app.py": "import django\n",
            "Dockerfile": SLIM,
        },
    )
    system = cli(project, "system")
    assert (system.exit_code, system.err) == (status, [])
    assert [line.split()[0] for line in system.out if line.startswith("  ")] == shown
    check = cli(project, "check", "--select=REQ1")
    assert (check.exit_code, len(check.out)) == (status, len(shown))


PSYCOPG2 = (
    "REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles from source: needs a C "
    "compiler and the libpq headers: apt-get install build-essential libpq-dev; or declare "
    "'psycopg2-binary' instead"
)


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        pytest.param(
            {"app.py": "import django\nimport psycopg2\n"},
            (),
            [f"app.py:2:1: {PSYCOPG2}"],
            id="imported: at the import only",
        ),
        pytest.param(
            {"tests/test_db.py": "import psycopg2\n"},
            (),
            [f"requirements.txt:2:1: {PSYCOPG2}"],
            id="imported only by a test: at the requirement",
        ),
        pytest.param(
            {"requirements.txt": "django\npsycopg2  # noqa: REQ104\n"},
            (),
            [],
            id="noqa on its line",
        ),
        pytest.param({}, ("--reqs-system-ok=psycopg2",), [], id="--reqs-system-ok"),
    ],
)
def test_requirement_level_needs(cli, tmp_path, files, args, expected):  # noqa: F811
    base = {"requirements.txt": "django\npsycopg2\n", "app.py": "import django\n"}
    project = make_project(tmp_path / "p", {**base, **files, "Dockerfile": SLIM})
    result = cli(project, "check", "--select=REQ104", *args)
    assert (result.exit_code, result.out, result.err) == (1 if expected else 0, expected, SAID)


def test_builder_stage_and_arg_expansion(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "psycopg2\npython-magic\n",
            "app.py": "import psycopg2\nimport magic\nimport tkinter\n",
            "Dockerfile": "ARG PY=3.12\n"
            "FROM python:${PY}-slim AS builder\n"
            'ARG BUILD_DEPS="build-essential libpq-dev"\n'
            "RUN apt-get install -y ${BUILD_DEPS} && pip wheel -w /wheels psycopg2\n"
            "FROM python:${PY}-slim\n"
            'ARG RUNTIME_PACKAGES="libmagic1 libpq5"\n'
            "RUN apt-get install -y ${RUNTIME_PACKAGES}\n"
            "COPY --from=builder /wheels /wheels\n",
        },
    )
    result = cli(project, "system")
    assert (result.exit_code, result.err) == (1, [])
    assert result.out == [
        HEADER,
        "  libpq5                       installed psycopg2 needs a C compiler and the libpq "
        "headers (app.py:1)",
        "  libmagic1                    installed python-magic needs libmagic (app.py:2)",
        "  libtk8.6                     missing   tkinter (standard library) needs Tk (libtk8.6) "
        "(app.py:3)",
        "",
        "Run time (missing from the system files):",
        APT.format("libtk8.6"),
        APT_END,
    ]


def test_a_variable_without_value_is_said_once(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "python-magic\n",
            "app.py": "import magic\n",
            "Dockerfile": SLIM + "ARG LIBS\nRUN apt-get install -y $LIBS\n"
            "RUN apt-get install -y $LIBS curl\n",
        },
    )
    result = cli(project, "system")
    assert result.exit_code == 1
    assert result.err == [
        "flake8-reqs: Dockerfile:3: cannot expand $LIBS: ARG LIBS has no default value; what "
        "it would install is not counted"
    ]
    assert result.out[1] == (
        "  libmagic1                    missing   python-magic needs libmagic (app.py:1)"
    )


def test_select_picks_the_codes_shown(cli, tmp_path):  # noqa: F811
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "python-magic\npytesseract\n",
            "app.py": "import magic, pytesseract\n",
        },
    )
    result = cli(project, "system", "--select=REQ102")
    assert result.out[:2] == [
        HEADER,
        "  tesseract-ocr                needed    pytesseract needs tesseract (app.py:1)",
    ]


def test_exit_status_as_a_shell_sees_it(tmp_path):
    project = make_project(
        tmp_path, {"requirements.txt": "python-magic\n", "app.py": "import magic\n"}
    )
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "system", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (1, "")
    assert "libmagic1                    needed" in completed.stdout


def test_help_lists_every_option_system_reads(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "system", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = completed.stdout.splitlines()
    assert completed.returncode == 0
    for option in (
        "--family {debian,alpine,fedora,brew}", "-j JOBS, --jobs JOBS", "--cache-dir CACHE_DIR",
        "--no-cache", "--config CONFIG", "--append-config APPEND_CONFIG", "--isolated",
        "--select errors", "--extend-select errors", "--ignore errors", "--extend-ignore errors",
        "--exclude patterns", "--extend-exclude patterns", "--filename patterns",
        "--reqs-file PATH", "--reqs-system-file PATH", "--reqs-docker-target STAGE",
        "--reqs-system-ok NAMES",
    ):  # fmt: skip
        assert any(line.startswith(f"  {option}") for line in lines), option
    family = lines.index("  --family {debian,alpine,fedora,brew}")
    assert lines[family + 1].strip().startswith("the package manager to name packages for")
    assert "  accepted and change nothing." in lines
