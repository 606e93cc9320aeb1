"""What one start command runs: programs, the modules and entry points it names."""

from __future__ import annotations

import shlex

import pytest

from flake8_reqs.system.start_commands import Found, analyse


def program(name, *distributions):
    return Found("program", name, distributions or (name,))


def module(name):
    return Found("module", name)


def entry(spec):
    return Found("entry", spec)


FOUND = [
    pytest.param(
        "gunicorn app.main:app -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 -w 4",
        [
            program("gunicorn"),
            Found("class", "uvicorn.workers"),
            module("app.main"),
            entry("app.main:app"),
        ],
        id="gunicorn with a worker class; a bind address is no app",
    ),
    pytest.param(
        "gunicorn --worker-class=gevent config.wsgi --log-level info",
        [program("gunicorn"), entry("config.wsgi")],
        id="a dotted app without an attribute is only an entry; a word is nothing",
    ),
    pytest.param(
        "uvicorn app.main:create_app() --factory --host 0.0.0.0",
        [program("uvicorn"), module("app.main"), entry("app.main:create_app()")],
        id="an application factory",
    ),
    pytest.param(
        "celery -A proj worker -l info",
        [program("celery"), module("proj"), entry("proj")],
        id="celery -A",
    ),
    pytest.param(
        "celery --app=proj.celery:app flower",
        [
            program("celery"),
            module("proj.celery"),
            entry("proj.celery:app"),
            program("celery flower", "flower"),
        ],
        id="celery flower needs flower",
    ),
    pytest.param(
        "celery -A proj beat --scheduler django_celery_beat.schedulers:DatabaseScheduler",
        [
            program("celery"),
            module("proj"),
            entry("proj"),
            Found("class", "django_celery_beat.schedulers"),
        ],
        id="a class as module:Class",
    ),
    pytest.param(
        "python -m gunicorn app:app",
        [program("gunicorn"), module("app"), entry("app:app")],
        id="python -m runs a program",
    ),
    pytest.param(
        "python3.12 -u -m app.worker --queue default",
        [module("app.worker"), entry("app.worker")],
        id="python -m runs a module",
    ),
    pytest.param("python manage.py migrate", [entry("manage.py")], id="python runs a script"),
    pytest.param(
        "exec tini -- env PORT=8000 uv run --frozen daphne config.asgi:application",
        [program("daphne"), module("config.asgi"), entry("config.asgi:application")],
        id="wrappers and runners are looked through",
    ),
    pytest.param(
        "sh -c 'alembic upgrade head && exec gunicorn app:app'",
        [program("alembic"), program("gunicorn"), module("app"), entry("app:app")],
        id="a shell script",
    ),
    pytest.param(
        "ddtrace-run /opt/venv/bin/hypercorn app:app",
        [program("ddtrace-run", "ddtrace"), program("hypercorn"), module("app"), entry("app:app")],
        id="a wrapper that is a Python program; a program in a venv's bin",
    ),
    pytest.param(
        "newrelic-admin run-program waitress-serve --port=8080 app:app",
        [
            program("newrelic-admin", "newrelic"),
            program("waitress-serve", "waitress"),
            module("app"),
            entry("app:app"),
        ],
        id="newrelic-admin run-program",
    ),
    pytest.param(
        "gosu app gunicorn -c config/gunicorn.py app:app",
        [
            program("gunicorn"),
            Found("config", "config/gunicorn.py"),
            module("app"),
            entry("app:app"),
        ],
        id="a configuration file",
    ),
]


@pytest.mark.parametrize(("command", "expected"), FOUND)
def test_found(command, expected):
    assert analyse(shlex.split(command)) == expected


NOTHING = [
    pytest.param("nginx -g 'daemon off;'", [], id="a program not listed"),
    pytest.param("./start.sh gunicorn", [], id="a script the image copies in"),
    pytest.param("/app/scripts/gunicorn app:app", [], id="a program outside a bin folder"),
    pytest.param("python -c 'import app'", [], id="python -c"),
    pytest.param("tini --", [], id="a wrapper alone"),
    pytest.param("bash", [], id="a shell without a script"),
    pytest.param("", [], id="nothing"),
    pytest.param("python -m 'not a module'", [], id="python -m with something else"),
    pytest.param("redis-server --port 6379", [], id="a service that is no Python program"),
    pytest.param("celery -A", ["celery"], id="an option without its value"),
    pytest.param(
        "uvicorn --log-config log.yaml 'app.main:app:x'", ["uvicorn"], id="files and garbage"
    ),
    pytest.param("env", [], id="env alone"),
    pytest.param("python", [], id="python alone"),
]


@pytest.mark.parametrize(("command", "programs"), NOTHING)
def test_nothing_but_programs(command, programs):
    assert [found.name for found in analyse(shlex.split(command))] == programs
