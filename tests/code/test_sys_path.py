"""path_additions: the folders a module puts on sys.path itself, read without running it."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_reqs.code.sys_path import PathAddition, path_additions

FILE = "/repo/tools/scripts/run.py"
ROOT = Path("/repo")


def folders(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(textwrap.dedent(source))
    return [(added.line, added.folder(FILE, ROOT)) for added in path_additions(tree)]


FOLLOWED = [
    pytest.param("import sys\nsys.path.insert(0, 'lib')\n", [(2, "/repo/lib")], id="a literal"),
    pytest.param("import sys\nsys.path.append('/opt/x')\n", [(2, "/opt/x")], id="absolute"),
    pytest.param(
        "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n",
        [(2, "/repo/tools/scripts")],
        id="dirname of __file__",
    ),
    pytest.param(
        "import os, sys\n"
        "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))\n",
        [(2, "/repo/tools")],
        id="os.path.join with '..'",
    ),
    pytest.param(
        "import os, sys\nHERE = os.path.dirname(os.path.realpath(__file__))\n"
        "sys.path.append(os.path.join(HERE, 'vendor'))\n",
        [(3, "/repo/tools/scripts/vendor")],
        id="through a module-level name",
    ),
    pytest.param(
        "import sys\nfrom pathlib import Path\n"
        "sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'src'))\n",
        [(3, "/repo/src")],
        id="pathlib parents and /",
    ),
    pytest.param(
        "import sys, pathlib\nBASE: pathlib.Path = pathlib.Path(__file__).parent.parent\n"
        "sys.path.append(str(BASE.joinpath('lib', 'py')))\n",
        [(3, "/repo/tools/lib/py")],
        id="an annotated name and joinpath",
    ),
    pytest.param(
        "import sys\nif True:\n    try:\n        sys.path.insert(0, 'a')\n"
        "    except Exception:\n        sys.path.insert(0, 'b')\n",
        [(4, "/repo/a"), (6, "/repo/b")],
        id="in module-level if and try blocks",
    ),
]

NOT_FOLLOWED = [
    pytest.param("import sys\ndef f():\n    sys.path.insert(0, 'lib')\n", id="in a function"),
    pytest.param("import sys\nclass C:\n    sys.path.append('lib')\n", id="in a class"),
    pytest.param("import os, sys\nsys.path.insert(0, os.getcwd())\n", id="the run's directory"),
    pytest.param("import sys\nsys.path.insert(0, FOLDER)\n", id="a name never assigned"),
    pytest.param("import sys\nsys.path.insert(0, f'{x}/lib')\n", id="an f-string"),
    pytest.param("import sys\nsys.path.extend(['lib'])\n", id="extend"),
    pytest.param("import sys\nsys.path.insert('lib')\n", id="insert without a position"),
    pytest.param("import sys\npath.insert(0, 'lib')\n", id="not sys.path"),
    pytest.param(
        "import os, sys\nsys.path.append(os.path.join('a', os.path.dirname(__file__)))\n",
        id="__file__ after a literal",
    ),
    # Was a RecursionError: an expression a thousand deep is not one that can be followed.
    pytest.param(
        "import sys\nsys.path.insert(0, __file__" + " / 'lib'" * 1200 + ")\n",
        id="a path 1200 parts deep",
    ),
    pytest.param(
        "import sys\nLIB = __file__" + " / 'lib'" * 1200 + "\nsys.path.insert(0, LIB)\n",
        id="a name bound to a path 1200 parts deep",
    ),
    pytest.param(
        "import sys\n" + ".".join(["sys"] * 1200) + ".path.insert(0, 'lib')\n",
        id="an attribute chain 1200 long",
    ),
]


@pytest.mark.parametrize(("source", "expected"), FOLLOWED)
def test_followed(source, expected):
    assert folders(source) == expected


@pytest.mark.parametrize("source", NOT_FOLLOWED)
def test_not_followed(source):
    assert folders(source) == []


def test_additions_are_values_that_store_the_path_from_the_file():
    tree = ast.parse("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n")
    assert path_additions(tree) == (PathAddition(2, True, ".."),)
