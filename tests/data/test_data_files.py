"""The data files: the JSON the tool reads is what its TOML source parses to, and nothing of
them is cached per user (a planted copy in the cache folder changes no answer)."""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from flake8_reqs import data_files
from tests.conftest import make_project, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

DATA = Path(data_files.__file__).parent / "data"
SOURCES = sorted(path.name for path in DATA.glob("*.toml"))


def test_every_toml_file_ships_with_its_json_form():
    assert sorted(path.name for path in DATA.glob("*.json")) == [
        name.replace(".toml", ".json") for name in SOURCES
    ]
    assert "module_map.toml" in SOURCES


@pytest.mark.parametrize("name", SOURCES)
def test_the_json_form_is_what_the_toml_parses_to(name):
    """If this fails, the TOML was edited: run python scripts/build_data_json.py."""
    parsed = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    shipped = json.loads((DATA / name).with_suffix(".json").read_text(encoding="utf-8"))
    assert shipped == parsed
    assert list(shipped) == list(parsed)  # tables in their order, as written


@pytest.mark.parametrize("name", SOURCES)
def test_load_data_reads_the_shipped_form(name):
    data_files.load_data.cache_clear()
    try:
        assert data_files.load_data(name) == tomllib.loads(
            (DATA / name).read_text(encoding="utf-8")
        )
    finally:
        data_files.load_data.cache_clear()


def test_the_build_script_finds_nothing_to_change():
    script = DATA.parent.parent / "scripts" / "build_data_json.py"
    completed = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")


def test_a_planted_data_cache_changes_no_answer(tmp_path):
    """Before 0.2 the parsed data was cached in the user's cache folder under a name that was
    the same for every user: a planted copy that forgot 'python-magic' silenced REQ001's hint
    and REQ101. The data is read from the package now; nothing in the cache folder is."""
    project = make_project(
        tmp_path / "project",
        {"requirements.txt": "flask\n", "app.py": "import magic\n"},
    )
    cache = tmp_path / "cache"
    forged = marshal.dumps({"distributions": {}, "native": {}, "safe": []})
    folder = cache / "flake8-reqs" / "data"
    folder.mkdir(parents=True)
    for name in SOURCES:
        text = (DATA / name).read_bytes()
        crc = zlib.crc32(text)
        python = f"py{sys.version_info[0]}{sys.version_info[1]}"
        (folder / f"{name}.{len(text)}-{crc:08x}.{python}.marshal").write_bytes(forged)
    result = run_cli(project, "--select=REQ", "app.py", env={"XDG_CACHE_HOME": str(cache)})
    assert result.out == [
        "app.py:1:1: REQ001 'magic' is imported but not declared as a runtime requirement "
        "(requirements.txt); it is provided by 'python-magic'",
        "app.py:1:1: REQ101 'magic' (python-magic) needs the system library libmagic, which pip "
        "does not install: apt-get install libmagic1 | apk add libmagic | dnf install file-libs",
    ]
