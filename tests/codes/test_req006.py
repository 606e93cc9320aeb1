"""REQ006 undeclared-command: a program the image starts that no runtime requirement installs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_project, without_target

APP = {"requirements.txt": "flask\n", "app.py": "from flask import Flask\n\napp = Flask('x')\n"}
BASE = "FROM python:3.12-slim\nCOPY . /app\n"
GUNICORN = BASE + 'CMD ["gunicorn", "app:app"]\n'
ARGS = ("--select=REQ0", "--no-default-entries")


def message(where, program, distribution=None):
    return (
        f"REQ006 {where} runs '{program}', which no runtime requirement provides; "
        f"declare '{distribution or program}'"
    )


FIRING = [
    pytest.param(
        {"Dockerfile": BASE + 'CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]\n'},
        ["Dockerfile:3:1: " + message("CMD", "gunicorn")],
        id="exec-form CMD",
    ),
    pytest.param(
        {"Dockerfile": BASE + "CMD celery -A app worker --loglevel info\n"},
        ["Dockerfile:3:1: " + message("CMD", "celery")],
        id="shell-form CMD",
    ),
    pytest.param(
        {"Dockerfile": BASE + 'ENTRYPOINT ["uvicorn"]\nCMD ["app:app", "--port", "80"]\n'},
        ["Dockerfile:3:1: " + message("ENTRYPOINT", "uvicorn")],
        id="ENTRYPOINT with CMD as its arguments",
    ),
    pytest.param(
        {"Dockerfile": BASE + 'ENTRYPOINT ["tini", "--"]\nCMD ["daphne", "app:app"]\n'},
        ["Dockerfile:4:1: " + message("CMD", "daphne")],
        id="CMD under an init wrapper",
    ),
    pytest.param(
        {
            "Dockerfile": BASE,
            "Procfile": "release: python manage.py migrate\nweb: gunicorn app:app\n",
        },
        ["Procfile:2:1: " + message("the web process", "gunicorn")],
        id="Procfile",
    ),
    pytest.param(
        {
            "Dockerfile": BASE,
            "docker-compose.yml": "services:\n  worker:\n    build: .\n"
            "    command: [celery, -A, app, worker]\n  redis:\n    image: redis:7\n",
        },
        ["docker-compose.yml:4:1: " + message("the worker service", "celery")],
        id="the command of a compose service built from the Dockerfile",
    ),
    pytest.param(
        {
            "Dockerfile": BASE,
            "../docker-compose.yml": "services:\n  dashboard:\n    build: ./p\n"
            "    command: celery --broker=redis://redis:6379/0 flower --port=5555\n",
            "requirements.txt": "flask\ncelery\n",
        },
        [  # outside the working directory (the project): shown absolute
            "{parent}/docker-compose.yml:4:1: "
            + message("the dashboard service", "celery flower", "flower")
        ],
        id="a compose file beside the project's folder, building it",
    ),
    pytest.param(
        {
            "Dockerfile": 'FROM python:3.12 AS base\nCMD ["hypercorn", "app:app"]\n'
            "FROM base\nCOPY . /app\n",
        },
        ["Dockerfile:2:1: " + message("CMD", "hypercorn")],
        id="a CMD inherited from the stage it is built FROM",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["gunicorn", "app:app"]\n',
            "requirements-dev.txt": "gunicorn\n",
            "setup.cfg": "[flake8]\nreqs-dev-file = requirements-dev.txt\n",
        },
        ["Dockerfile:3:1: " + message("CMD", "gunicorn")],
        id="declared only for development",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["celery", "-A", "app", "flower"]\n',
            "requirements.txt": "flask\ncelery\n",
        },
        ["Dockerfile:3:1: " + message("CMD", "celery flower", "flower")],
        id="celery flower needs flower",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["sh", "-c", "alembic upgrade head && gunicorn app:app"]\n',
            "requirements.txt": "flask\ngunicorn\n",
        },
        ["Dockerfile:3:1: " + message("CMD", "alembic")],
        id="one of the commands of a shell script",
    ),
    pytest.param(
        {"Dockerfile": BASE + 'CMD ["python", "-m", "uvicorn", "app:app"]\n'},
        ["Dockerfile:3:1: " + message("CMD", "uvicorn")],
        id="python -m",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIRING)
def test_req006_fires(tmp_path, run_reqs, files, expected):
    project = make_project(tmp_path / "p", {**APP, **files})
    result = run_reqs(project, "check", *ARGS)
    expected = [line.replace("{parent}", tmp_path.as_posix()) for line in expected]
    assert (result.out, result.exit_code, without_target(result.err)) == (expected, 1, [])


SILENT = [
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["gunicorn", "app:app"]\n',
            "requirements.txt": "flask\ngunicorn==23.0\n",
        },
        id="declared",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["uvicorn", "app:app"]\n',
            "pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n"
            "dependencies = ['flask', 'uvicorn[standard]']\n",
            "requirements.txt": None,
        },
        id="declared with extras in pyproject.toml",
    ),
    pytest.param(
        {
            "Dockerfile": BASE
            + "RUN apt-get update && apt-get install -y gunicorn\nCMD gunicorn app:app\n"
        },
        id="installed from the OS",
    ),
    pytest.param(
        {
            "Dockerfile": BASE
            + "RUN pip install --no-cache-dir gunicorn==23.0\nCMD gunicorn app:app\n"
        },
        id="pip-installed by the Dockerfile",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + "RUN pip install -r requirements.txt -r requirements-server.txt\n"
            "CMD gunicorn app:app\n",
            "requirements-server.txt": "gunicorn\n",
        },
        id="in a requirements file the Dockerfile installs",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + "COPY --from=ghcr.io/emmett-framework/granian /granian "
            '/usr/local/bin/granian\nCMD ["granian", "app:app"]\n'
        },
        id="copied into the image",
    ),
    pytest.param(
        {"Dockerfile": BASE + 'CMD ["nginx", "-g", "daemon off;"]\n'}, id="not a Python program"
    ),
    pytest.param({"Dockerfile": BASE + 'CMD ["./start.sh"]\n'}, id="a script of the project"),
    pytest.param(
        {
            "Dockerfile": 'FROM python:3.12 AS build\nCMD ["gunicorn", "app:app"]\n'
            "FROM python:3.12\n"
        },
        id="the CMD of a stage that is not shipped",
    ),
    pytest.param(
        {
            "Dockerfile": BASE + 'CMD ["gunicorn", "app:app"]\nFROM python:3.12 AS dev\n',
            "setup.cfg": "[flake8]\nreqs-docker-target = dev\n",
        },
        id="--reqs-docker-target picks a stage without CMD",
    ),
    pytest.param(
        {
            "Dockerfile": BASE,
            "../docker-compose.yml": "services:\n  other:\n    build: ./other\n"
            "    command: gunicorn app:app\n",
        },
        id="a compose file above the project that builds another folder",
    ),
    pytest.param(
        {
            "Dockerfile": BASE,
            "docker-compose.yml": "services:\n  worker:\n    image: celery:5\n"
            "    command: celery worker\n",
        },
        id="a compose service from an image",
    ),
]


@pytest.mark.parametrize("files", SILENT)
def test_req006_silent(tmp_path, run_reqs, files):
    files = {name: text for name, text in {**APP, **files}.items() if text is not None}
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS)
    assert (result.out, result.exit_code, without_target(result.err)) == ([], 0, [])


def test_req006_is_not_a_plugin_code(tmp_path, run_flake8):
    files = {**APP, "Dockerfile": BASE + 'CMD ["gunicorn", "app:app"]\n'}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ")
    assert (result.out, result.exit_code) == ([], 0)


def test_req006_json_slug_and_sarif_rule(tmp_path, run_reqs):
    files = {**APP, "Dockerfile": BASE + 'CMD ["gunicorn", "app:app"]\n'}
    project = make_project(tmp_path / "p", files)
    document = json.loads("\n".join(run_reqs(project, "check", *ARGS, "--format=json").out))
    assert document["findings"] == [
        {
            "path": "Dockerfile",
            "line": 3,
            "column": 1,
            "code": "REQ006",
            "slug": "undeclared-command",
            "message": message("CMD", "gunicorn").split(" ", 1)[1],
            "module": None,
            "distribution": "gunicorn",
            "chain": None,
            "reachable": None,
        }
    ]
    sarif = json.loads("\n".join(run_reqs(project, "check", *ARGS, "--format=sarif").out))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {"id": "REQ006", "name": "undeclared-command"}.items() <= next(
        rule for rule in rules if rule["id"] == "REQ006"
    ).items()
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]] == ["REQ006"]


def test_fix_adds_the_distribution(tmp_path, run_reqs):
    files = {**APP, "Procfile": "web: gunicorn app:app\nworker: celery -A app worker\n"}
    project = make_project(tmp_path / "p", files)
    result = run_reqs(project, "fix")
    assert result.exit_code == 0
    assert (project / "requirements.txt").read_text() == "celery\nflask\ngunicorn\n"
    assert run_reqs(project, "check", *ARGS).out == []


def test_extend_ignore_turns_it_off(tmp_path, run_reqs):
    files = {**APP, "Procfile": "web: gunicorn app:app\n"}
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS, "--extend-ignore=REQ006")
    assert (result.out, result.exit_code) == ([], 0)


def test_a_compose_service_it_cannot_read_is_one_note(tmp_path, run_reqs):
    files = {
        **APP,
        "Dockerfile": BASE,
        "docker-compose.yml": "services:\n  web:\n    build: .\n"
        "    command: >\n      gunicorn app:app\n",
    }
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS)
    assert without_target(result.err) == [
        "flake8-reqs: docker-compose.yml:4: service web: a value it cannot read ('>'); skipped"
    ]
    assert (result.out, result.exit_code) == ([], 0)


def test_worker_classes_and_applications_are_imports(tmp_path, run_reqs):
    files = {
        "requirements.txt": "gunicorn\n",
        "app.py": "app = None\n",
        "Dockerfile": BASE + 'CMD ["gunicorn", "app:app", "-k", "uvicorn.workers.UvicornWorker"]\n',
        "gunicorn.conf.py": "bind = '0.0.0.0:80'\nworker_class = 'gevent.pywsgi.Worker'\n",
    }
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS)
    assert result.out == [
        "Dockerfile:3:1: REQ001 'uvicorn.workers' is named in CMD but not declared as a runtime "
        "requirement (requirements.txt); it is provided by 'uvicorn'",
        "gunicorn.conf.py:2:1: REQ001 'gevent.pywsgi' is named in worker_class but not declared "
        "as a runtime requirement (requirements.txt)",
    ]
