"""The project's import graph: Python's import semantics, and the shortest chain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_reqs.code.graph import ImportGraph, Step, entry_file, module_file
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import extract_imports
from flake8_reqs.errors import ReqsInputError
from tests.conftest import make_project

TARGET = Target((3, 12), "linux")
DEPLOY_STORY = Path(__file__).resolve().parents[2] / "examples" / "deploy-story"


def read_imports(root):
    return {
        path: extract_imports(ast.parse(path.read_text(encoding="utf-8")), TARGET, relative=True)
        for path in sorted(root.rglob("*.py"))
    }


def shown_chains(root, entries):
    """``{file: ["importer:line", ...]}`` for every file reachable from ``entries``."""
    found = ImportGraph(root, read_imports(root)).chains([entry_file(e, root) for e in entries])
    return {
        path.relative_to(root).as_posix(): [f"{step.path}:{step.line}" for step in steps]
        for path, steps in found.items()
    }


def test_deploy_story():
    assert shown_chains(DEPLOY_STORY, ["main.py"]) == {
        "main.py": [],
        "src/__init__.py": ["main.py:1"],
        "src/api/__init__.py": ["main.py:1"],
        "src/api/main.py": ["main.py:1"],
        "src/api/websocket.py": ["main.py:1", "src/api/main.py:3"],
        "src/utils/__init__.py": ["main.py:1", "src/api/main.py:3", "src/api/websocket.py:3"],
        "src/utils/auth.py": ["main.py:1", "src/api/main.py:3", "src/api/websocket.py:3"],
        "src/utils/validators.py": [
            "main.py:1",
            "src/api/main.py:3",
            "src/api/websocket.py:3",
            "src/utils/__init__.py:1",
        ],
        "src/settings.py": [
            "main.py:1",
            "src/api/main.py:3",
            "src/api/websocket.py:3",
            "src/utils/auth.py:3",
        ],
        "src/utils/images.py": [
            "main.py:1",
            "src/api/main.py:3",
            "src/api/websocket.py:3",
            "src/utils/__init__.py:1",
            "src/utils/validators.py:7",
        ],
    }


def test_chains_are_steps_keyed_by_the_given_paths(tmp_path):
    make_project(tmp_path, {"main.py": "\nimport app\n", "app.py": ""})
    graph = ImportGraph(tmp_path, read_imports(tmp_path))
    assert graph.chains([tmp_path / "main.py"]) == {
        tmp_path / "main.py": (),
        tmp_path / "app.py": (Step("main.py", 2),),
    }


CHAINS = [
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
            "main.py": "from pkg import helper, VERSION\n",
            "pkg/__init__.py": "from pkg.core import VERSION\n",
            "pkg/core.py": "VERSION = 1\n",
            "pkg/helper.py": "",
        },
        {
            "main.py": [],
            "pkg/__init__.py": ["main.py:1"],
            "pkg/helper.py": ["main.py:1"],
            "pkg/core.py": ["main.py:1", "pkg/__init__.py:1"],
        },
        id="from pkg import submodule, and a name the __init__ re-exports",
    ),
    pytest.param(
        {"main.py": "from pkg import *\n", "pkg/__init__.py": "", "pkg/mod.py": ""},
        {"main.py": [], "pkg/__init__.py": ["main.py:1"]},
        id="from pkg import * runs only the package",
    ),
    pytest.param(
        {
            "main.py": "import a.b.c.d\n",
            "a/__init__.py": "",
            "a/b/__init__.py": "",
            "a/b/c/__init__.py": "",
            "a/b/c/d.py": "from . import e\nfrom ..f import x\nfrom ...g import h\n",
            "a/b/c/e.py": "",
            "a/b/f.py": "x = 1\n",
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
        {"main.py": "import pkg\n", "pkg/__init__.py": "from . import views\n", "pkg/views.py": ""},
        {
            "main.py": [],
            "pkg/__init__.py": ["main.py:1"],
            "pkg/views.py": ["main.py:1", "pkg/__init__.py:1"],
        },
        id="from . import x in an __init__ is the package's own submodule",
    ),
    pytest.param(
        {
            "main.py": "import pkg.mod\n",
            "pkg/__init__.py": "",
            "pkg/mod.py": "from .. import other\n",
            "other.py": "",
        },
        {"main.py": [], "pkg/__init__.py": ["main.py:1"], "pkg/mod.py": ["main.py:1"]},
        id="a relative import beyond the top-level package runs nothing",
    ),
    pytest.param(
        {"main.py": "from . import sibling\n", "sibling.py": ""},
        {"main.py": []},
        id="a relative import in the script itself runs nothing",
    ),
    pytest.param(
        {
            "main.py": "import pkg.mod\nimport src.pkg.mod\n",
            "src/pkg/__init__.py": "",
            "src/pkg/mod.py": "from .. import helper\n",
            "src/helper.py": "",
        },
        {
            "main.py": [],
            "src/pkg/__init__.py": ["main.py:1"],
            "src/pkg/mod.py": ["main.py:1"],
            "src/helper.py": ["main.py:2", "src/pkg/mod.py:1"],
        },
        id="relative imports follow the name a module was imported as",
    ),
    pytest.param(
        {"main.py": "import app.server\n", "src/app/__init__.py": "", "src/app/server.py": ""},
        {"main.py": [], "src/app/__init__.py": ["main.py:1"], "src/app/server.py": ["main.py:1"]},
        id="src layout",
    ),
    pytest.param(
        {"main.py": "import ns.a\nimport ns.b\n", "ns/a.py": "", "src/ns/b.py": ""},
        {"main.py": [], "ns/a.py": ["main.py:1"], "src/ns/b.py": ["main.py:2"]},
        id="a namespace package spans the folders of sys.path",
    ),
    pytest.param(
        {
            "main.py": "import pkg.mod\n",
            "pkg/__init__.py": "",
            "src/pkg/__init__.py": "",
            "src/pkg/mod.py": "",
        },
        {"main.py": [], "pkg/__init__.py": ["main.py:1"]},
        id="a regular package hides a later one of the same name",
    ),
    pytest.param(
        {"main.py": "import pkg\n", "pkg/__init__.py": "", "pkg.py": ""},
        {"main.py": [], "pkg/__init__.py": ["main.py:1"]},
        id="a package wins over a module of the same name",
    ),
    pytest.param(
        {
            "main.py": "import a\n",
            "a.py": "import b\n",
            "b.py": "import a\nimport main\n",
        },
        {"main.py": [], "a.py": ["main.py:1"], "b.py": ["main.py:1", "a.py:1"]},
        id="cycles end",
    ),
    pytest.param(
        {
            "main.py": "import os\nimport requests\nimport missing\nimport pkg.missing\n",
            "pkg/__init__.py": "from pkg import absent\n",
        },
        {"main.py": [], "pkg/__init__.py": ["main.py:4"]},
        id="stdlib, third-party and missing modules are no edges",
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
        {"main.py": "import a\nimport b\n", "a.py": "import c\n", "b.py": "import c\n", "c.py": ""},
        {
            "main.py": [],
            "a.py": ["main.py:1"],
            "b.py": ["main.py:2"],
            "c.py": ["main.py:1", "a.py:1"],
        },
        id="between equal chains the first in source order wins",
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


@pytest.mark.parametrize(("files", "expected"), CHAINS)
def test_chains(tmp_path, files, expected):
    assert shown_chains(make_project(tmp_path, files), ["main.py"]) == expected


ENTRIES = [
    pytest.param(
        ["bin/run.py"],
        {"bin/run.py": "import tool\n", "bin/tool.py": "", "tool.py": ""},
        {"bin/run.py": [], "bin/tool.py": ["bin/run.py:1"]},
        id="the script's own folder comes first on sys.path",
    ),
    pytest.param(
        ["one.py", "two.py"],
        {"one.py": "import shared\n", "two.py": "\nimport shared\n", "shared.py": ""},
        {"one.py": [], "two.py": [], "shared.py": ["one.py:1"]},
        id="between equal chains the first entry wins",
    ),
    pytest.param(
        ["main.py", "worker.py"],
        {"main.py": "import worker\n", "worker.py": ""},
        {"main.py": [], "worker.py": []},
        id="an entry imported by another is still an entry",
    ),
    pytest.param(
        ["app.main:app"],
        {
            "app/__init__.py": "import config\n",
            "app/main.py": "from .views import router\n",
            "app/views.py": "router = 1\n",
            "config.py": "",
        },
        {
            "app/__init__.py": [],
            "app/main.py": [],
            "app/views.py": ["app/main.py:1"],
            "config.py": ["app/__init__.py:1"],
        },
        id="an entry in a package runs as a module, after its __init__",
    ),
]


@pytest.mark.parametrize(("entries", "files", "expected"), ENTRIES)
def test_entries(tmp_path, entries, files, expected):
    assert shown_chains(make_project(tmp_path, files), entries) == expected


ENTRY_FILES = [
    pytest.param("main.py", "main.py", id="a file"),
    pytest.param("./main.py", "main.py", id="a file with a dot folder"),
    pytest.param("src/worker.py", "src/worker.py", id="a file in a folder"),
    pytest.param("main:app", "main.py", id="module:attr"),
    pytest.param("main", "main.py", id="a module"),
    pytest.param("app.worker", "src/app/worker.py", id="a dotted module in src"),
    pytest.param("app.worker:run", "src/app/worker.py", id="a dotted module:attr"),
    pytest.param("tool", "tool/__main__.py", id="a package runs its __main__"),
    pytest.param("tool:create", "tool/__init__.py", id="a package's attribute"),
]


@pytest.mark.parametrize(("spec", "expected"), ENTRY_FILES)
def test_entry_file(tmp_path, spec, expected):
    files = {
        "main.py": "app = 1\n",
        "src/worker.py": "",
        "src/app/__init__.py": "",
        "src/app/worker.py": "",
        "tool/__init__.py": "",
        "tool/__main__.py": "",
    }
    assert entry_file(spec, make_project(tmp_path, files)) == tmp_path / expected


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param("nope.py", id="no such file"),
        pytest.param("src/main.py", id="no such file in a folder"),
        pytest.param("nope:app", id="no such module"),
        pytest.param("main.nope", id="no such submodule"),
        pytest.param("ns", id="a namespace package has no file"),
        pytest.param("not-a-module", id="not a module name"),
    ],
)
def test_entry_not_found(tmp_path, spec):
    make_project(tmp_path, {"main.py": "", "ns/mod.py": ""})
    with pytest.raises(ReqsInputError) as raised:
        entry_file(spec, tmp_path)
    assert (raised.value.path, raised.value.line, str(raised.value)) == (
        spec,
        None,
        f"{spec}: entry point not found; give a file (main.py) or a module "
        "(main:app, package.module)",
    )


MODULE_FILES = [
    pytest.param("mod", "first/mod.py", id="a module"),
    pytest.param("pkg", "first/pkg/__init__.py", id="a package"),
    pytest.param("pkg.sub", "first/pkg/sub.py", id="a submodule"),
    pytest.param("twice", "first/twice.py", id="the first folder wins"),
    pytest.param("ns", None, id="a namespace package has no file"),
    pytest.param("ns.one", "first/ns/one.py", id="a namespace package's module"),
    pytest.param("ns.two", "second/ns/two.py", id="a namespace package spans folders"),
    pytest.param("pkg.hidden", None, id="a regular package is only its own folder"),
    pytest.param("mod.sub", None, id="a module has no submodules"),
    pytest.param("Mod", None, id="case matters"),
    pytest.param("missing", None, id="missing"),
    pytest.param("missing.sub", None, id="missing parent"),
]


@pytest.mark.parametrize(("name", "expected"), MODULE_FILES)
def test_module_file(tmp_path, name, expected):
    files = {
        "first/mod.py": "",
        "first/pkg/__init__.py": "",
        "first/pkg/sub.py": "",
        "first/twice.py": "",
        "first/ns/one.py": "",
        "second/twice.py": "",
        "second/ns/two.py": "",
        "second/pkg/hidden.py": "",
    }
    search_path = [make_project(tmp_path, files) / "first", tmp_path / "second"]
    assert module_file(name, search_path) == (None if expected is None else tmp_path / expected)


def test_imports_are_also_looked_for_in_the_roots_of_the_importing_file(tmp_path):
    # main.py imports tools/datasets/coco.py, whose `util.misc` is found in tools/ (the
    # import root that makes it first party), and misc's relative import beside it.
    make_project(
        tmp_path,
        {
            "main.py": "import tools.datasets.coco\n",
            "tools/datasets/__init__.py": "",
            "tools/datasets/coco.py": "\nfrom util.misc import collate\n",
            "tools/util/__init__.py": "",
            "tools/util/misc.py": "from . import shapes\n",
            "tools/util/shapes.py": "",
        },
    )
    asked = []

    def roots(path, line):
        asked.append((path.relative_to(tmp_path).as_posix(), line))
        return (tmp_path / "tools",) if "tools" in path.parts else ()

    graph = ImportGraph(tmp_path, read_imports(tmp_path), roots=roots)
    found = graph.chains([tmp_path / "main.py"])
    assert found[tmp_path / "tools/util/shapes.py"] == (
        Step("main.py", 1),
        Step("tools/datasets/coco.py", 2),
        Step("tools/util/misc.py", 1),
    )
    assert ("tools/datasets/coco.py", 2) in asked
    without = ImportGraph(tmp_path, read_imports(tmp_path)).chains([tmp_path / "main.py"])
    assert tmp_path / "tools/util/misc.py" not in without
