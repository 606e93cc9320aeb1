"""The strict reader of compose files: the commands of services built from the Dockerfile."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_reqs.system.compose import Command, read_compose


def read(text, dockerfile="Dockerfile"):
    commands, notes = read_compose(textwrap.dedent(text), "docker-compose.yml", dockerfile)
    return commands, [str(note) for note in notes]


READ = [
    pytest.param(
        """\
        services:
          web:
            build: .
            command: gunicorn app:app -b 0.0.0.0:8000  # the server
          db:
            image: postgres:16
            command: postgres -c max_connections=200
        """,
        [Command("web", "command", 4, "gunicorn app:app -b 0.0.0.0:8000", None)],
        id="a string; a service from an image is not ours",
    ),
    pytest.param(
        """\
        version: "3.9"
        services:
          "worker":
            build:
              context: .
              dockerfile: Dockerfile
            entrypoint: ["celery", '-A', proj]
            command:
              - worker
              - "-l"
              - 'info'
        volumes:
          data: {}
        """,
        [
            Command("worker", "entrypoint", 7, None, ("celery", "-A", "proj")),
            Command("worker", "command", 8, None, ("worker", "-l", "info")),
        ],
        id="a build mapping, a flow list and a block list",
    ),
    pytest.param(
        """\
        x-common: &common
          restart: always
        services:
          other:
            build: ./other
            command: celery -A other worker
          alt:
            build:
              context: .
              dockerfile: Dockerfile.dev
            command: uvicorn app:app --reload
        """,
        [],
        id="another build context or Dockerfile is not ours",
    ),
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_read(text, expected):
    assert read(text) == (expected, [])


NOTES = [
    pytest.param(
        """\
        services:
          web:
            build: .
            command: >
              gunicorn app:app
        """,
        "docker-compose.yml:4: service web: a value it cannot read ('>'); skipped",
        id="a block scalar",
    ),
    pytest.param(
        """\
        services:
          web:
            <<: *common
            command: gunicorn app:app
        """,
        "docker-compose.yml:3: service web: a merge key (<<) it cannot read; skipped",
        id="a merge key",
    ),
    pytest.param(
        """\
        services:
          web:
            build: .
            command: ["gunicorn",
              "app:app"]
        """,
        "docker-compose.yml:4: service web: a flow list that spans lines; skipped",
        id="a flow list over two lines",
    ),
    pytest.param(
        """\
        services:
          web:
            build: {context: .}
        """,
        "docker-compose.yml:3: service web: a value it cannot read ('{context: .}'); skipped",
        id="a flow mapping",
    ),
    pytest.param(
        """\
        services:
          web:
            build: .
            command: "gunicorn \\q"
        """,
        "docker-compose.yml:4: service web: a double-quoted string it cannot read; skipped",
        id="a bad escape",
    ),
    pytest.param(
        """\
        services:
          web:
            build: .
            command:
              - gunicorn
              key: value
        """,
        "docker-compose.yml:6: service web: command: is neither a string nor a list of "
        "strings; skipped",
        id="a list that is not one",
    ),
]


@pytest.mark.parametrize(("text", "note"), NOTES)
def test_what_it_cannot_read_is_skipped_with_one_note(text, note):
    assert read(text) == ([], [note])


def test_an_unreadable_service_does_not_hide_the_others():
    text = """\
        services:
          web:
            build: .
            command: >
              gunicorn app:app
          worker:
            build: .
            command: celery -A proj worker
        """
    commands, notes = read(text)
    assert commands == [Command("worker", "command", 8, "celery -A proj worker", None)]
    assert len(notes) == 1


@given(st.text())
def test_any_text_is_read_or_noted(text):
    commands, notes = read_compose(text, "compose.yml")
    assert all(isinstance(command, Command) for command in commands)
    assert all(note.line is not None and note.line >= 1 for note in notes)
