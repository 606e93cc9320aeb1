"""The import skeleton gives exactly the imports a full parse gives, or declines.

``check`` reads imports from skeletons (flake8_reqs/code/skeleton.py). A scanner that is wrong
gives wrong findings, not slowness, so each case compares with a parse of the whole file,
and a differential run holds it to the full parse on every module of the standard library
and the installed packages. tests/code/test_skeleton_fuzz.py generates programs.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
from pathlib import Path

import pytest

import flake8_reqs
from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import extract_imports, lines_mentioning_import
from flake8_reqs.code.skeleton import Unsure, import_skeleton, source_imports

TARGET = Target((3, 11), "linux")
UNKNOWN = Target(None, "linux")  # version guards take every branch


def full_parse(source: bytes, target: Target = TARGET):
    return extract_imports(ast.parse(source), target, relative=True)


def found(source: bytes):
    return [(ref.module, ref.line, ref.col, ref.guarded) for ref in source_imports(source, TARGET)]


# Each program is read by the scanner (no Unsure, and its skeleton parses).
SCANNED = [
    pytest.param(
        '"""Usage:\n\nimport magic\nfrom PIL import Image\n"""\nimport os\n',
        [("os", 6, 0, False)],
        id="imports in a module docstring at column 0 are text",
    ),
    pytest.param(
        "def f():\n    '''\n    >>> import numpy\n    '''\n    return 1\n",
        [],
        id="a doctest in a docstring is text",
    ),
    pytest.param(
        '# a comment with """ and \' and import x\nimport a\n',
        [("a", 2, 0, False)],
        id="quotes and import in a comment",
    ),
    pytest.param(
        'x = \'#\'; import a\ny = "\\" import b"\n',
        [("a", 1, 9, False)],
        id="a hash in a string and an escaped quote",
    ),
    pytest.param(
        "x = 'one \\\ntwo import c'\nimport d\n",
        [("d", 3, 0, False)],
        id="a backslash newline inside a one-line string",
    ),
    pytest.param(
        "from a import (\n    b,\n    c,\n)\nx = [\n    i\n    if i else 0\n    for i in y\n]\n",
        [("a", 1, 0, False)],
        id="bracketed lines and a comprehension's if are not statements",
    ),
    pytest.param(
        "x = 1 + \\\n    2\nimport e\n",
        [("e", 3, 0, False)],
        id="a backslash continuation",
    ),
    pytest.param(
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n",
        [("yaml", 2, 4, True)],
        id="the except clause of a guarded import is kept",
    ),
    pytest.param(
        "if x:\n    y = 1\nelif z:\n    w = 2\nelse:\n    import k\n",
        [("k", 6, 4, False)],
        id="an import in the else of an if chain",
    ),
    pytest.param(
        "for i in x:\n    pass\nelse:\n    import k\nwhile y:\n    z()\nelse:\n    import m\n",
        [("k", 4, 4, False), ("m", 8, 4, False)],
        id="the else of a for and of a while",
    ),
    pytest.param(
        "import contextlib\nwith contextlib.suppress(ImportError):\n    import n\n",
        [("contextlib", 1, 0, False), ("n", 3, 4, True)],
        id="suppress(ImportError) guards",
    ),
    pytest.param(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import only_types\n",
        [("typing", 1, 0, False)],
        id="TYPE_CHECKING blocks are skipped as in a full parse",
    ),
    pytest.param(
        "import sys\nif sys.platform == 'win32':\n    import winreg\nelse:\n    import fcntl\n",
        [("sys", 1, 0, False), ("fcntl", 5, 4, False)],
        id="platform guards evaluated on the kept headers",
    ),
    pytest.param(
        "class A:\n    'Doc.'\n    # comment\n\n    def f(\n        self,\n        x=(1,\n 2),\n"
        "    ):  # note\n        x = 1\n        import p\n",
        [("p", 11, 8, False)],
        id="a one-line docstring, a comment and a multi-line signature",
    ),
    pytest.param(
        "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        import q\n",
        [("q", 6, 8, False)],
        id="a method without imports is dropped",
    ),
    pytest.param(
        "@decorate(\n    importlib.import_module('r'),\n)\ndef f():\n    return 1\n",
        [("r", 2, 4, False)],
        id="a decorator that imports keeps its definition",
    ),
    pytest.param(
        "if x: import s\ntry: import t\nexcept ImportError: pass\nx = 1; import u\n",
        [("s", 1, 6, False), ("t", 2, 5, True), ("u", 4, 7, False)],
        id="statements on the header's line",
    ),
    pytest.param(
        "async def f():\n    async with a:\n        import v\n    await g(__import__('w'))\n",
        [("v", 3, 8, False), ("w", 4, 12, False)],
        id="async blocks and a dynamic import",
    ),
    pytest.param(
        '"""Doc."""\nfrom __future__ import annotations\nimport x\n',
        [("x", 3, 0, False)],
        id="a future import after the docstring",
    ),
    pytest.param(
        "# -*- coding: latin-1 -*-\ns = '\xe9'\nimport y\n",
        [("y", 3, 0, False)],
        id="an encoding declaration is kept",
    ),
    pytest.param(
        "def f():\r\n    x = 1\r\n    import z\r\n",
        [("z", 3, 4, False)],
        id="CRLF line ends",
    ),
    pytest.param(
        "x = f'{a!r:>{width}} {{import}}'\nimport aa\n",
        [("aa", 2, 0, False)],
        id="an f-string with nested fields",
    ),
    pytest.param(
        "importlib_thing = 1\nreimported = 2\n",
        [],
        id="names that contain import are no imports",
    ),
    pytest.param(
        "from importlib.util import find_spec\n\nHAS_X = find_spec('x') is not None\n"
        "if HAS_X:\n    import x\n",
        [("importlib.util", 1, 0, False), ("x", 5, 4, True)],
        id="a probe bound to a name on a line without import",
    ),
    pytest.param(
        "def f():\n    spec = find_spec('x')\n    y = 1\n    if spec is not None:\n"
        "        import x\n",
        [("x", 5, 8, True)],
        id="a probe bound inside a function",
    ),
    pytest.param(
        "import typing as t\nx = 1\nif t.TYPE_CHECKING:\n    import a\nelse:\n    import b\n",
        [("typing", 1, 0, False), ("b", 6, 4, False)],
        id="TYPE_CHECKING through a module alias",
    ),
    pytest.param(
        "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\n"
        "else:\n    import tomli\n",
        [("sys", 1, 0, False), ("tomllib", 3, 4, False)],
        id="a version guard",
    ),
]


@pytest.mark.parametrize(("source", "expected"), SCANNED)
def test_the_scanner_reads_the_imports_a_full_parse_reads(source, expected):
    data = source.encode("latin-1" if "coding: latin-1" in source else "utf-8")
    skeleton = import_skeleton(data)  # raises Unsure if the scanner declined
    if skeleton is not None:
        ast.parse(skeleton)
    assert found(data) == expected
    assert source_imports(data, TARGET) == full_parse(data)
    assert source_imports(data, UNKNOWN) == full_parse(data, UNKNOWN)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10")
def test_the_cases_of_a_match_go_together():
    data = b"match x:\n    case 1:\n        y = 2\n    case _:\n        import z\n"
    assert import_skeleton(data) is not None
    assert found(data) == [("z", 5, 8, False)]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"if x:\n\timport a\n", id="tab indentation"),
        pytest.param(b"x = 'open\nimport a\n", id="an unterminated string"),
        pytest.param(b"x = (1,\nimport a\n", id="a bracket left open"),
        pytest.param(b"x = 1)\nimport a\n", id="a bracket that closes nothing"),
        pytest.param(
            b"@d(importlib.import_module('a'))\n", id="a decorator without its definition"
        ),
        pytest.param(b"import a\rimport b\r", id="carriage returns alone"),
    ],
)
def test_the_scanner_declines_what_it_cannot_be_sure_of(source):
    with pytest.raises(Unsure):
        import_skeleton(source)


# After the last import, the scanner reads on only to the first statement at the margin
# that begins no clause: nothing after it can make the scanner unsure or hide an import.
AFTER_THE_IMPORTS = [
    pytest.param(b"import a\nx = 'open\n", id="an unterminated string"),
    pytest.param(b"import a\nx = (1,\n", id="a bracket left open"),
    pytest.param(b"import a\nx = 1)\n", id="a bracket that closes nothing"),
    pytest.param(b"import a\nif x:\n\ty = 1\n", id="tab indentation"),
    pytest.param(b"import a\nx = 1\n\\\nif y:\n    pass\n", id="a lone backslash"),
]


@pytest.mark.parametrize("source", AFTER_THE_IMPORTS)
def test_what_follows_the_imports_does_not_make_the_scanner_unsure(source):
    skeleton = import_skeleton(source)
    assert skeleton is not None
    ast.parse(skeleton)
    assert found(source) == [("a", 1, 0, False)]


# Where the first line at the margin after the last import does not end the imports'
# blocks: the scanner reads on, or reads the whole file, and finds what a full parse finds.
NOT_A_CUT = [
    pytest.param(
        b"try:\n    import a\nexcept ImportError:\n    a = None\nx = 1\n",
        [("a", 2, 4, True)],
        id="an except clause at the margin",
    ),
    pytest.param(
        b"if x:\n    import a\nelse:\n    a = None\nelif_ = 1\n",
        [("a", 2, 4, False)],
        id="an else clause, then a name that begins with a keyword",
    ),
    pytest.param(
        b"from a import (\n    b,\n)\nx = 1\n",
        [("a", 1, 0, False)],
        id="a closing bracket at the margin",
    ),
    pytest.param(
        b"from a import (\nb,\n)\nx = 1\n",
        [("a", 1, 0, False)],
        id="a name inside the brackets at the margin",
    ),
    pytest.param(
        b"import a, \\\nb\nx = 1\n",
        [("a", 1, 0, False), ("b", 1, 0, False)],
        id="a line after a backslash",
    ),
    pytest.param(
        b"import a, \\\r\nb\r\nx = 1\r\n",
        [("a", 1, 0, False), ("b", 1, 0, False)],
        id="a line after a backslash and a carriage return",
    ),
    pytest.param(
        b"import a\nx = '''\ntext at the margin\n'''\n",
        [("a", 1, 0, False)],
        id="a string that spans lines",
    ),
    pytest.param(
        b"@decorate(\n    importlib.import_module('r'),\n)\nclass A:\n    pass\n",
        [("r", 2, 4, False)],
        id="the definition that a decorator that imports decorates",
    ),
    pytest.param(
        b"def f():\n    import a\n\n\n# a comment\nclass A:\n    x = '''\nimport b\n'''\n",
        [("a", 2, 4, False)],
        id="the last mention in a string",
    ),
]


@pytest.mark.parametrize(("source", "expected"), NOT_A_CUT)
def test_the_scanner_reads_on_where_the_margin_does_not_end_the_imports(source, expected):
    skeleton = import_skeleton(source)
    assert skeleton is not None
    ast.parse(skeleton)
    assert found(source) == expected
    assert source_imports(source, TARGET) == full_parse(source)


def test_a_file_whose_code_never_mentions_import_has_no_skeleton():
    assert import_skeleton(b'"""import os"""\n# import sys\nx = 1\n') is None


def test_a_syntax_error_among_the_imports_is_raised():
    with pytest.raises(SyntaxError) as raised:
        source_imports(b"import a\nimport (\n", TARGET)
    assert raised.value.lineno == 2


def test_a_syntax_error_away_from_the_imports_does_not_hide_them():
    assert found(b"import a\nx = = 1\n") == [("a", 1, 0, False)]


def _python_files(roots):
    for root in roots:
        yield from sorted(path for path in Path(root).rglob("*.py"))


def _differences(paths, target=TARGET):
    """Files where the scanner's imports differ from the full parse's, and how many files
    it was sure of (a file the full parse rejects is not compared). The walk that skips
    what mentions no import (the plugin's, given flake8's tree) is held to it as well."""
    differences, sure = [], 0
    for path in paths:
        data = path.read_bytes()
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            continue
        expected = extract_imports(tree, target, relative=True)
        lines = lines_mentioning_import(data)
        if extract_imports(tree, target, relative=True, import_lines=lines) != expected:
            differences.append(f"{path} (walk)")
        try:
            skeleton = import_skeleton(data)
            if skeleton is not None:
                ast.parse(skeleton)
            sure += 1
        except (Unsure, SyntaxError):
            pass
        if source_imports(data, target) != expected:
            differences.append(str(path))
    return differences, sure


@pytest.mark.parametrize("target", [TARGET, UNKNOWN], ids=["3.11", "unknown version"])
def test_the_scanner_agrees_with_a_full_parse_on_this_package(target):
    paths = list(_python_files([Path(flake8_reqs.__file__).parent, Path(__file__).parent]))
    differences, sure = _differences(paths, target)
    assert differences == []
    assert sure > len(paths) * 0.95


@pytest.mark.slow
@pytest.mark.parametrize("target", [TARGET, UNKNOWN], ids=["3.11", "unknown version"])
def test_the_scanner_agrees_with_a_full_parse_on_the_standard_library_and_site_packages(target):
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    paths = [
        *(path for path in _python_files([stdlib]) if "site-packages" not in path.parts),
        *_python_files([sysconfig.get_paths()["purelib"]]),
    ]
    differences, sure = _differences(paths, target)
    assert differences == []
    assert len(paths) > 1000
    assert sure > len(paths) * 0.95


@pytest.mark.parametrize(
    ("source", "modules", "lines"),
    [
        pytest.param(
            b"import os, sys\nBASE = os.path.dirname(__file__)\nAPPS = BASE + '/apps'\n"
            b"LIB = os.path.join(BASE, 'lib')\nsys.path.insert(0, LIB)\nimport app\n",
            ["os", "sys", "app"],
            [5],
            id="through assignments the skeleton drops",
        ),
        pytest.param(
            b"import sys\nsys.path.append('lib')\nx = = 1\n",
            ["sys"],
            [],
            id="a syntax error away from the imports: no additions, the imports still read",
        ),
        pytest.param(b"import os\nx = 1\n", ["os"], [], id="no sys.path"),
    ],
)
def test_read_imports_gives_the_sys_path_additions(source, modules, lines):
    from flake8_reqs.code.skeleton import read_imports

    refs, additions = read_imports(source, TARGET)
    assert [ref.module for ref in refs] == modules
    assert [addition.line for addition in additions] == lines
