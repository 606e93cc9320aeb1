"""check without --entry: the entry points the project names, chains from them, unreachable."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_project

DECLARED = "but not declared as a runtime requirement (requirements.txt)"

FASTAPI = {
    "requirements.txt": "fastapi\nuvicorn[standard]\n",
    "Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["uvicorn", "app.main:app"]\n',
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\nfrom app import images\n\napp = FastAPI()\n",
    "app/images.py": "import os\nfrom PIL import Image\n",
    "scripts/backfill.py": "import yaml\n",
}
PIL = (
    f"app/images.py:2:1: REQ001 'PIL' is imported {DECLARED}; it is provided by 'pillow'",
    "  via app/main.py:3 -> app/images.py:2: 'PIL'",
)
YAML = (
    f"scripts/backfill.py:1:1: REQ001 'yaml' is imported {DECLARED}; it is provided by 'pyyaml'",
    "  unreachable from the entry points",
)


def test_the_start_command_is_the_entry_point(tmp_path, run_reqs):
    result = run_reqs(make_project(tmp_path / "p", FASTAPI), "check")
    assert result.out == [
        *PIL,
        *YAML,
        "entry points found in the project: app.main:app (Dockerfile:3, CMD)",
    ]
    assert (result.exit_code, result.err) == (1, [])


def test_only_unreachable_findings_pass_unless_strict(tmp_path, run_reqs):
    files = {**FASTAPI, "app/images.py": "import os\n"}
    project = make_project(tmp_path / "p", files)
    result = run_reqs(project, "check")
    assert result.out == [
        *YAML,
        "entry points found in the project: app.main:app (Dockerfile:3, CMD)",
    ]
    assert result.exit_code == 0
    assert run_reqs(project, "check", "--strict").exit_code == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ("--no-default-entries",),
            [PIL[0], YAML[0]],
            id="--no-default-entries: no chains, everything counts",
        ),
        pytest.param(
            ("--entry=scripts/backfill.py",),
            [
                PIL[0],
                "  unreachable from the entry points",
                YAML[0],
                "  via scripts/backfill.py:1: 'yaml'",
            ],
            id="--entry replaces the defaults (and says nothing of them)",
        ),
    ],
)
def test_the_defaults_are_replaced_or_turned_off(tmp_path, run_reqs, args, expected):
    result = run_reqs(make_project(tmp_path / "p", FASTAPI), "check", *args)
    assert (result.out, result.exit_code) == (expected, 1)


def test_json_marks_reachability_from_the_defaults(tmp_path, run_reqs):
    result = run_reqs(make_project(tmp_path / "p", FASTAPI), "check", "--format=json")
    findings = json.loads("\n".join(result.out))["findings"]
    assert [(f["module"], f["chain"], f["reachable"]) for f in findings] == [
        ("PIL", ["app/main.py:3", "app/images.py:2"], True),
        ("yaml", None, False),
    ]


DJANGO = {
    "requirements.txt": "Django\ncelery\n",
    "manage.py": "import os\n\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    "config/__init__.py": "",
    "config/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'shop']\n"
    "ROOT_URLCONF = 'config.urls'\nWSGI_APPLICATION = 'config.wsgi.application'\n",
    "config/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
    "application = get_wsgi_application()\n",
    "config/urls.py": "from shop import views\n",
    "shop/__init__.py": "",
    "shop/views.py": "import magic\n",
    "shop/tasks.py": "import requests\n",
    "shop/management/__init__.py": "",
    "shop/management/commands/__init__.py": "",
    "shop/management/commands/load.py": "import yaml\n",
    "Procfile": "worker: celery -A config worker\n",
}


def test_a_django_and_celery_project(tmp_path, run_reqs):
    result = run_reqs(make_project(tmp_path / "p", DJANGO), "check", "--select=REQ001")
    assert result.out == [
        f"shop/views.py:1:1: REQ001 'magic' is imported {DECLARED}; it is provided by "
        "'python-magic'",
        "  via manage.py:3 -> config/settings.py:2 -> config/urls.py:1 -> shop/views.py:1: 'magic'",
        f"shop/tasks.py:1:1: REQ001 'requests' is imported {DECLARED}; it is provided by "
        "'requests'",
        "  via manage.py:3 -> config/settings.py:1 -> shop/tasks.py:1: 'requests'",
        f"shop/management/commands/load.py:1:1: REQ001 'yaml' is imported {DECLARED}; it is "
        "provided by 'pyyaml'",
        "  via shop/management/commands/load.py:1: 'yaml'",
        "entry points found in the project: config (Procfile:1, the worker process), "
        "manage.py (Django's manage.py), config.wsgi (config/settings.py:3, WSGI_APPLICATION), "
        "2 files Django loads by name",
    ]
    assert result.exit_code == 1


def test_gunicorns_configuration_is_an_entry_point(tmp_path, run_reqs):
    files = {
        **FASTAPI,
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "-c", "deploy/gunicorn.py"]\n',
        "deploy/gunicorn.py": "import structlog\n\nwsgi_app = 'app.main:app'\n",
        "requirements.txt": "fastapi\ngunicorn\n",
    }
    result = run_reqs(make_project(tmp_path / "p", files), "check", "--select=REQ001")
    assert result.out == [
        "deploy/gunicorn.py:1:1: REQ001 'structlog' is imported but not declared as a runtime "
        "requirement (requirements.txt)",
        "  via deploy/gunicorn.py:1: 'structlog'",
        *PIL,
        *YAML,
        "entry points found in the project: deploy/gunicorn.py (gunicorn's configuration), "
        "app.main:app (deploy/gunicorn.py:3, wsgi_app)",
    ]


def test_project_scripts_are_entry_points(tmp_path, run_reqs):
    files = {
        "pyproject.toml": "[project]\nname = 'tool'\nversion = '1'\ndependencies = ['requests']\n"
        "[project.scripts]\ntool = 'tool.cli:main'\n"
        "[project.gui-scripts]\ntool-gui = 'tool.gui:run'\n",
        "tool/__init__.py": "",
        "tool/cli.py": "import requests\nimport click\n",
        "tool/gui.py": "",
    }
    result = run_reqs(make_project(tmp_path / "p", files), "check", "--select=REQ001")
    assert result.out == [
        "tool/cli.py:2:1: REQ001 'click' is imported but not declared as a runtime requirement "
        "(pyproject.toml)",
        "  via tool/cli.py:2: 'click'",
        "entry points found in the project: tool.cli:main (pyproject.toml, [project.scripts]), "
        "tool.gui:run (pyproject.toml, [project.gui-scripts])",
    ]


def test_a_project_that_names_no_entry_point_is_checked_as_before(tmp_path, run_reqs):
    files = {"requirements.txt": "flask\n", "app.py": "import flask\nimport yaml\n"}
    result = run_reqs(make_project(tmp_path / "p", files), "check")
    assert result.out == [
        f"app.py:2:1: REQ001 'yaml' is imported {DECLARED}; it is provided by 'pyyaml'"
    ]
    assert result.exit_code == 1


def test_an_entry_the_project_names_but_does_not_have_is_left_out(tmp_path, run_reqs):
    files = {
        **FASTAPI,
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "/srv/app.main:app"]\n'
        'ENTRYPOINT ["python", "-m", "gone.module"]\n',
    }
    result = run_reqs(make_project(tmp_path / "p", files), "check")
    assert result.out == [PIL[0], YAML[0]]
    assert result.err == []
