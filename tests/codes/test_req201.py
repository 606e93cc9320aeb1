"""REQ201 unused-requirement: a module named by a string is a use (flake8-reqs check only)."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

ARGS = ("--select=REQ201", "--no-default-entries")
TEMPLATES = "MIDDLEWARE = []\nTEMPLATES = [{{'BACKEND': 'django.template.backends.{}'}}]\n"
UNUSED = "requirements.txt:2:1: REQ201 '{}' is declared but never imported"


def project_files(requirement, settings, **files):
    return {
        "requirements.txt": f"Django\n{requirement}\n",
        "config/__init__.py": "",
        "config/settings.py": settings,
        "config/urls.py": "from django.urls import path\n",
        **files,
    }


SILENT = [
    pytest.param(
        project_files("django-crispy-forms", "INSTALLED_APPS = ['crispy_forms']\n"),
        id="an app named in INSTALLED_APPS",
    ),
    pytest.param(
        project_files(
            "djangorestframework-simplejwt",
            "MIDDLEWARE = []\nREST_FRAMEWORK = {'DEFAULT_AUTHENTICATION_CLASSES': "
            "['rest_framework_simplejwt.authentication.JWTAuthentication']}\n",
        ),
        id="a class named in REST_FRAMEWORK",
    ),
    pytest.param(
        project_files(
            "python-json-logger",
            "MIDDLEWARE = []\nLOGGING = {'formatters': {'json': "
            "{'()': 'pythonjsonlogger.jsonlogger.JsonFormatter'}}}\n",
        ),
        id="a formatter named in LOGGING",
    ),
    pytest.param(
        project_files(
            "django-redis",
            "MIDDLEWARE = []\nCACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache'}}\n",
        ),
        id="a cache backend named in CACHES",
    ),
    pytest.param(
        project_files(
            "pg8000",
            "INSTALLED_APPS = []\n",
            **{"config/db.py": "URL = 'postgresql+pg8000://app@db/app'\n"},
        ),
        id="a driver named in an SQLAlchemy URL",
    ),
    pytest.param(
        project_files(
            "google-cloud-storage",
            "INSTALLED_APPS = []\nSTORAGES = {'default': {}}\n"
            "STORAGES['default']['BACKEND'] = 'storages.backends.gcloud.GoogleCloudStorage'\n",
        ),
        id="the client library a storage backend loads, assigned by key",
    ),
    pytest.param(
        {
            **project_files("flower", "INSTALLED_APPS = []\n"),
            "Procfile": "dashboard: celery -A config flower\n",
        },
        id="a program a start command runs",
    ),
    pytest.param(
        project_files(
            "jinja2",
            TEMPLATES.format("jinja2.Jinja2"),
        ),
        id="the driver a template backend loads",
    ),
    pytest.param(
        project_files(
            "channels-redis",
            "INSTALLED_APPS = []\n"
            "CHANNEL_LAYERS = {'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer'}}\n",
        ),
        id="a channel layer named in CHANNEL_LAYERS",
    ),
]


@pytest.mark.parametrize("files", SILENT)
def test_req201_silent(tmp_path, run_reqs, files):
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS)
    assert (result.exit_code, result.out, result.err) == (0, [], [])


FIRING = [
    pytest.param(
        project_files("django-crispy-forms", "INSTALLED_APPS = ['django.contrib.admin']\n"),
        UNUSED.format("django-crispy-forms"),
        id="an app the settings do not name",
    ),
    pytest.param(
        project_files(
            "django-crispy-forms",
            "INSTALLED_APPS = []\n",
            **{"config/lists.py": "APPS = ['crispy_forms']\n"},
        ),
        UNUSED.format("django-crispy-forms"),
        id="named in a list that no setting is",
    ),
    pytest.param(
        project_files(
            "django-crispy-forms",
            "import os\nINSTALLED_APPS = os.environ['APPS'].split(',')\n",
        ),
        UNUSED.format("django-crispy-forms"),
        id="a computed value names nothing",
    ),
    pytest.param(
        project_files(
            "django-crispy-forms",
            "INSTALLED_APPS = []\n# INSTALLED_APPS += ['crispy_forms']\n",
        ),
        UNUSED.format("django-crispy-forms"),
        id="named in a comment",
    ),
    pytest.param(
        project_files(
            "pg8000",
            "INSTALLED_APPS = []\n",
            **{"config/db.py": "'''Connect with postgresql+pg8000://app@db/app.'''\n"},
        ),
        UNUSED.format("pg8000"),
        id="a URL in a docstring",
    ),
    pytest.param(
        project_files(
            "jinja2",
            TEMPLATES.format("django.DjangoTemplates"),
        ),
        UNUSED.format("jinja2"),
        id="a template backend that loads no driver",
    ),
    pytest.param(
        {
            **project_files("flower", "INSTALLED_APPS = []\n"),
            "Procfile": "worker: celery -A config worker\n",
        },
        UNUSED.format("flower"),
        id="a program no start command runs",
    ),
    pytest.param(
        project_files(
            "google-cloud-storage",
            "INSTALLED_APPS = []\n"
            "STORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n",
        ),
        UNUSED.format("google-cloud-storage"),
        id="a storage backend that loads another client",
    ),
    pytest.param(
        project_files(
            "django-crispy-forms",
            "def settings():\n    INSTALLED_APPS = ['crispy_forms']\n",
        ),
        UNUSED.format("django-crispy-forms"),
        id="not at module level",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIRING)
def test_req201_fires(tmp_path, run_reqs, files, expected):
    result = run_reqs(make_project(tmp_path / "p", files), "check", *ARGS)
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])
