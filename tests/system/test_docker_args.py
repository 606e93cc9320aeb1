"""parse_arg and expand_variables: Dockerfile ARG declarations and ${VAR} expansion."""

from __future__ import annotations

import pytest

from flake8_reqs.system.docker_args import expand_variables, parse_arg


@pytest.mark.parametrize(
    ("args", "declared"),
    [
        pytest.param("PYTHON_VERSION=3.11", [("PYTHON_VERSION", "3.11")], id="a default"),
        pytest.param("PYTHON_VERSION", [("PYTHON_VERSION", None)], id="no default"),
        pytest.param('PY="3.12" BASE=slim', [("PY", "3.12"), ("BASE", "slim")], id="two, quoted"),
        pytest.param("EMPTY=", [("EMPTY", "")], id="an empty default"),
        pytest.param("PY='3.12", [], id="an unbalanced quote"),
        pytest.param("3BAD=1", [], id="not a name"),
    ],
)
def test_parse_arg(args, declared):
    assert parse_arg(args) == declared


VALUES = {"PYTHON_VERSION": "3.11", "EMPTY": "", "FROM_COMMAND_LINE": None}


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        pytest.param("python:${PYTHON_VERSION}-slim", "python:3.11-slim", id="braces"),
        pytest.param("python:$PYTHON_VERSION", "python:3.11", id="no braces"),
        pytest.param("python:${EMPTY:-3.12}", "python:3.12", id=":- when empty"),
        pytest.param("python:${PYTHON_VERSION:-3.12}", "python:3.11", id=":- when set"),
        pytest.param("python:3.12${EMPTY-x}", "python:3.12", id="- when set but empty"),
        pytest.param("a${PYTHON_VERSION:+-set}", "a-set", id=":+ when set"),
        pytest.param("a${EMPTY:+-set}", "a", id=":+ when empty"),
        pytest.param("cost\\$5", "cost$5", id="an escaped dollar"),
        pytest.param("python:3.12-slim", "python:3.12-slim", id="nothing to expand"),
    ],
)
def test_expand_variables(text, expanded):
    assert expand_variables(text, VALUES) == expanded


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("python:${FROM_COMMAND_LINE}-slim", id="declared without a default"),
        pytest.param("python:${NEVER_DECLARED}-slim", id="not declared"),
        pytest.param("python:${NEVER_DECLARED:-3.12}", id="not declared, with a default word"),
    ],
)
def test_a_value_the_file_does_not_give_is_unknown(text):
    assert expand_variables(text, VALUES) is None
