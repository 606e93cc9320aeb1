"""REQ001 undeclared-import: a third-party import that no runtime requirement provides."""

from __future__ import annotations

import pytest

from tests.conftest import make_project, without_target

MESSAGE = "REQ001 '{}' is imported but not declared as a runtime requirement (requirements.txt)"

SILENT = [
    pytest.param({"app.py": "import os\nimport os.path\n"}, (), id="stdlib"),
    pytest.param({"app.py": "from . import views\nfrom .models import X\n"}, (), id="relative"),
    pytest.param({"app.py": "from __future__ import annotations\n"}, (), id="__future__"),
    pytest.param({"app.py": "import requests\n"}, (), id="declared under its own name"),
    pytest.param(
        {"app.py": "import magic\n", "requirements.txt": "python-magic==0.4.27\n"},
        (),
        id="declared under a different name (bundled map)",
    ),
    pytest.param(
        {"app.py": "from PIL import Image\n", "requirements.txt": "Pillow>=10\n"},
        (),
        id="declared with another case",
    ),
    pytest.param(
        {
            "app.py": "from google.cloud import storage, bigquery\n",
            "requirements.txt": "google-cloud-storage\ngoogle-cloud-bigquery\n",
        },
        (),
        id="names from a namespace package, each declared",
    ),
    pytest.param(
        {"app.py": "from flask import Flask, request\n", "requirements.txt": "flask\n"},
        (),
        id="names that are attributes of a declared module",
    ),
    pytest.param(
        {"app.py": "import dateutil.parser\n", "requirements.txt": "python-dateutil\n"},
        (),
        id="dotted import of a declared distribution",
    ),
    pytest.param(
        {"app.py": "import acme_helpers\n", "requirements.txt": "python-acme-helpers\n"},
        (),
        id="name guess without the python- prefix",
    ),
    *(
        pytest.param(
            {"app.py": f"import {module}\n", "requirements.txt": f"{dist}\n"},
            (),
            id=f"{dist} provides {module} ({how})",
        )
        for dist, module, how in [
            ("scikit-fuzzy", "skfuzzy", "index of PyPI import names"),
            ("fusepy", "fuse", "native.toml, one truth with the resolver"),
            ("M2Crypto", "M2Crypto", "guess, whatever the case"),
            ("PyQt5", "PyQt5.QtCore", "guess, whatever the case"),
            ("acme-sdk-python", "acme_sdk", "guess without -python"),
            ("discord.py", "discord", "guess without -py"),
            ("python3-openid", "openid", "guess without python3-"),
        ]
    ),
    pytest.param(
        {"app.py": "import mypkg.sub\n", "mypkg/__init__.py": "", "mypkg/sub.py": ""},
        (),
        id="first-party package in the root",
    ),
    pytest.param(
        {"app.py": "import mylib\n", "src/mylib/__init__.py": ""},
        (),
        id="first-party package in src/",
    ),
    pytest.param(
        {"scripts/run.py": "import helper\n", "scripts/helper.py": ""},
        (),
        id="sibling module of a script outside any package",
    ),
    pytest.param(
        {"app.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import magic\n"},
        (),
        id="TYPE_CHECKING block",
    ),
    pytest.param(
        {"app.py": "import typing\nif typing.TYPE_CHECKING:\n    import magic\n"},
        (),
        id="typing.TYPE_CHECKING block",
    ),
    pytest.param(
        {"app.py": "import typing as t\nif t.TYPE_CHECKING:\n    import magic\n"},
        (),
        id="TYPE_CHECKING of typing imported as t",
    ),
    pytest.param(
        {"app.py": "from typing import TYPE_CHECKING as TC\nif TC:\n    import magic\n"},
        (),
        id="TYPE_CHECKING imported as TC",
    ),
    pytest.param(
        {
            "app.py": "import typing_extensions as te\nif te.TYPE_CHECKING:\n    import magic\n",
            "requirements.txt": "typing-extensions\n",
        },
        (),
        id="TYPE_CHECKING of typing_extensions imported as te",
    ),
    pytest.param(
        {"app.py": "import sys\nif sys.version_info < (3, 11):\n    import tomli\n"},
        ("--reqs-python-version=3.12",),
        id="version guard never taken on the target",
    ),
    pytest.param(
        {"app.py": "import sys\nif sys.platform == 'win32':\n    import winreg_extra\n"},
        (),
        id="platform guard never taken on linux",
    ),
    pytest.param(
        {"app.py": "import acme\n", "requirements.txt": "acme-sdk\n"},
        ("--reqs-module-map=acme-sdk=acme,acme_extras",),
        id="--reqs-module-map",
    ),
    pytest.param(
        {"app.py": "import generated_pb\n"},
        ("--reqs-local-modules=generated_pb,other",),
        id="--reqs-local-modules",
    ),
    pytest.param(
        {
            "app.py": "from google.cloud import storage\n",
            "requirements.txt": "google-cloud-storage\n",
        },
        (),
        id="namespace package declared",
    ),
    pytest.param(
        {"app.py": "import tomli\n", "requirements.txt": "tomli; python_version < '3.11'\n"},
        ("--reqs-python-version=3.10",),
        id="marker true on the target",
    ),
    pytest.param({"app.py": "import magic  # noqa: REQ001\n"}, (), id="noqa"),
]


@pytest.mark.parametrize(("files", "args"), SILENT)
def test_req001_silent(tmp_path, run_flake8, files, args):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


FIRING = [
    pytest.param(
        {"app.py": "import magic\n"},
        (),
        ["./app.py:1:1: " + MESSAGE.format("magic") + "; it is provided by 'python-magic'"],
        id="import name differs from the distribution",
    ),
    pytest.param(
        {"app.py": "import os\n\nfrom PIL import Image\n"},
        (),
        ["./app.py:3:1: " + MESSAGE.format("PIL") + "; it is provided by 'pillow'"],
        id="from import",
    ),
    pytest.param(
        {"app.py": "import zzz_unknown_thing.sub\n"},
        (),
        ["./app.py:1:1: " + MESSAGE.format("zzz_unknown_thing.sub")],
        id="unknown distribution: no guess in the message",
    ),
    pytest.param(
        {"app.py": "import requests, magic, yaml\n"},
        (),
        [
            "./app.py:1:1: " + MESSAGE.format("magic") + "; it is provided by 'python-magic'",
            "./app.py:1:1: " + MESSAGE.format("yaml") + "; it is provided by 'pyyaml'",
        ],
        id="every name of one statement",
    ),
    pytest.param(
        {
            "app.py": "def load():\n"
            "    import importlib\n"
            "    return importlib.import_module('yaml')\n"
        },
        (),
        ["./app.py:3:12: " + MESSAGE.format("yaml") + "; it is provided by 'pyyaml'"],
        id="importlib.import_module with a literal",
    ),
    pytest.param(
        {"app.py": "jwt = __import__('jwt')\n"},
        (),
        ["./app.py:1:7: " + MESSAGE.format("jwt") + "; it is provided by 'pyjwt'"],
        id="__import__ with a literal",
    ),
    pytest.param(
        {
            "saleor/__init__.py": "",
            "saleor/core/__init__.py": "",
            "saleor/core/jwt.py": "",
            "saleor/core/auth.py": "import jwt\n",
        },
        (),
        ["./saleor/core/auth.py:1:1: " + MESSAGE.format("jwt") + "; it is provided by 'pyjwt'"],
        id="a sibling inside a package does not hide an absolute import",
    ),
    pytest.param(
        {
            "app.py": "from google.cloud import storage, bigquery\n",
            "requirements.txt": "google-cloud-storage\n",
        },
        (),
        [
            "./app.py:1:1: "
            + MESSAGE.format("google.cloud.bigquery")
            + "; it is provided by 'google-cloud-bigquery'"
        ],
        id="each name from a namespace package is its own distribution's",
    ),
    pytest.param(
        {"app.py": "from yaml import load, dump\n"},
        (),
        ["./app.py:1:1: " + MESSAGE.format("yaml") + "; it is provided by 'pyyaml'"],
        id="names from one undeclared module are one problem",
    ),
    pytest.param(
        {"app.py": "import google.protobuf\n", "requirements.txt": "google-cloud-storage\n"},
        (),
        ["./app.py:1:1: " + MESSAGE.format("google.protobuf") + "; it is provided by 'protobuf'"],
        id="one namespace distribution does not cover another",
    ),
    pytest.param(
        {"app.py": "import sys\nif sys.version_info >= (3, 11):\n    import magic\n"},
        ("--reqs-python-version=3.12",),
        ["./app.py:3:5: " + MESSAGE.format("magic") + "; it is provided by 'python-magic'"],
        id="version guard taken on the target",
    ),
    pytest.param(
        {"app.py": "import os\nif os.environ.get('X'):\n    import magic\n"},
        (),
        ["./app.py:3:5: " + MESSAGE.format("magic") + "; it is provided by 'python-magic'"],
        id="a guard that depends on run time is checked",
    ),
    pytest.param(
        {"tests/test_app.py": "import zzz_unknown_thing\n"},
        (),
        [
            "./tests/test_app.py:1:1: REQ001 'zzz_unknown_thing' is imported but not declared "
            "in any requirement set (requirements.txt)"
        ],
        id="dev paths still need the import declared somewhere",
    ),
]


DEV_FILES = [
    pytest.param("requirements-dev.txt", id="requirements-dev.txt"),
    pytest.param("requirements-test.txt", id="requirements-test.txt"),
    pytest.param("dev-requirements.txt", id="dev-requirements.txt"),
    pytest.param("test-requirements.txt", id="test-requirements.txt"),
    pytest.param("requirements/dev.txt", id="requirements/dev.txt"),
    pytest.param("requirements/development.txt", id="requirements/development.txt"),
    pytest.param("requirements/tests.txt", id="requirements/test*.txt"),
    pytest.param("requirements/local.txt", id="requirements/local.txt (cookiecutter-django)"),
]


@pytest.mark.parametrize("dev_file", DEV_FILES)
@pytest.mark.parametrize(
    "args",
    [pytest.param((), id="found"), pytest.param(("--reqs-file=requirements.txt",), id="named")],
)
def test_dev_files_beside_the_runtime_source_are_found_without_being_named(
    tmp_path, run_flake8, dev_file, args
):
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            dev_file: "pytest\nfactory-boy\n",
            "tests/test_app.py": "import pytest\nimport factory\n",
            "app.py": "import flask\nimport factory\n",
        },
    )
    result = run_flake8(project, "--select=REQ0", *args)
    assert result.out == [
        "./app.py:2:1: REQ002 'factory' is provided by 'factory-boy', declared only in "
        f"{dev_file}, not as a runtime requirement"
    ]


def test_a_dev_file_added_later_is_read_on_the_next_run(tmp_path, run_flake8):
    project = make_project(
        tmp_path, {"requirements.txt": "flask\n", "tests/test_app.py": "import pytest\n"}
    )
    first = run_flake8(project, "--select=REQ0")
    assert first.out == [
        "./tests/test_app.py:1:1: REQ001 'pytest' is imported but not declared in any "
        "requirement set (requirements.txt); it is provided by 'pytest'"
    ]
    (project / "requirements-dev.txt").write_text("pytest\n", encoding="utf-8")
    assert run_flake8(project, "--select=REQ0").out == []


@pytest.mark.parametrize(("files", "args", "expected"), FIRING)
def test_req001_fires(tmp_path, run_flake8, files, args, expected):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])


TENSORFLOW = "flask\ntensorflow==2.15; python_version < '3.11'\n"
EXCLUDED_BY_MARKER = [
    pytest.param(
        {"requirements.txt": TENSORFLOW, "app.py": "import tensorflow\n"},
        ("--reqs-python-version=3.12",),
        "'tensorflow' is declared in requirements.txt:2 only where python_version < \"3.11\"; "
        "the target is Python 3.12",
        id="a python_version marker",
    ),
    pytest.param(
        {
            "requirements.txt": TENSORFLOW,
            "app.py": "import tensorflow\n",
            "Dockerfile": "FROM python:3.12-slim\n",
        },
        (),
        "'tensorflow' is declared in requirements.txt:2 only where python_version < \"3.11\"; "
        "the target is Python 3.12",
        id="the target from the Dockerfile",
    ),
    pytest.param(
        {"requirements.txt": "pywin32; sys_platform == 'win32'\n", "app.py": "import win32api\n"},
        (),
        "'win32api' is declared in requirements.txt:1 only where sys_platform == \"win32\"; "
        "the target is linux",
        id="a platform marker, the version unknown",
    ),
    pytest.param(
        {"requirements.txt": "pywin32; sys_platform == 'win32'\n", "app.py": "import win32api\n"},
        ("--reqs-python-version=3.12",),
        "'win32api' is declared in requirements.txt:1 only where sys_platform == \"win32\"; "
        "the target is Python 3.12 on linux",
        id="a platform marker, the version known",
    ),
    pytest.param(
        {
            "requirements.txt": (
                "tensorflow @ https://example.com/tf.zip;v=1 ; python_version < '3.11'\n"
            ),
            "app.py": "import tensorflow\n",
        },
        ("--reqs-python-version=3.12",),
        "'tensorflow' is declared in requirements.txt:1 only where python_version < \"3.11\"; "
        "the target is Python 3.12",
        id="a URL with a ';' and a marker",
    ),
]


@pytest.mark.parametrize(("files", "args", "message"), EXCLUDED_BY_MARKER)
def test_req001_says_a_marker_excludes_the_requirement(tmp_path, run_flake8, files, args, message):
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == (
        [f"./app.py:1:1: REQ001 {message}"],
        1,
        [],
    )


INCLUDED_BY_MARKER = [
    pytest.param(
        {"requirements.txt": TENSORFLOW, "app.py": "import tensorflow\n"},
        ("--reqs-python-version=3.10",),
        id="the marker holds on the target",
    ),
    pytest.param(
        {"requirements.txt": TENSORFLOW, "app.py": "import tensorflow\n"},
        (),
        id="the target's version unknown: a python_version marker counts",
    ),
    pytest.param(
        {"requirements.txt": "pywin32; sys_platform == 'win32'\n", "app.py": "import win32api\n"},
        ("--reqs-platform=win32",),
        id="a platform marker that holds on the target",
    ),
    pytest.param(
        {
            "requirements.txt": "pywin32; sys_platform == 'win32'\n",
            "app.py": "import win32api\n",
            "Dockerfile": "FROM python:3.12-windowsservercore\n",
        },
        (),
        id="the platform from a Windows image",
    ),
    pytest.param(
        {
            "requirements.txt": "tensorflow @ https://example.com/tf.zip;v=1\n",
            "app.py": "import tensorflow\n",
        },
        ("--reqs-python-version=3.12",),
        id="a URL with a ';' and no marker",
    ),
    pytest.param(
        {
            "requirements.txt": "tensorflow[gpu]; python_version >= '3.9'\nflask\n",
            "app.py": "import tensorflow\n",
        },
        ("--reqs-python-version=3.12",),
        id="extras and a marker that holds",
    ),
]


@pytest.mark.parametrize(("files", "args"), INCLUDED_BY_MARKER)
def test_req001_silent_where_the_marker_holds(tmp_path, run_flake8, files, args):
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


VERSION_GUARD = (
    "import sys\n\nif sys.version_info >= (3, 11):\n    import tomllib\n"
    "else:\n    import zz_toml_backport\n"
)
UNKNOWN_VERSION = [
    pytest.param(
        VERSION_GUARD,
        "./app.py:6:5: " + MESSAGE.format("zz_toml_backport") + "; it is imported only on "
        "Python before 3.11, and the target Python is unknown: name it with "
        "--reqs-python-version",
        id="the else of a >= (3, 11) guard",
    ),
    pytest.param(
        "import sys\nif sys.version_info < (3, 12):\n    import zz_old\n",
        "./app.py:3:5: " + MESSAGE.format("zz_old") + "; it is imported only on Python before "
        "3.12, and the target Python is unknown: name it with --reqs-python-version",
        id="the body of a < (3, 12) guard",
    ),
    pytest.param(
        "import sys\nif sys.version_info >= (3, 13):\n    import zz_new\n",
        "./app.py:3:5: " + MESSAGE.format("zz_new") + "; it is imported only on Python 3.13 and "
        "later, and the target Python is unknown: name it with --reqs-python-version",
        id="the body of a >= (3, 13) guard",
    ),
]


@pytest.mark.parametrize(("source", "line"), UNKNOWN_VERSION)
def test_req001_checks_every_branch_of_an_unknown_version(tmp_path, run_flake8, source, line):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": source})
    result = run_flake8(project, "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == ([line], 1, [])


KNOWN_VERSION = [
    pytest.param({"Dockerfile": "FROM python:3.12-slim\n"}, (), id="from the Dockerfile"),
    pytest.param({".python-version": "3.12\n"}, (), id="from .python-version"),
    pytest.param({}, ("--reqs-python-version=3.11",), id="from the option"),
    pytest.param(
        {"requirements.txt": "flask\nzz-toml-backport; python_version < '3.11'\n"},
        (),
        id="unknown, and the fallback declared with a marker",
    ),
]


@pytest.mark.parametrize(("files", "args"), KNOWN_VERSION)
def test_req001_checks_only_the_branch_a_known_version_takes(tmp_path, run_flake8, files, args):
    files = {"requirements.txt": "flask\n", "app.py": VERSION_GUARD, **files}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


def test_req001_names_the_installed_distribution(tmp_path, run_flake8, fake_distribution):
    fake_distribution("acme-toolkit", files=["acmetk/__init__.py", "acmetk/core.py"])
    project = make_project(tmp_path, {"requirements.txt": "", "app.py": "import acmetk.core\n"})
    result = run_flake8(project, "--select=REQ0", "--reqs-file=requirements.txt")
    assert result.out == [
        "./app.py:1:1: REQ001 'acmetk.core' is imported but not declared as a runtime "
        "requirement (requirements.txt); it is provided by 'acme-toolkit'"
    ]


def test_req001_installed_metadata_resolves_a_declared_distribution(
    tmp_path, run_flake8, fake_distribution
):
    fake_distribution("acme-toolkit", files=["acmetk/__init__.py"])
    project = make_project(
        tmp_path, {"requirements.txt": "acme-toolkit\n", "app.py": "import acmetk\n"}
    )
    result = run_flake8(project, "--select=REQ0")
    assert (result.exit_code, result.out) == (0, [])


def test_req001_installed_namespace_package_is_precise(tmp_path, run_flake8, fake_distribution):
    fake_distribution("acme-cloud-store", files=["acme/cloud/store/__init__.py"])
    fake_distribution("acme-proto", files=["acme/proto/__init__.py"])
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "acme-cloud-store\n",
            "app.py": "import acme.cloud.store, acme.proto\n",
        },
    )
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'acme.proto' is imported but not declared as a runtime "
        "requirement (requirements.txt); it is provided by 'acme-proto'"
    ]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"setup.py": "from setuptools import setup\nsetup(install_requires=['requests'])\n"},
            id="legacy setup.py: setuptools is the default build backend",
        ),
        pytest.param(
            {
                "pyproject.toml": "[build-system]\nrequires = ['hatchling']\n"
                "[project]\nname = 'x'\nversion = '1'\ndependencies = ['requests']\n",
                "setup.py": "import hatchling\n",
            },
            id="[build-system] requires",
        ),
    ],
)
def test_build_requirements_cover_setup_py(tmp_path, run_flake8, files):
    project = make_project(tmp_path, files)
    result = run_flake8(project, "--select=REQ0")
    assert (result.exit_code, result.out) == (0, [])


# Django settings, SQLAlchemy URLs: modules named by strings, through flake8 and check alike.
MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""
NAMED = "REQ001 '{}' {} but not declared as a runtime requirement (requirements.txt)"
ENGINE = "MIDDLEWARE = []\nDATABASES = {{'default': {{'ENGINE': 'django.db.backends.{}'}}}}\n"
BACKEND = "MIDDLEWARE = []\n{} = {}{{'BACKEND': '{}'}}{}\n"


def django(settings, requirements="Django==5.1\n", **files):
    """A small Django project: manage.py, config/settings.py, an app, and ``files``."""
    return {
        "requirements.txt": requirements,
        "manage.py": MANAGE.format("config.settings"),
        "config/__init__.py": "",
        "config/settings.py": settings,
        "config/urls.py": "from django.urls import path\n\nurlpatterns = []\n",
        "shop/__init__.py": "",
        "shop/models.py": "from django.db import models\n",
        **files,
    }


SETTINGS_SILENT = [
    pytest.param(
        django(
            "INSTALLED_APPS = ['django.contrib.admin', 'debug_toolbar', 'shop']\n",
            "Django\ndjango-debug-toolbar\n",
        ),
        id="every app declared or first-party",
    ),
    pytest.param(
        django(
            ENGINE.format("postgresql"),
            "Django\npsycopg2-binary\n",
        ),
        id="psycopg2-binary is the postgresql driver",
    ),
    pytest.param(
        django(
            ENGINE.format("mysql"),
            "Django\nPyMySQL\n",
        ),
        id="PyMySQL is a mysql driver (installed as MySQLdb)",
    ),
    pytest.param(
        django(ENGINE.format("sqlite3")),
        id="sqlite3 needs no driver",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = ['shop.apps.ShopConfig']\nROOT_URLCONF = 'config.urls'\n"
            "WSGI_APPLICATION = 'config.wsgi.application'\n"
        ),
        id="first-party apps, URLconf and WSGI application",
    ),
    pytest.param(
        django(
            "MIDDLEWARE = []\n"
            "LOGGING = {'handlers': {'file': {'class': 'logging.handlers.RotatingFileHandler'}}}\n"
        ),
        id="a standard-library logging handler",
    ),
    pytest.param(
        django(
            "import os\nINSTALLED_APPS = os.environ['APPS'].split(',')\n"
            "DATABASES = {'default': {'ENGINE': os.environ['DB_ENGINE']}}\n"
            "MIDDLEWARE = [os.environ['PREFIX'] + '.Middleware']\n"
        ),
        id="computed values are skipped",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\n",
            **{"shop/db.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n"},
        ),
        id="a module that is no settings module",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\ntry:\n    import debug_toolbar\n"
            "    INSTALLED_APPS += ['debug_toolbar']\nexcept ImportError:\n    pass\n"
        ),
        id="an app added under an ImportError guard",
    ),
    pytest.param(
        django("INSTALLED_APPS = ['debug_toolbar']  # noqa: REQ001\n"),
        id="noqa on the string's line",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\n",
            **{
                "shop/db.py": '"""Connect with postgresql+psycopg2://user@db/app."""\n'
                "# mysql+pymysql://user@db/app\nURL = 'postgresql://user@db/app'\n"
            },
        ),
        id="URLs in a docstring, a comment, or without a driver",
    ),
    pytest.param(
        {
            **django("INSTALLED_APPS = []\n"),
            "backend/manage.py": MANAGE.format("backend_config.settings"),
        },
        id="DJANGO_SETTINGS_MODULE names the project's own settings, wherever they are",
    ),
    pytest.param(
        django("def test_settings():\n    INSTALLED_APPS = ['debug_toolbar']\n"),
        id="not at module level",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\n",
            "Django\n",
            **{
                "tests/settings.py": "INSTALLED_APPS = ['debug_toolbar']\n",
                "requirements-dev.txt": "django-debug-toolbar\n",
                "setup.cfg": "[flake8]\nreqs-dev-file = requirements-dev.txt\n",
            },
        ),
        id="a settings module in a dev path may use the dev set",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\n",
            "Django\nsqlalchemy\npsycopg2-binary\n",
            **{"shop/db.py": "engine = create_engine('postgresql+psycopg2://user@db/app')\n"},
        ),
        id="the driver of a URL declared",
    ),
]


def _both(run_flake8, run_reqs, project):
    """What flake8 prints (without its ./) and what flake8-reqs check prints, with statuses."""
    # REQ003 off, as by default: an import beside a setting may be guarded.
    select = ("--select=REQ0", "--extend-ignore=REQ003")
    plugin = run_flake8(project, *select)
    check = run_reqs(project, "check", *select, "--no-default-entries")
    # check says first which target Python it chose (tests/project/test_target.py); the
    # plugin says so only with -v: apart from that line, the two say the same.
    return (plugin.exit_code, [line.removeprefix("./") for line in plugin.out], plugin.err), (
        check.exit_code,
        check.out,
        without_target(check.err),
    )


@pytest.mark.parametrize("files", SETTINGS_SILENT)
def test_req001_settings_silent(tmp_path, run_flake8, run_reqs, files):
    project = make_project(tmp_path / "p", files)
    plugin, check = _both(run_flake8, run_reqs, project)
    assert plugin == check == (0, [], [])


PG = "'psycopg' (or 'psycopg2')"
PG_ENGINE = "is loaded by ENGINE 'django.db.backends.postgresql' in DATABASES"
SETTINGS_FIRING = [
    pytest.param(
        django("INSTALLED_APPS = ['django.contrib.admin', 'debug_toolbar']\n"),
        [
            "config/settings.py:1:43: "
            + NAMED.format("debug_toolbar", "is named in INSTALLED_APPS")
            + "; it is provided by 'django-debug-toolbar'"
        ],
        id="an app in INSTALLED_APPS",
    ),
    pytest.param(
        django("MIDDLEWARE = [\n    'corsheaders.middleware.CorsMiddleware',\n]\n"),
        [
            "config/settings.py:2:5: "
            + NAMED.format("corsheaders.middleware", "is named in MIDDLEWARE")
            + "; it is provided by 'django-cors-headers'"
        ],
        id="a class in MIDDLEWARE",
    ),
    pytest.param(
        django(ENGINE.format("postgresql")),
        [
            f"config/settings.py:2:36: REQ001 {PG} {PG_ENGINE} but not declared as a runtime "
            "requirement (requirements.txt); it is provided by 'psycopg', 'psycopg2' or "
            "'psycopg2-binary'"
        ],
        id="a database engine without its driver",
    ),
    pytest.param(
        django(
            "MIDDLEWARE = []\nDATABASES = {}\n"
            "DATABASES['default'] = {'ENGINE': 'django.db.backends.mysql'}\n"
        ),
        [
            "config/settings.py:3:35: REQ001 'MySQLdb' (or 'pymysql') is loaded by ENGINE "
            "'django.db.backends.mysql' in DATABASES but not declared as a runtime requirement "
            "(requirements.txt); it is provided by 'mysqlclient' or 'pymysql'"
        ],
        id="mysql, assigned by key",
    ),
    pytest.param(
        django(
            "MIDDLEWARE = []\n"
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache'}}\n"
        ),
        [
            "config/settings.py:2:34: "
            + NAMED.format(
                "redis",
                "is loaded by BACKEND 'django.core.cache.backends.redis.RedisCache' in CACHES",
            )
            + "; it is provided by 'redis'"
        ],
        id="Django's redis cache needs redis",
    ),
    pytest.param(
        django(
            "MIDDLEWARE = []\nLOGGING = {\n    'formatters': {\n"
            "        'json': {'()': 'pythonjsonlogger.jsonlogger.JsonFormatter'},\n    },\n}\n"
        ),
        [
            "config/settings.py:4:24: "
            + NAMED.format("pythonjsonlogger.jsonlogger", "is named in LOGGING formatters '()'")
            + "; it is provided by 'python-json-logger'"
        ],
        id="a logging formatter factory",
    ),
    pytest.param(
        django(
            "MIDDLEWARE = []\nREST_FRAMEWORK = {\n    'DEFAULT_AUTHENTICATION_CLASSES': (\n"
            "        'rest_framework_simplejwt.authentication.JWTAuthentication',\n    ),\n}\n",
            "Django\ndjangorestframework\n",
        ),
        [
            "config/settings.py:4:9: "
            + NAMED.format(
                "rest_framework_simplejwt.authentication",
                "is named in REST_FRAMEWORK DEFAULT_AUTHENTICATION_CLASSES",
            )
            + "; it is provided by 'djangorestframework-simplejwt'"
        ],
        id="a REST_FRAMEWORK class",
    ),
    pytest.param(
        django(
            BACKEND.format("STORAGES", "{'default': ", "storages.backends.s3.S3Storage", "}"),
            "Django\ndjango-storages\n",
        ),
        [
            "config/settings.py:2:36: "
            + NAMED.format(
                "boto3", "is loaded by BACKEND 'storages.backends.s3.S3Storage' in STORAGES"
            )
            + "; it is provided by 'boto3'"
        ],
        id="the S3 storage backend needs boto3",
    ),
    pytest.param(
        {
            **django("", **{"config/settings.py": None}),
            "manage.py": MANAGE.format("config.settings.production"),
            "config/settings/__init__.py": "",
            "config/settings/base.py": "INSTALLED_APPS = [\n    'django.contrib.admin',\n]\n",
            "config/settings/production.py": "from .base import *\n\n"
            "INSTALLED_APPS += ['storages']\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.oracle'}}\n",
        },
        [
            "config/settings/production.py:3:20: "
            + NAMED.format("storages", "is named in INSTALLED_APPS")
            + "; it is provided by 'django-storages'",
            "config/settings/production.py:4:36: REQ001 'oracledb' (or 'cx_Oracle') is loaded "
            "by ENGINE 'django.db.backends.oracle' in DATABASES but not declared as a runtime "
            "requirement (requirements.txt); it is provided by 'oracledb' or 'cx-oracle'",
        ],
        id="settings split across files, the production module named by manage.py",
    ),
    pytest.param(
        django(
            "INSTALLED_APPS = []\n",
            "Django\nsqlalchemy\n",
            **{
                "shop/db.py": "engine = create_async_engine(\n"
                "    'postgresql+asyncpg://app@db/app'\n)\n"
            },
        ),
        [
            "shop/db.py:2:5: "
            + NAMED.format("asyncpg", "is loaded by the database URL 'postgresql+asyncpg://'")
            + "; it is provided by 'asyncpg'"
        ],
        id="an SQLAlchemy URL's driver",
    ),
    pytest.param(
        django(BACKEND.format("TEMPLATES", "[", "django.template.backends.jinja2.Jinja2", "]")),
        [
            "config/settings.py:2:26: "
            + NAMED.format(
                "jinja2",
                "is loaded by BACKEND 'django.template.backends.jinja2.Jinja2' in TEMPLATES",
            )
            + "; it is provided by 'jinja2'"
        ],
        id="the Jinja2 template backend needs jinja2",
    ),
    pytest.param(
        django(
            "from .base import *\n" + ENGINE.format("mysql").split("\n", 1)[1],
            "Django\n",
            **{"config/base.py": "INSTALLED_APPS = []\n"},
        ),
        [
            "config/settings.py:2:36: REQ001 'MySQLdb' (or 'pymysql') is loaded by ENGINE "
            "'django.db.backends.mysql' in DATABASES but not declared as a runtime requirement "
            "(requirements.txt); it is provided by 'mysqlclient' or 'pymysql'"
        ],
        id="a settings module without a marker, named by manage.py",
    ),
    pytest.param(
        django(
            "DJANGO_APPS = ['django.contrib.auth']\nTHIRD_PARTY_APPS = ['allauth']\n"
            "INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS\n"
        ),
        [
            "config/settings.py:2:21: "
            + NAMED.format("allauth", "is named in INSTALLED_APPS")
            + "; it is provided by 'django-allauth'"
        ],
        id="INSTALLED_APPS built from lists",
    ),
]


@pytest.mark.parametrize(("files", "expected"), SETTINGS_FIRING)
def test_req001_settings_fire(tmp_path, run_flake8, run_reqs, files, expected):
    files = {name: text for name, text in files.items() if text is not None}
    project = make_project(tmp_path / "p", files)
    plugin, check = _both(run_flake8, run_reqs, project)
    assert plugin == check == (1, expected, [])


def test_req001_in_the_settings_module_the_images_env_names(tmp_path, run_flake8, run_reqs):
    files = {
        **django("INSTALLED_APPS = []\n"),
        "config/production.py": "from .settings import *\n" + ENGINE.format("mysql").split("\n")[1],
        "Dockerfile": "FROM python:3.12-slim\n"
        "ENV APP=config \\\n    DJANGO_SETTINGS_MODULE=${APP}.production\n",
    }
    plugin, check = _both(run_flake8, run_reqs, make_project(tmp_path / "p", files))
    expected = [
        "config/production.py:2:36: REQ001 'MySQLdb' (or 'pymysql') is loaded by ENGINE "
        "'django.db.backends.mysql' in DATABASES but not declared as a runtime requirement "
        "(requirements.txt); it is provided by 'mysqlclient' or 'pymysql'"
    ]
    assert plugin == check == (1, expected, [])


ENVIRONMENT = """\
name: service
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pytorch
  - py-opencv
  - pip
  - pip:
    - flask==3.1.0
"""
# Each runtime source format, found without --reqs-file: the message names it.
FORMATS_FIRING = [
    pytest.param(
        {"Pipfile": "[packages]\nflask = '*'\n"},
        "(Pipfile)",
        id="Pipfile [packages]",
    ),
    pytest.param({"environment.yml": ENVIRONMENT}, "(environment.yml)", id="environment.yml"),
    pytest.param(
        {
            "environment.yml": ENVIRONMENT,
            "Dockerfile": "FROM mambaorg/micromamba:1.5\nCOPY environment.yml .\n"
            "RUN micromamba install -y -n base -f environment.yml\n",
        },
        "(environment.yml, installed at Dockerfile:3)",
        id="environment.yml the image installs",
    ),
    pytest.param(
        {
            "requirements.in": "flask\n",
            "requirements.txt": "flask==3.1.0\n    # via -r requirements.in\n",
        },
        "(requirements.in, compiled to requirements.txt)",
        id="requirements.in beside its compiled requirements.txt",
    ),
]
FORMATS_SILENT = [
    pytest.param({"Pipfile": "[packages]\npyyaml = '*'\n"}, id="Pipfile"),
    pytest.param(
        {"environment.yml": ENVIRONMENT.replace("  - pip\n", "  - pyyaml\n  - pip\n")},
        id="environment.yml: a conda package",
    ),
    pytest.param(
        {"environment.yml": ENVIRONMENT + "    - pyyaml\n"}, id="environment.yml: its pip list"
    ),
    pytest.param(
        {
            "requirements.in": "flask\npyyaml\n",
            "requirements.txt": "pyyaml==6.0.2\n    # via -r requirements.in\n",
        },
        id="requirements.in",
    ),
]


@pytest.mark.parametrize(("files", "sources"), FORMATS_FIRING)
def test_req001_names_each_runtime_format(tmp_path, run_flake8, files, sources):
    project = make_project(tmp_path, {**files, "app.py": "import yaml\nimport flask\n"})
    result = run_flake8(project, "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == (
        [
            "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
            f"{sources}; it is provided by 'pyyaml'"
        ],
        1,
        [],
    )


@pytest.mark.parametrize("files", FORMATS_SILENT)
def test_req001_silent_for_each_runtime_format(tmp_path, run_flake8, files):
    project = make_project(tmp_path, {**files, "app.py": "import yaml\n"})
    result = run_flake8(project, "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


def test_conda_packages_provide_their_pypi_distributions_names(tmp_path, run_flake8):
    files = {"environment.yml": ENVIRONMENT, "app.py": "import torch\nimport cv2\nimport flask\n"}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


def test_an_environment_yml_line_it_cannot_read_is_one_line_and_the_run_goes_on(
    tmp_path, run_flake8
):
    text = ENVIRONMENT.replace("  - pytorch\n", "  - pytorch\n  - {channel: x}\n")
    files = {"environment.yml": text, "app.py": "import yaml\nimport torch\n"}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert result.err == [
        "flake8-reqs: environment.yml:7: '- {channel: x}' is not read: expected '- <conda "
        "package>' or '- pip:' with its list under it"
    ]
    assert result.out == [
        "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(environment.yml); it is provided by 'pyyaml'"
    ]


UNKNOWN = (
    "; the import names of the declared 'acme-sdk' are unknown: if it provides 'acme', add "
    "'acme-sdk=acme' to reqs-module-map"
)
NOT_DECLARED = (
    "REQ001 '{}' is imported but not declared as a runtime requirement (requirements.txt)"
)
HINTS = [
    pytest.param(
        "acme-sdk\n",
        "import acme.client\n",
        (),
        "./app.py:1:1: " + NOT_DECLARED.format("acme.client") + UNKNOWN,
        id="known to nothing but the guess",
    ),
    pytest.param(
        "flask\nacme-sdk\n",
        "try:\n    import acme\nexcept ImportError:\n    acme = None\n",
        ("--extend-select=REQ003",),
        "./app.py:2:5: REQ003 'acme' is imported under an ImportError guard but not declared as "
        "a runtime requirement (requirements.txt); production runs without it" + UNKNOWN,
        id="REQ003 says it too",
    ),
    pytest.param(
        "acme-sdk\n",
        "import zeta\n",
        (),
        "./app.py:1:1: " + NOT_DECLARED.format("zeta"),
        id="a name that shares no word",
    ),
    pytest.param(
        "acme\n",
        "import acme_extra\n",
        (),
        "./app.py:1:1: " + NOT_DECLARED.format("acme_extra"),
        id="a name the guess extends",
    ),
    pytest.param(
        "scikit-fuzzy\n",
        "import scikit\n",
        (),
        "./app.py:1:1: " + NOT_DECLARED.format("scikit"),
        id="the index knows what it provides",
    ),
    pytest.param(
        "acme-sdk\n",
        "import yaml\n",
        (),
        "./app.py:1:1: " + NOT_DECLARED.format("yaml") + "; it is provided by 'pyyaml'",
        id="a known provider",
    ),
]


@pytest.mark.parametrize(("requirements", "source", "args", "expected"), HINTS)
def test_req001_says_when_a_declared_distribution_is_unknown(
    tmp_path, run_flake8, requirements, source, args, expected
):
    project = make_project(tmp_path, {"requirements.txt": requirements, "app.py": source})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([expected], 1, [])


def test_the_hint_s_advice_silences_it(tmp_path, run_flake8):
    project = make_project(tmp_path, {"requirements.txt": "acme-sdk\n", "app.py": "import acme\n"})
    result = run_flake8(project, "--select=REQ0", "--reqs-module-map=acme-sdk=acme")
    assert (result.out, result.exit_code) == ([], 0)


def test_an_installed_distribution_is_not_unknown(tmp_path, run_flake8, fake_distribution):
    fake_distribution("acme-sdk", files=["acme_core/__init__.py,,"])
    project = make_project(tmp_path, {"requirements.txt": "acme-sdk\n", "app.py": "import acme\n"})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'acme' is imported but not declared as a runtime requirement "
        "(requirements.txt)"
    ]
