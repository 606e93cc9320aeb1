"""Workspaces: uv's members, and the import names a local project packages."""

from __future__ import annotations

import pytest

from flake8_reqs.code.folders import clear_listings
from flake8_reqs.declared.workspace import Member, packaged_names, uv_members
from tests.conftest import make_project

UV_ROOT = (
    "[project]\nname = 'root'\nversion = '0'\n"
    "[tool.uv.workspace]\nmembers = ['packages/*']\nexclude = ['packages/old']\n"
)


def pyproject(name: str, extra: str = "") -> str:
    return f"[project]\nname = '{name}'\nversion = '1'\n{extra}"


def test_uv_members_from_a_member(tmp_path):
    make_project(
        tmp_path,
        {
            "pyproject.toml": UV_ROOT,
            "packages/b/pyproject.toml": pyproject("Acme_B"),
            "packages/a/pyproject.toml": pyproject("acme-a"),
            "packages/old/pyproject.toml": pyproject("old"),
            "packages/notes/README": "not a project\n",
        },
    )
    assert uv_members(tmp_path / "packages" / "a") == [
        Member("root", str(tmp_path)),
        Member("acme-a", str(tmp_path / "packages" / "a")),
        Member("acme-b", str(tmp_path / "packages" / "b")),
    ]


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("packages/old", id="an excluded folder"),
        pytest.param("tools/x", id="a folder the members do not name"),
    ],
)
def test_a_project_outside_the_members_has_no_workspace(tmp_path, where):
    make_project(
        tmp_path,
        {"pyproject.toml": UV_ROOT, f"{where}/pyproject.toml": pyproject("x")},
    )
    assert uv_members(tmp_path / where) == []


def test_no_workspace_above(tmp_path):
    make_project(tmp_path, {"app/pyproject.toml": pyproject("app")})
    assert uv_members(tmp_path / "app") == []


PACKAGED = [
    pytest.param(
        {"pyproject.toml": pyproject("acme-utils"), "src/acme/utils/__init__.py": ""},
        {"acme"},
        id="src layout",
    ),
    pytest.param(
        {
            "pyproject.toml": pyproject("acme-utils"),
            "acme_utils/__init__.py": "",
            "tests/__init__.py": "",
            "docs/conf.py": "",
            "setup.py": "",
            "conftest.py": "",
        },
        {"acme_utils"},
        id="flat layout without tests, docs and setup files",
    ),
    pytest.param(
        {"pyproject.toml": pyproject("one"), "single.py": ""},
        {"single"},
        id="a single module",
    ),
    pytest.param(
        {
            "pyproject.toml": pyproject("x", "[tool.setuptools]\npackages = ['lib', 'lib.sub']\n"),
            "lib/__init__.py": "",
            "other/__init__.py": "",
        },
        {"lib"},
        id="setuptools packages",
    ),
    pytest.param(
        {
            "pyproject.toml": pyproject(
                "x", "[tool.hatch.build.targets.wheel]\npackages = ['src/acme_models']\n"
            )
        },
        {"acme_models"},
        id="hatch wheel packages",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.poetry]\nname = 'x'\n"
            "packages = [{ include = 'shared', from = 'src' }]\n"
        },
        {"shared"},
        id="poetry packages",
    ),
    pytest.param(
        {
            "setup.cfg": "[metadata]\nname = x\n"
            "[options]\npackages = corp, corp.sub\npy_modules = one\n"
        },
        {"corp", "one"},
        id="setup.cfg packages and py_modules",
    ),
    pytest.param(
        {"pyproject.toml": pyproject("x"), "tests/test_x.py": "", "docs/index.md": ""},
        set(),
        id="nothing packaged",
    ),
]


@pytest.mark.parametrize(("files", "names"), PACKAGED)
def test_packaged_names(tmp_path, files, names):
    make_project(tmp_path, files)
    clear_listings()
    assert packaged_names(str(tmp_path)) == names
