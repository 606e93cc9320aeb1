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
