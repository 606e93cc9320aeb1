"""check_system: REQ101-REQ104 messages, and when they stay silent."""

from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from flake8_reqs.checks.system import check_stdlib_system, check_system, install_commands
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.problems import Problem
from flake8_reqs.system.files import SystemPackages, read_system_file
from flake8_reqs.system.native import NativeNeed, find_stdlib_needs

NONE = frozenset()


def system(family, *packages):
    """A Dockerfile's image of ``family`` with ``packages``: it shows where wheels are built."""
    return SystemPackages(family, frozenset(packages), sees_builds=True)


def built(*packages):
    """A Debian image whose builder stage has ``packages`` (the last one shipped too)."""
    return SystemPackages(
        "debian",
        frozenset(packages[-1:]),
        build_packages=frozenset(packages[:-1]),
        sees_builds=True,
    )


def check(module, distribution, version=None, system_=None, system_ok=NONE):
    ref = ImportRef(module, 3, 4)
    return check_system(
        ref,
        canonicalize_name(distribution),
        Version(version) if version else None,
        system_,
        frozenset(canonicalize_name(name) for name in system_ok),
    )


MAGIC_ALL = "apt-get install libmagic1 | apk add libmagic | dnf install file-libs"
FIRING = [
    pytest.param(
        "magic", "python-magic", None, None,
        "REQ101 'magic' (python-magic) needs the system library libmagic, which pip does not "
        f"install: {MAGIC_ALL}",
        id="REQ101 without a system file: apt, apk, dnf",
    ),
    pytest.param(
        "magic", "python-magic", None, system(None, "curl"),
        "REQ101 'magic' (python-magic) needs the system library libmagic, which pip does not "
        f"install: {MAGIC_ALL}",
        id="REQ101 system file of unknown family",
    ),
    pytest.param(
        "magic.compat", "python-magic", "0.4.27", system("alpine", "curl"),
        "REQ101 'magic.compat' (python-magic) needs the system library libmagic, which pip "
        "does not install: apk add libmagic",
        id="REQ101 alpine image: the dotted module and only apk",
    ),
    pytest.param(
        "magic", "python-magic", None, system("fedora"),
        "REQ101 'magic' (python-magic) needs the system library libmagic, which pip does not "
        "install: dnf install file-libs",
        id="REQ101 fedora image",
    ),
    pytest.param(
        "cv2", "opencv-python", None, None,
        "REQ101 'cv2' (opencv-python) needs the system library libGL (and GLib), which pip "
        "does not install: apt-get install libgl1 libglib2.0-0 | apk add mesa-gl glib | "
        "dnf install mesa-libGL glib2; or declare 'opencv-python-headless' instead",
        id="REQ101 with an alternative; first of 'a | b' alternatives",
    ),
    pytest.param(
        "soundfile", "soundfile", "0.11.0", system("debian"),
        "REQ101 'soundfile' (soundfile) needs the system library libsndfile, which pip does "
        "not install: apt-get install libsndfile1",
        id="REQ101 from a version range",
    ),
    pytest.param(
        "pytesseract", "pytesseract", None, None,
        "REQ102 'pytesseract' (pytesseract) runs the program 'tesseract': apt-get install "
        "tesseract-ocr | apk add tesseract-ocr | dnf install tesseract",
        id="REQ102",
    ),
    pytest.param(
        "pytesseract", "pytesseract", None, system("debian", "libtesseract5"),
        "REQ102 'pytesseract' (pytesseract) runs the program 'tesseract': apt-get install "
        "tesseract-ocr",
        id="REQ102 debian image without the program",
    ),
    pytest.param(
        "ocrmypdf", "ocrmypdf", None, system("alpine"),
        "REQ102 'ocrmypdf' (ocrmypdf) runs the programs 'tesseract' and 'gs': apk add "
        "tesseract-ocr ghostscript",
        id="REQ102 two programs",
    ),
    pytest.param(
        "pdfkit", "pdfkit", None, system("alpine"),
        "REQ102 'pdfkit' (pdfkit) runs the program 'wkhtmltopdf': apt-get install wkhtmltopdf",
        id="REQ102 family without a package: the others are shown",
    ),
    pytest.param(
        "pyspark.sql", "pyspark", None, None,
        "REQ103 'pyspark.sql' (pyspark) needs a Java runtime, which pip does not install: "
        "apt-get install default-jre-headless | apk add openjdk21-jre-headless | "
        "dnf install java-21-openjdk-headless",
        id="REQ103",
    ),
    pytest.param(
        "pyspark", "pyspark", None, system("debian", "curl"),
        "REQ103 'pyspark' (pyspark) needs a Java runtime, which pip does not install: "
        "apt-get install default-jre-headless",
        id="REQ103 debian image without Java",
    ),
    pytest.param(
        "playwright.sync_api", "playwright", None, None,
        "REQ103 'playwright.sync_api' (playwright) needs the browsers Playwright drives, "
        "which pip does not install: playwright install --with-deps chromium",
        id="REQ103 setup command instead of packages",
    ),
    pytest.param(
        "psycopg2", "psycopg2", None, None,
        "REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles from source: needs "
        "a C compiler and the libpq headers: apt-get install build-essential libpq-dev | "
        "apk add build-base libpq-dev | dnf install gcc libpq-devel; "
        "or declare 'psycopg2-binary' instead",
        id="REQ104",
    ),
    pytest.param(
        "psycopg2.extras", "psycopg2", "2.9.9", system("alpine", "build-base"),
        "REQ104 'psycopg2.extras' (psycopg2) has no wheel for Linux and compiles from source: "
        "needs a C compiler and the libpq headers: apk add libpq-dev; "
        "or declare 'psycopg2-binary' instead",
        id="REQ104 alpine image with a compiler only: only what it lacks",
    ),
    pytest.param(
        "psycopg2", "psycopg2", None, system("debian", "libpq5"),
        "REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles from source: needs "
        "a C compiler and the libpq headers: apt-get install build-essential libpq-dev; "
        "or declare 'psycopg2-binary' instead",
        id="REQ104 the run-time library, nothing to build with (silent before)",
    ),
    pytest.param(
        "psycopg2", "psycopg2", None, built("libpq-dev", "gcc"),
        "REQ104 'psycopg2' (psycopg2) has no wheel for Linux and compiles from source: needs "
        "a C compiler and the libpq headers: the image has them to build it, but the shipped "
        "stage lacks its run-time library: apt-get install libpq5; "
        "or declare 'psycopg2-binary' instead",
        id="REQ104 built in a builder stage, the shipped one lacks the library",
    ),
    pytest.param(
        "cv2", "opencv-python", None, system("debian", "libgl1"),
        "REQ101 'cv2' (opencv-python) needs the system library libGL (and GLib), which pip "
        "does not install: apt-get install libglib2.0-0; "
        "or declare 'opencv-python-headless' instead",
        id="REQ101 half of a need: the half it lacks",
    ),
    pytest.param(
        "MySQLdb", "mysqlclient", None, system("debian"),
        "REQ104 'MySQLdb' (mysqlclient) has no wheel for Linux and compiles from source: "
        "needs a C compiler and the MySQL/MariaDB client headers: apt-get install "
        "build-essential pkg-config default-libmysqlclient-dev; or declare 'PyMySQL' instead",
        id="REQ104 mysqlclient",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("module", "distribution", "version", "system_", "message"), FIRING)
def test_firing(module, distribution, version, system_, message):
    problem = check(module, distribution, version, system_)
    assert problem is not None
    assert (problem.line, problem.col, problem.message) == (3, 4, message)


SILENT = [
    pytest.param("requests", "requests", None, None, NONE, id="needs nothing"),
    pytest.param("PIL", "Pillow", None, None, NONE, id="known safe"),
    pytest.param("cv2", "opencv-python-headless", None, None, NONE, id="headless opencv"),
    pytest.param("soundfile", "soundfile", None, None, NONE, id="current soundfile bundles"),
    pytest.param("soundfile", "soundfile", "0.12.1", None, NONE, id="soundfile 0.12 bundles"),
    pytest.param("kaleido", "kaleido", "0.2.1", None, NONE, id="kaleido 0 bundles Chromium"),
    pytest.param(
        "magic", "python-magic", None, None, {"python-magic"}, id="in --reqs-system-ok"
    ),
    pytest.param(
        "magic", "python-magic", None, system("debian", "libmagic1"), NONE,
        id="system file installs it",
    ),
    pytest.param(
        "magic", "python-magic", None, system("debian", "libmagic-dev"), NONE,
        id="system file installs its -dev package",
    ),
    pytest.param(
        "magic", "python-magic", None, system(None, "file-libs"), NONE,
        id="unknown family: any family's name counts",
    ),
    pytest.param(
        "psycopg2", "psycopg2", None, built("build-essential", "libpq-dev", "libpq5"), NONE,
        id="build need: built in a builder stage, the run-time library shipped",
    ),
    pytest.param(
        "psycopg2", "psycopg2", None, system("debian", "gcc", "libpq-dev"), NONE,
        id="build need: built and shipped in one stage",
    ),
    pytest.param(
        "cv2", "opencv-python", None, system("debian", "libgl1", "libglib2.0-0t64"), NONE,
        id="all of a need, one of its alternatives",
    ),
    pytest.param(
        "pyspark", "pyspark", None, system("debian", "openjdk-17-jdk"), NONE,
        id="a JDK provides the Java runtime",
    ),
    pytest.param(
        "pytesseract", "pytesseract", None, system("alpine", "tesseract-ocr"), NONE,
        id="program installed on alpine",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("module", "distribution", "version", "system_", "system_ok"), SILENT)
def test_silent(module, distribution, version, system_, system_ok):
    assert check(module, distribution, version, system_, system_ok) is None


def test_satisfied_by_a_dockerfile(tmp_path):
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12-slim AS build\n"
        "RUN apt-get install -y build-essential libpq-dev\n"
        "FROM python:3.12-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
        "    libmagic1 libpq5 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "COPY --from=build /wheels /wheels\n",
        encoding="utf-8",
    )
    image = read_system_file(tmp_path / "Dockerfile", "Dockerfile")
    assert check("magic", "python-magic", None, image) is None
    assert check("psycopg2", "psycopg2", None, image) is None
    assert check("pytesseract", "pytesseract", None, image) == Problem(
        3,
        4,
        "REQ102",
        {
            "module": "pytesseract",
            "distribution": "pytesseract",
            "needs": "tesseract",
            "programs": "program 'tesseract'",
            "commands": "apt-get install tesseract-ocr",
            "hint": "",
        },
    )


def test_brew_only_when_no_linux_family_has_packages():
    name = canonicalize_name("x")
    brew_only = NativeNeed(name, "library", "libx", {"brew": ("x",)}, {}, None, "test")
    linux_too = NativeNeed(
        name, "library", "libx", {"debian": ("libx1",), "brew": ("x",)}, {}, None, "test"
    )
    assert install_commands(brew_only, None) == "brew install x"
    assert install_commands(linux_too, None) == "apt-get install libx1"


TKINTER = find_stdlib_needs()["tkinter"]


def slim(*packages):
    return SystemPackages(
        "debian",
        frozenset(packages),
        base="python:3.12-slim",
        base_packages=frozenset({"ca-certificates", "netbase", "tzdata"}),
    )


def test_stdlib_module_the_image_leaves_out():
    problem = check_stdlib_system(
        ImportRef("tkinter.ttk", 2, 0), {"tkinter": TKINTER}, slim(), NONE
    )
    assert problem is not None
    assert problem.message == (
        "REQ101 'tkinter.ttk' (standard library) needs the system library Tk (libtk8.6), which "
        "pip does not install: apt-get install libtk8.6; the python:3.12-slim image leaves it out"
    )


@pytest.mark.parametrize(
    ("module", "needs", "system_", "system_ok"),
    [
        pytest.param("tkinter", {}, slim(), NONE, id="the image keeps it (needs judged empty)"),
        pytest.param("sqlite3", {"tkinter": TKINTER}, slim(), NONE, id="another module"),
        pytest.param("tkinter", {"tkinter": TKINTER}, slim("tk"), NONE, id="installed"),
        pytest.param(
            "tkinter", {"tkinter": TKINTER}, slim(), {"tkinter"}, id="in --reqs-system-ok"
        ),
    ],
)
def test_stdlib_module_silent(module, needs, system_, system_ok):
    ok = frozenset(canonicalize_name(name) for name in system_ok)
    assert check_stdlib_system(ImportRef(module, 1, 0), needs, system_, ok) is None
