"""The stored project state: stamped when read, never kept when an input changed meanwhile."""

from __future__ import annotations

import json

import pytest

from flake8_reqs.cache import stamped
from flake8_reqs.cache.codec import Mismatch
from flake8_reqs.declared.sources import pip
from tests.conftest import age, make_project, run_cli

UNDECLARED = (
    "./app.py:1:1: REQ001 'zzlost' is imported but not declared as a runtime requirement "
    "(requirements.txt)"
)


def test_an_input_edited_while_the_state_is_built_is_read_again(tmp_path, run_flake8, monkeypatch):
    """requirements.txt is edited after it was read, while base.txt is read: the state
    built from its old text answers this run, and is kept neither in this process nor on
    disk (stamped after the build, it used to look valid for good)."""
    files = {
        "requirements.txt": "-r base.txt\n",
        "base.txt": "flask\n",
        "app.py": "import zzlost\n",
    }
    project = make_project(tmp_path / "project", files)
    age(project)
    read = pip._load

    def read_then_edit(path):
        if path.endswith("base.txt"):
            (project / "requirements.txt").write_text("-r base.txt\nzzlost\n", encoding="utf-8")
        return read(path)

    monkeypatch.setattr(pip, "_load", read_then_edit)
    assert run_flake8(project, "--select=REQ").out == [UNDECLARED]
    monkeypatch.setattr(pip, "_load", read)
    assert run_flake8(project, "--select=REQ").out == []  # not from this process's memory
    assert run_cli(project, "--select=REQ", ".").out == []  # nor from the disk


def test_environment_variables_are_stored_as_hashes(monkeypatch):
    monkeypatch.setenv("SOME_TOKEN", "s3cr3t-value")
    monkeypatch.delenv("UNSET_VARIABLE", raising=False)
    stored = stamped.digest_environ({"SOME_TOKEN": "s3cr3t-value", "UNSET_VARIABLE": None})
    assert "s3cr3t" not in json.dumps(stored)
    assert [name for name, _ in stored] == ["SOME_TOKEN", "UNSET_VARIABLE"]
    assert stamped.environ_holds(stored)
    monkeypatch.setenv("SOME_TOKEN", "another-value")
    assert not stamped.environ_holds(stored)
    monkeypatch.setenv("SOME_TOKEN", "s3cr3t-value")
    monkeypatch.setenv("UNSET_VARIABLE", "")
    assert not stamped.environ_holds(stored)


def test_the_inputs_of_a_value_not_kept_are_unknown():
    # An input changed while the value was built: store() kept nothing, and what depends on
    # the value (an editor's entry, a whole check's answer) must not be kept either.
    assert stamped.inputs_of("project", ("never", "stored")) is None


GOOD_STAMPS = [["/a", 1, 2, 3, 4], ["/b", -1, -1, -1, -1]]


def test_file_stamps_read_back_as_written():
    decoded = stamped.STAMPS.decode(json.loads(json.dumps(stamped.STAMPS.encode(GOOD_STAMPS))))
    assert decoded == (("/a", 1, 2, 3, 4), ("/b", -1, -1, -1, -1))
    assert stamped.STAMPS.decode([]) == ()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"/a": [1, 2, 3, 4]}, id="an object"),
        pytest.param([*GOOD_STAMPS, "/c"], id="a path alone"),
        pytest.param([*GOOD_STAMPS, ["/c", 1, 2, 3]], id="a field missing"),
        pytest.param([*GOOD_STAMPS, ["/c", 1, 2, 3, 4, 5]], id="a field too many"),
        pytest.param([*GOOD_STAMPS, [1, 1, 2, 3, 4]], id="a number for the path"),
        pytest.param([*GOOD_STAMPS, ["/c", True, 2, 3, 4]], id="a boolean for a time"),
        pytest.param([*GOOD_STAMPS, ["/c", 1, 2.0, 3, 4]], id="a float for a size"),
        pytest.param([*GOOD_STAMPS, ["/c", 1, 2, 3, None]], id="null for a time"),
    ],
)
def test_file_stamps_that_do_not_fit_are_a_miss(data):
    with pytest.raises(Mismatch):
        stamped.STAMPS.decode(data)
