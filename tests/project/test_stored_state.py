"""The project state's shape in the cache folder: every field read back as it was built."""

from __future__ import annotations

import json

from flake8_reqs.project.build import build_state
from flake8_reqs.project.state import ProjectState
from flake8_reqs.project.stored_state import STATE
from flake8_reqs.settings import Settings, SourceFile
from tests.conftest import make_project

FILES = {
    "requirements.txt": (
        "flask[async]>=2; python_version >= '3.8'\n"
        "python-magic==0.4.27\n"
        "private @ https://user:s3cr3t@pypi.example.com/p/private-1.0-py3-none-any.whl?t=k3y\n"
        "-e ./libs/foo\n"
    ),
    "libs/foo/pyproject.toml": '[project]\nname = "foo-lib"\nversion = "1"\n',
    "libs/foo/foo/__init__.py": "",
    "requirements-dev.txt": "pytest\n",
    "locked.txt": (
        "flask==3.1.0\n    # via -r requirements.txt\n"
        "itsdangerous==2.2.0\n    # via flask\n"
        "python-magic==0.4.27\n    # via flask\n"
    ),
    "Dockerfile": (
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libmagic1\n"
        'CMD ["gunicorn", "mysite.wsgi"]\n'
    ),
    "manage.py": (
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    ),
    "mysite/__init__.py": "",
    "mysite/settings.py": "",
    "pkg/__init__.py": "",
}


def _state(project) -> ProjectState:
    settings = Settings(
        reqs_files=(SourceFile(project / "requirements.txt", "requirements.txt"),),
        dev_files=(SourceFile(project / "requirements-dev.txt", "requirements-dev.txt"),),
        lock_files=(SourceFile(project / "locked.txt", "locked.txt"),),
        start=project,
        search_from=project,
    )
    return build_state(settings, project)


def _round_trip(state: ProjectState) -> ProjectState:
    decoded = STATE.decode(json.loads(json.dumps(STATE.encode(state))))
    assert isinstance(decoded, ProjectState)
    return decoded


def test_every_field_is_read_back(tmp_path):
    state = _state(make_project(tmp_path, FILES))
    assert state.system is not None  # the test covers every field
    assert state.system.base == "python:3.12-slim"
    assert state.native_needs
    assert state.stdlib_needs  # tkinter and the like, which a slim image leaves out
    assert state.provisions["foo"][0].requirement.local == str(tmp_path / "libs" / "foo")
    assert state.members == (("foo", "foo-lib", "libs/foo"),)
    assert state.settings_files
    assert state.starts is not None
    assert state.starts.uses
    assert state.provisions["magic"][0].requirement.pinned == "0.4.27"
    assert state.transitive
    assert state.transitive["itsdangerous"][0].group == "flask"
    assert state.quiet == {("requirements.txt", 2)}  # python-magic, # via flask
    assert state.unknown_names == ("flask", "private")  # only the name guess knows them
    decoded = _round_trip(state)
    for field in ProjectState._fields:
        if field != "provisions":
            assert getattr(decoded, field) == getattr(state, field), field
    assert decoded.provisions.keys() == state.provisions.keys()
    assert decoded.provisions["flask"] == state.provisions["flask"]
    assert _round_trip(decoded) == decoded


def test_a_url_is_stored_without_credentials_path_or_query(tmp_path):
    state = _state(make_project(tmp_path, FILES))
    text = json.dumps(STATE.encode(state))
    for secret in ("s3cr3t", "k3y", "user"):
        assert secret not in text
    [provision] = _round_trip(state).provisions["private"]
    assert provision.requirement.text == "private @ https://pypi.example.com/"
    assert provision.requirement._replace(text="") == (
        state.provisions["private"][0].requirement._replace(text="")
    )
