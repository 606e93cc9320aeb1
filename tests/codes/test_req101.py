"""REQ101 system-library-import: the distribution loads a system library pip does not install."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

MAGIC_ALL = (
    "./app.py:1:1: REQ101 'magic' (python-magic) needs the system library libmagic, which pip "
    "does not install: apt-get install libmagic1 | apk add libmagic | dnf install file-libs"
)
MAGIC_APT = (
    "./app.py:1:1: REQ101 'magic' (python-magic) needs the system library libmagic, which pip "
    "does not install: apt-get install libmagic1"
)
SLIM = "FROM python:3.12-slim\n"

SILENT = [
    pytest.param(
        {"Dockerfile": SLIM + "RUN apt-get update && apt-get install -y libmagic1\n"},
        (),
        id="Dockerfile installs it",
    ),
    pytest.param(
        {"Dockerfile": SLIM + "RUN apt-get install -y \\\n    libmagic-dev \\\n    curl\n"},
        (),
        id="-dev variant over a continuation",
    ),
    pytest.param(
        {"Dockerfile": "FROM python:3.12-alpine\nRUN apk add --no-cache libmagic\n"},
        (),
        id="alpine",
    ),
    pytest.param({"Dockerfile": "FROM fedora:40\nRUN dnf install -y file-libs\n"}, (), id="fedora"),
    pytest.param({"Aptfile": "libmagic1\n"}, (), id="Aptfile"),
    pytest.param(
        {"deploy/apt.txt": "# system\nlibmagic1\n"},
        ("--reqs-system-file=deploy/apt.txt",),
        id="--reqs-system-file",
    ),
    pytest.param({}, ("--reqs-system-ok=python-magic",), id="--reqs-system-ok"),
    pytest.param(
        {"setup.cfg": "[flake8]\nreqs-system-ok = Python_Magic\n"},
        (),
        id="reqs-system-ok from config, any spelling",
    ),
    pytest.param(
        {"tests/test_app.py": "import magic\n", "app.py": ""}, (), id="dev paths are not shipped"
    ),
]


@pytest.mark.parametrize(("files", "args"), SILENT)
def test_req101_silent(tmp_path, run_flake8, files, args):
    base = {"requirements.txt": "python-magic\n", "app.py": "import magic\n"}
    project = make_project(tmp_path, {**base, **files})
    result = run_flake8(project, "--select=REQ1", *args)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


FIRING = [
    pytest.param({}, (), [MAGIC_ALL], id="no system file: every family"),
    pytest.param(
        {"Dockerfile": SLIM + "RUN apt-get install -y curl\n"},
        (),
        [MAGIC_APT],
        id="Debian image: only apt",
    ),
    pytest.param(
        {
            "Dockerfile": SLIM + "RUN apt-get install -y libmagic1\n"
            "FROM python:3.12-slim\nCOPY --from=0 /app /app\n"
        },
        (),
        [MAGIC_APT],
        id="installed only in a build stage that is not shipped",
    ),
    pytest.param(
        {
            "Dockerfile": "FROM python:3.12-slim AS runtime\nRUN apt-get install -y curl\n"
            "FROM python:3.12-slim AS test\nRUN apt-get install -y libmagic1\n"
        },
        ("--reqs-docker-target=runtime",),
        [MAGIC_APT],
        id="--reqs-docker-target picks the shipped stage",
    ),
    pytest.param(
        {"requirements.txt": "flask\n"},
        (),
        [MAGIC_ALL],
        id="reported whether declared or not",
    ),
]


@pytest.mark.parametrize(("files", "args", "expected"), FIRING)
def test_req101_fires(tmp_path, run_flake8, files, args, expected):
    base = {"requirements.txt": "python-magic\n", "app.py": "import magic\n"}
    project = make_project(tmp_path, {**base, **files})
    result = run_flake8(project, "--select=REQ1", *args)
    assert (result.out, result.exit_code) == (expected, 1)


@pytest.mark.parametrize(
    ("requirement", "fires"),
    [
        pytest.param("soundfile==0.11.0", True, id="before wheels bundled libsndfile"),
        pytest.param("soundfile==0.12.1", False, id="wheels bundle libsndfile"),
    ],
)
def test_req101_pinned_version_is_taken_into_account(tmp_path, run_flake8, requirement, fires):
    project = make_project(
        tmp_path, {"requirements.txt": requirement + "\n", "app.py": "import soundfile\n"}
    )
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code == 1) is fires


KNOWN_SAFE = ["Pillow", "lxml", "numpy", "psycopg2-binary", "opencv-python-headless"]


@pytest.mark.parametrize("distribution", KNOWN_SAFE)
def test_wheels_that_bundle_their_libraries_are_silent(tmp_path, run_flake8, distribution):
    imports = {
        "Pillow": "PIL",
        "lxml": "lxml",
        "numpy": "numpy",
        "psycopg2-binary": "psycopg2",
        "opencv-python-headless": "cv2",
    }
    project = make_project(
        tmp_path,
        {"requirements.txt": distribution + "\n", "app.py": f"import {imports[distribution]}\n"},
    )
    result = run_flake8(project, "--select=REQ")
    assert (result.exit_code, result.out) == (0, [])


PSYCOPG = (
    "./app.py:1:1: REQ101 'psycopg' (psycopg) needs the system library libpq, which pip does "
    "not install: apt-get install libpq5 | apk add libpq | dnf install libpq; or declare "
    "'psycopg[binary]' instead"
)
MYLIB_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "1"
source = {{ virtual = "." }}
dependencies = [{{ name = "mylib" }}, {{ name = "psycopg" }}]

[[package]]
name = "mylib"
version = "1.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "{}" }}]

[[package]]
name = "{}"
version = "3.2.1"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "psycopg"
version = "3.2.1"
source = {{ registry = "https://pypi.org/simple" }}
"""


def _uv_project(pulled):
    return {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\n"
        "dependencies = ['mylib', 'psycopg']\n",
        "uv.lock": MYLIB_LOCK.format(pulled, pulled),
    }


# What production installs may bring the library itself: the extra the message advises,
# or the distribution that extra installs, declared on its own line or locked.
BUNDLED = [
    pytest.param({"requirements.txt": "psycopg[binary]\n"}, [], id="the extra"),
    pytest.param({"requirements.txt": "psycopg[pool,binary]>=3\n"}, [], id="among extras"),
    pytest.param(
        {"requirements.txt": "psycopg==3.2.1\nPsycopg_Binary==3.2.1\n"},
        [],
        id="psycopg-binary on a line of its own, any spelling",
    ),
    pytest.param(_uv_project("psycopg-binary"), [], id="psycopg-binary locked"),
    pytest.param(
        {"requirements.txt": "pyvips[binary]\n", "app.py": "import pyvips\n"}, [], id="pyvips"
    ),
    pytest.param({"requirements.txt": "psycopg[pool]\n"}, [PSYCOPG], id="another extra"),
    pytest.param(
        {"requirements.txt": "psycopg\n", "requirements-dev.txt": "psycopg-binary\n"},
        [PSYCOPG],
        id="psycopg-binary in a set that does not ship",
    ),
    pytest.param(
        {"requirements.txt": "psycopg\npsycopg-binary; sys_platform == 'win32'\n"},
        [PSYCOPG],
        id="psycopg-binary whose marker is false on the target",
    ),
    pytest.param(_uv_project("psycopg-pool"), [PSYCOPG], id="something else locked"),
]


@pytest.mark.parametrize(("files", "expected"), BUNDLED)
def test_req101_met_by_what_production_installs(tmp_path, run_flake8, files, expected):
    project = make_project(tmp_path, {"app.py": "import psycopg\n", **files})
    result = run_flake8(project, "--select=REQ1")
    assert (result.out, result.err, result.exit_code) == (expected, [], 1 if expected else 0)


def test_broken_dockerfile_is_a_note_and_the_check_goes_on(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "python-magic\n",
            "app.py": "import magic\n",
            "Dockerfile": SLIM + "RUN apt-get install -y \\\n",
        },
    )
    result = run_flake8(project, "--select=REQ1")
    assert result.out == [MAGIC_APT]
    assert len(result.err) == 1
    assert result.err[0].startswith("flake8-reqs: Dockerfile:2: ")


# ARG and ENV expansion, all of a need, and the standard library judged by the base image.
# Each case is a whole project; the silent table mirrors the firing one.
CV2 = {"requirements.txt": "opencv-python\n", "app.py": "import cv2\n"}
TK = {"requirements.txt": "flask\n", "app.py": "import flask\nimport tkinter\n"}
EXPANSION_SILENT = [
    pytest.param(
        {
            "Dockerfile": SLIM + 'ARG RUNTIME_PACKAGES="libmagic1 tesseract-ocr"\n'
            "RUN apt-get install -y ${RUNTIME_PACKAGES}\n"
        },
        id="ARG default expanded: both packages installed",
    ),
    pytest.param(
        {"Dockerfile": SLIM + "ENV LIBS=libmagic1\nRUN apt-get install -y $LIBS\n"},
        id="ENV expanded",
    ),
    pytest.param(
        {"Dockerfile": SLIM + "ARG EXTRA\nRUN apt-get install -y ${EXTRA:-libmagic1}\n"},
        id="${VAR:-default} without --build-arg",
    ),
    pytest.param(
        {**CV2, "Dockerfile": SLIM + "RUN apt-get install -y libgl1 libglib2.0-0t64\n"},
        id="all of a need, one of a | b",
    ),
    pytest.param(
        {**TK, "Dockerfile": "FROM python:3.12\n"}, id="tkinter: the full image keeps Tk"
    ),
    pytest.param(
        {**TK, "Dockerfile": SLIM + "RUN apt-get install -y tk\n"},
        id="tkinter: installed on slim",
    ),
    pytest.param(TK, id="tkinter: no Dockerfile, the image is not known"),
    pytest.param(
        {**TK, "Dockerfile": "FROM debian:bookworm-slim\n"},
        id="tkinter: not an official Python image, Python built elsewhere",
    ),
    pytest.param(
        {**TK, "app.py": "import flask\n", "tests/test_ui.py": "import tkinter\n",
         "Dockerfile": SLIM},
        id="tkinter: only in a dev path",
    ),
]  # fmt: skip


def test_req101_a_literal_package_beside_a_variable_without_value_counts(tmp_path, run_flake8):
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "python-magic\n",
            "app.py": "import magic\n",
            "Dockerfile": SLIM + "ARG EXTRA\nRUN apt-get install -y libmagic1 $EXTRA\n",
        },
    )
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code, result.out) == (0, [])
    assert result.err == [
        "flake8-reqs: Dockerfile:3: cannot expand $EXTRA: ARG EXTRA has no default value; "
        "what it would install is not counted"
    ]


@pytest.mark.parametrize("files", EXPANSION_SILENT)
def test_req101_second_pass_silent(tmp_path, run_flake8, files):
    base = {"requirements.txt": "python-magic\n", "app.py": "import magic\n"}
    project = make_project(tmp_path, {**base, **files})
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


CV2_GLIB = (
    "./app.py:1:1: REQ101 'cv2' (opencv-python) needs the system library libGL (and GLib), "
    "which pip does not install: apt-get install libglib2.0-0; "
    "or declare 'opencv-python-headless' instead"
)
TKINTER = (
    "./app.py:2:1: REQ101 'tkinter' (standard library) needs the system library Tk "
    "(libtk8.6), which pip does not install: {}; the {} image leaves it out"
)
EXPANSION_FIRING = [
    pytest.param(
        {"Dockerfile": SLIM + "ARG RUNTIME_PACKAGES\nRUN apt-get install -y ${RUNTIME_PACKAGES}\n"},
        [MAGIC_APT],
        ["flake8-reqs: Dockerfile:3: cannot expand $RUNTIME_PACKAGES: ARG RUNTIME_PACKAGES has "
         "no default value; what it would install is not counted"],
        id="ARG without a default: said once, its words count for nothing",
    ),
    pytest.param(
        {"Dockerfile": "ARG LIBS=libmagic1\n" + SLIM + "RUN apt-get install -y $LIBS curl\n"},
        [MAGIC_APT],
        ["flake8-reqs: Dockerfile:3: cannot expand $LIBS: ARG LIBS is declared before FROM "
         "but not again in this stage; what it would install is not counted"],
        id="ARG before FROM, not declared again",
    ),
    pytest.param(
        {**CV2, "Dockerfile": SLIM + "RUN apt-get install -y libgl1\n"},
        [CV2_GLIB],
        [],
        id="half of a need: the half it lacks",
    ),
    pytest.param(
        {**TK, "Dockerfile": SLIM},
        [TKINTER.format("apt-get install libtk8.6", "python:3.12-slim")],
        [],
        id="tkinter on python:3.12-slim",
    ),
    pytest.param(
        {**TK, "Dockerfile": "ARG V=3.11\nFROM python:${V}-alpine\n"},
        [TKINTER.format("apk add tk", "python:3.11-alpine")],
        [],
        id="tkinter on python:*-alpine, its version from an ARG",
    ),
    pytest.param(
        {**TK, "app.py": "import flask\nfrom turtle import Turtle\n", "Dockerfile": SLIM},
        [TKINTER.format("apt-get install libtk8.6", "python:3.12-slim")
         .replace("'tkinter'", "'turtle'")],
        [],
        id="turtle imports tkinter",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("files", "out", "err"), EXPANSION_FIRING)
def test_req101_second_pass_fires(tmp_path, run_flake8, files, out, err):
    base = {"requirements.txt": "python-magic\n", "app.py": "import magic\n"}
    project = make_project(tmp_path, {**base, **files})
    result = run_flake8(project, "--select=REQ1")
    assert (result.exit_code, result.out, result.err) == (1, out, err)


def test_req101_stdlib_need_silenced_by_reqs_system_ok(tmp_path, run_flake8):
    project = make_project(tmp_path, {**TK, "Dockerfile": SLIM})
    result = run_flake8(project, "--select=REQ1", "--reqs-system-ok=tkinter")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


SOUNDFILE_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "soundfile"
version = "{}"
source = {{ registry = "https://pypi.org/simple" }}
"""


@pytest.mark.parametrize(
    ("locked", "expected"),
    [
        pytest.param(
            "0.11.0",
            [
                "./app.py:1:1: REQ101 'soundfile' (soundfile) needs the system library "
                "libsndfile, which pip does not install: apt-get install libsndfile1"
            ],
            id="locked before wheels bundled libsndfile",
        ),
        pytest.param("0.12.1", [], id="locked since wheels bundle libsndfile"),
    ],
)
def test_req101_the_locked_version_picks_the_range(tmp_path, run_flake8, locked, expected):
    files = {
        "pyproject.toml": "[project]\nname = 'x'\nversion = '1'\ndependencies = ['soundfile']\n",
        "uv.lock": SOUNDFILE_LOCK.format(locked),
        "Dockerfile": "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n",
        "app.py": "import soundfile\n",
    }
    result = run_flake8(make_project(tmp_path, files), "--select=REQ1")
    assert (result.out, result.err) == (expected, [])
