"""REQ001 undeclared-import: a third-party import that no runtime requirement provides."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

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
        {"app.py": "import win32api\n", "requirements.txt": "pywin32; sys_platform == 'win32'\n"},
        (),
        ["./app.py:1:1: " + MESSAGE.format("win32api") + "; it is provided by 'pywin32'"],
        id="marker false on the target declares nothing",
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
        ["./tests/test_app.py:1:1: " + MESSAGE.format("zzz_unknown_thing")],
        id="dev paths still need the import declared somewhere",
    ),
]


@pytest.mark.parametrize(("files", "args", "expected"), FIRING)
def test_req001_fires(tmp_path, run_flake8, files, args, expected):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", **files})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == (expected, 1, [])


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
