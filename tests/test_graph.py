"""The project's import graph: Python's import semantics, and the shortest chain."""

from __future__ import annotations

import ast

import pytest

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.graph import ImportGraph, entry_file
from flake8_reqs.guards import Target
from flake8_reqs.imports import extract_imports
from tests.conftest import make_project

TARGET = Target((3, 12), "linux")


def chains(root, entries, files):
    make_project(root, files)
    imports = {}
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports[path.resolve()] = extract_imports(tree, TARGET, relative=True)
    graph = ImportGraph(root.resolve(), imports)
    found = graph.chains([entry_file(entry, root.resolve()) for entry in entries])
    return {
        path.relative_to(root.resolve()).as_posix(): [f"{s.path}:{s.line}" for s in steps]
        for path, steps in found.items()
    }


CASES = [
    pytest.param(
        {
            "main.py": "import pkg.sub.mod\n",
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/mod.py": "",
        },
        {
            "main.py": [],
            "pkg/__init__.py": ["main.py:1"],
            "pkg/sub/__init__.py": ["main.py:1"],
            "pkg/sub/mod.py": ["main.py:1"],
        },
        id="import a.b.c runs every package __init__ on the way",
    ),
    pytest.param(
        {
            "main.py": "from pkg import helper\n",
            "pkg/__init__.py": "from .core import x\n",
            "pkg/core.py": "x = 1\n",
            "pkg/helper.py": "",
        },
        {
            "main.py": [],
            "pkg/__init__.py": ["main.py:1"],
            "pkg/helper.py": ["main.py:1"],
            "pkg/core.py": ["main.py:1", "pkg/__init__.py:1"],
        },
        id="from pkg import submodule, and an __init__ re-export",
    ),
    pytest.param(
        {
            "main.py": "import a.b.c.d\n",
            "a/__init__.py": "",
            "a/b/__init__.py": "",
            "a/b/c/__init__.py": "",
            "a/b/c/d.py": "from . import e\nfrom .. import f\nfrom ...g import h\n",
            "a/b/c/e.py": "",
            "a/b/f.py": "",
            "a/g/__init__.py": "",
            "a/g/h.py": "",
        },
        {
            "main.py": [],
            "a/__init__.py": ["main.py:1"],
            "a/b/__init__.py": ["main.py:1"],
            "a/b/c/__init__.py": ["main.py:1"],
            "a/b/c/d.py": ["main.py:1"],
            "a/b/c/e.py": ["main.py:1", "a/b/c/d.py:1"],
            "a/b/f.py": ["main.py:1", "a/b/c/d.py:2"],
            "a/g/__init__.py": ["main.py:1", "a/b/c/d.py:3"],
            "a/g/h.py": ["main.py:1", "a/b/c/d.py:3"],
        },
        id="relative imports at depth 1, 2 and 3",
    ),
    pytest.param(
        {"main.py": "import app.server\n", "src/app/__init__.py": "", "src/app/server.py": ""},
        {"main.py": [], "src/app/__init__.py": ["main.py:1"], "src/app/server.py": ["main.py:1"]},
        id="src layout",
    ),
    pytest.param(
        {"main.py": "import a\n", "a.py": "import b\n", "b.py": "import a\nimport missing.mod\n"},
        {"main.py": [], "a.py": ["main.py:1"], "b.py": ["main.py:1", "a.py:1"]},
        id="cycle, and a missing module",
    ),
    pytest.param(
        {
            "main.py": "import long1\nimport short\n",
            "long1.py": "import long2\n",
            "long2.py": "import target\n",
            "short.py": "import target\n",
            "target.py": "",
        },
        {
            "main.py": [],
            "long1.py": ["main.py:1"],
            "short.py": ["main.py:2"],
            "long2.py": ["main.py:1", "long1.py:1"],
            "target.py": ["main.py:2", "short.py:1"],
        },
        id="the shortest chain wins over the first found",
    ),
    pytest.param(
        {
            "main.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import heavy\n",
            "heavy.py": "",
        },
        {"main.py": []},
        id="TYPE_CHECKING imports are no edges",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_chains(tmp_path, files, expected):
    assert chains(tmp_path, ["main.py"], files) == expected


@pytest.mark.parametrize("entry", ["main.py", "main:app", "main"])
def test_entry_forms(tmp_path, entry):
    make_project(tmp_path, {"main.py": "app = 1\n"})
    assert entry_file(entry, tmp_path) == (tmp_path / "main.py").resolve()


def test_entry_as_package_module(tmp_path):
    make_project(tmp_path, {"src/app/__init__.py": "", "src/app/worker.py": ""})
    assert entry_file("app.worker", tmp_path) == (tmp_path / "src/app/worker.py").resolve()


def test_missing_entry(tmp_path):
    with pytest.raises(ReqsInputError) as raised:
        entry_file("nope:app", tmp_path)
    assert str(raised.value) == "nope:app: entry point not found: give a file or a module[:attr]"
