"""What installed distributions provide: found by one listing of each sys.path folder."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import make_project

UNDECLARED = (
    "./app.py:1:1: REQ001 '{}' is imported but not declared as a runtime requirement "
    "(requirements.txt)"
)


@pytest.mark.parametrize(
    ("folder", "requirement", "module"),
    [
        pytest.param("Acme_SDK-2.0.dist-info", "acme-sdk", "acme", id="dist-info, escaped name"),
        pytest.param("acme.sdk-2.0.dist-info", "Acme.SDK", "acme", id="dots in the name"),
        pytest.param("acme_sdk-2.0-py3.9.egg-info", "acme-sdk", "acme", id="egg-info"),
    ],
)
def test_an_installed_distribution_provides_its_modules(
    tmp_path, run_flake8, monkeypatch, folder, requirement, module
):
    site = tmp_path / "site"
    (site / folder).mkdir(parents=True)
    (site / folder / "top_level.txt").write_text(f"{module}\n", encoding="utf-8")
    (site / folder / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {requirement}\nVersion: 2.0\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    project = make_project(
        tmp_path / "p", {"requirements.txt": f"{requirement}\n", "app.py": f"import {module}\n"}
    )
    result = run_flake8(project, "--select=REQ0")
    assert (result.exit_code, result.out) == (0, [])


def test_the_first_distribution_on_sys_path_is_the_installed_one(
    tmp_path, run_flake8, monkeypatch, fake_distribution
):
    fake_distribution("acme-sdk", "2.0", files=["acme2/__init__.py,,"])
    shadowed = tmp_path / "later"
    (shadowed / "acme_sdk-1.0.dist-info").mkdir(parents=True)
    (shadowed / "acme_sdk-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-sdk\nVersion: 1.0\n", encoding="utf-8"
    )
    (shadowed / "acme_sdk-1.0.dist-info" / "top_level.txt").write_text("acme1\n", encoding="utf-8")
    monkeypatch.setattr("sys.path", [*sys.path, str(shadowed)])
    project = make_project(
        tmp_path / "p", {"requirements.txt": "acme-sdk\n", "app.py": "import acme1\n"}
    )
    result = run_flake8(project, "--select=REQ0")
    # The shadowed 1.0 still shows in the hint: the reverse index lists every folder.
    assert result.out == [UNDECLARED.format("acme1") + "; it is provided by 'acme-sdk'"]


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param(None, id="no METADATA file"),
        pytest.param("Metadata-Version: 2.1\nVersion: 2.0\n", id="METADATA without a Name"),
    ],
)
def test_the_hint_names_the_distribution_from_its_folder(
    tmp_path, run_flake8, monkeypatch, metadata
):
    # The index of what is installed reads folder names, RECORD and top_level.txt only: a
    # damaged METADATA (an interrupted install) still names the distribution to declare.
    site = tmp_path / "site"
    folder = site / "Acme_SDK-2.0.dist-info"
    folder.mkdir(parents=True)
    (folder / "RECORD").write_text("acme/__init__.py,,\n", encoding="utf-8")
    if metadata is not None:
        (folder / "METADATA").write_text(metadata, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    project = make_project(tmp_path / "p", {"requirements.txt": "six\n", "app.py": "import acme\n"})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [UNDECLARED.format("acme") + "; it is provided by 'acme-sdk'"]


@pytest.mark.parametrize(
    ("record", "provided"),
    [
        pytest.param("acme/__init__.py,,\nacme/core.py,,\n", True, id="a package"),
        pytest.param("acme.py,,\n", True, id="a module"),
        pytest.param("acme.cpython-311-x86_64-linux-gnu.so,,\n", True, id="an extension"),
        pytest.param("acme/tools/run.py,,\n", True, id="a namespace package"),
        pytest.param('"acme/a,b.py",,\nacme/__init__.py,,\n', True, id="a quoted row first"),
        pytest.param('"acme,x/__init__.py",,\n', False, id="a comma in a quoted path"),
        pytest.param('acme/__init__.py,"sha256=a,b",1\n', True, id="a quoted hash"),
        pytest.param("acme/__pycache__/x.cpython-311.pyc,,\n", False, id="bytecode only"),
        pytest.param("acme-data/table.py,,\n", False, id="not an identifier"),
        pytest.param("acme/README.txt,,\n", False, id="no module"),
        pytest.param("../../bin/acme,,\n", False, id="a script"),
        pytest.param("Acme_SDK-2.0.dist-info/METADATA,,\n", False, id="its metadata"),
    ],
)
def test_the_hint_reads_what_record_lists(tmp_path, run_flake8, monkeypatch, record, provided):
    # Without top_level.txt, the index of what is installed takes each top-level name from
    # RECORD's paths, as names_from_files would.
    site = tmp_path / "site"
    folder = site / "Acme_SDK-2.0.dist-info"
    folder.mkdir(parents=True)
    (folder / "RECORD").write_text(record, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    project = make_project(tmp_path / "p", {"requirements.txt": "six\n", "app.py": "import acme\n"})
    result = run_flake8(project, "--select=REQ0")
    hint = "; it is provided by 'acme-sdk'" if provided else ""
    assert result.out[0].startswith(UNDECLARED.format("acme") + hint)
    assert result.out[0].endswith("'acme-sdk'") == provided


def test_a_distribution_installed_between_two_runs_of_one_process_is_seen(
    tmp_path, run_flake8, fake_distribution
):
    """A process that runs flake8 again (an editor's language server does) lists sys.path
    for each state it builds, and reads the import names from that listing: a distribution
    installed since the last run provides its modules."""
    fake_distribution("other-dist", "1.0", top_level=["other"])  # sys.path's folder is listed
    project = make_project(
        tmp_path / "p", {"requirements.txt": "acme-sdk\n", "app.py": "import acme\n"}
    )
    before = run_flake8(project, "--select=REQ0")
    assert [line.split(" ")[1] for line in before.out] == ["REQ001"]
    fake_distribution("acme-sdk", "2.0", top_level=["acme"])
    after = run_flake8(project, "--select=REQ0")
    assert (after.exit_code, after.out) == (0, [])
