"""flake8-reqs never runs the code it reads and never opens a network connection."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import make_project

TRAP = """\
import pathlib, socket
import flask
pathlib.Path(__file__).with_name("EXECUTED").write_text("{name}")
socket.create_connection(("127.0.0.1", 9))
"""


@pytest.fixture
def trapped_project(tmp_path):
    files = {
        name: TRAP.format(name=name)
        for name in ("setup.py", "conftest.py", "app.py", "pkg/__init__.py", "noxfile.py")
    }
    files["setup.py"] += "from setuptools import setup\nsetup(install_requires=['flask'])\n"
    files["pyproject.toml"] = "[project]\nname = 'app'\nversion = '1'\ndynamic = ['x']\n"
    return make_project(tmp_path, files)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("flake8-reqs opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_flake8_runs_nothing_and_phones_nowhere(trapped_project, run_flake8, no_network):
    result = run_flake8(trapped_project, "--select=REQ", "--reqs-file=setup.py")
    assert result.exit_code == 0, result.out
    assert list(trapped_project.rglob("EXECUTED")) == []


@pytest.mark.parametrize(
    ("command", "status"),
    [
        pytest.param("check", 0, id="check"),
        pytest.param("system", 0, id="system"),
        pytest.param("fix", 2, id="fix, which does not edit setup.py"),
    ],
)
def test_the_command_runs_nothing_and_phones_nowhere(
    trapped_project, no_network, monkeypatch, capsys, command, status
):
    from flake8_reqs.commands.cli import main

    monkeypatch.chdir(trapped_project)
    args = [command, "--no-cache", "-j1", "--reqs-file=setup.py"]
    if command == "fix":
        args.append("--dry-run")
    assert main(args) == status, capsys.readouterr()
    assert list(trapped_project.rglob("EXECUTED")) == []
