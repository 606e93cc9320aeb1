"""extract_imports on code shapes that break naive walkers."""

from __future__ import annotations

import ast
import sys

import pytest

from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import extract_imports, lines_mentioning_import

TARGET = Target((3, 12), "linux")


def test_deeply_nested_expressions_do_not_exhaust_the_recursion_limit():
    # sympy and generated code nest expressions deeper than Python's recursion limit;
    # the walk used to raise RecursionError, which flake8 reports as a plugin crash.
    source = "import magic\nx = " + "+".join(["1"] * 2500) + "\nimport yaml\n"
    refs = extract_imports(ast.parse(source), TARGET)
    assert [(ref.module, ref.line) for ref in refs] == [("magic", 1), ("yaml", 3)]


def test_source_order_and_guards_survive_the_iterative_walk():
    source = (
        "import a\n"
        "try:\n    import b\nexcept ImportError:\n    import c\n"
        "def f():\n    import d\n"
        "if sys.version_info < (3, 0):\n    import e\nelse:\n    import f2\n"
    )
    refs = extract_imports(ast.parse(source), TARGET)
    assert [(ref.module, ref.guarded) for ref in refs] == [
        ("a", False),
        ("b", True),
        ("c", False),
        ("d", False),
        ("f2", False),
    ]


# Every statement that holds statements, each with an import inside, and the other places
# an import can hide: the walk that skips what mentions no import must find what the full
# walk finds.
NESTED = {
    "def": "def f():\n    import a\n",
    "async def": "async def f():\n    import a\n",
    "class": "class C:\n    import a\n",
    "method": "class C:\n    def m(self):\n        x = 1\n        import a\n",
    "decorated": "@decorator(1)\ndef f(x=2):\n    import a\n",
    "for else": "for x in y:\n    pass\nelse:\n    import a\n",
    "async for": "async def f():\n    async for x in y:\n        import a\n",
    "while": "while x:\n    import a\n",
    "with": "with open(p) as f:\n    import a\n",
    "async with": "async def f():\n    async with x:\n        import a\n",
    "try finally": "try:\n    pass\nfinally:\n    import a\n",
    "try else": "try:\n    pass\nexcept OSError:\n    pass\nelse:\n    import a\n",
    "except body": "try:\n    pass\nexcept OSError:\n    import a\n",
    "match": "match x:\n    case 1:\n        import a\n",
    "if else": "if x:\n    pass\nelif y:\n    import a\n",
    "one line": "if x: import a\n",
    "after a semicolon": "x = 1; import a\n",
    "continued": "from a \\\n    import b\n",
    "parenthesised": "from a import (\n    b,\n    c,\n)\n",
    "dynamic": "def f():\n    return importlib.import_module('a')\n",
    "dynamic, spread over lines": "x = [\n    __import__(\n        'a'\n    ),\n]\n",
}


NEEDS_310 = pytest.mark.skipif(sys.version_info < (3, 10), reason="match is new in 3.10")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(text, id=name, marks=NEEDS_310 if name == "match" else ())
        for name, text in NESTED.items()
    ],
)
def test_skipping_what_mentions_no_import_finds_every_import(source):
    tree = ast.parse(source)
    everything = extract_imports(tree, TARGET)
    assert everything  # each case has an import to find
    for given in (source.encode(), source.splitlines(keepends=True)):
        lines = lines_mentioning_import(given)
        assert extract_imports(tree, TARGET, import_lines=lines) == everything


def test_suppress_guards_an_async_with_body_too():
    source = "async def f():\n    async with suppress(ImportError):\n        import a\n"
    lines = lines_mentioning_import(source.encode())
    for import_lines in (lines, None):
        refs = extract_imports(ast.parse(source), TARGET, import_lines=import_lines)
        assert [(ref.module, ref.guarded) for ref in refs] == [("a", True)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\nx = 1\n\nfrom a import b\n", [1, 4]),
        ("x = 1\ny = important\n", [2]),  # a superset is fine: it only costs speed
        ('"""\nimport not_code\n"""\n', [2]),
        ("import a; import b\n", [1]),
        ("", []),
    ],
)
def test_lines_mentioning_import(source, expected):
    assert lines_mentioning_import(source.encode()) == expected
    assert lines_mentioning_import(source.splitlines(keepends=True)) == expected


@pytest.mark.parametrize(
    ("source", "fallbacks"),
    [
        pytest.param(
            "try:\n    from .helpers import x\nexcept ImportError:\n    from helpers import x\n",
            ["helpers"],
            id="from-import tried relatively first",
        ),
        pytest.param(
            "try:\n    from . import util\nexcept ModuleNotFoundError:\n    import util.more\n",
            ["util.more"],
            id="from . import name, then the absolute module",
        ),
        pytest.param(
            "try:\n    from ..a import b\nexcept (ValueError, ImportError):\n    from a import b\n",
            ["a"],
            id="two dots and a tuple of exceptions",
        ),
        pytest.param(
            "try:\n    from .helpers import x\nexcept ImportError:\n    import yaml\n",
            [],
            id="another module in the handler",
        ),
        pytest.param(
            "try:\n    from .helpers import x\nexcept KeyError:\n    from helpers import x\n",
            [],
            id="a handler that does not catch ImportError",
        ),
        pytest.param(
            "try:\n    import helpers\nexcept ImportError:\n    from helpers import x\n",
            [],
            id="an absolute import tried first",
        ),
        pytest.param(
            "try:\n    from .helpers import x\nexcept ImportError:\n    pass\n"
            "from helpers import y\n",
            [],
            id="after the try, not in its handler",
        ),
    ],
)
def test_absolute_fallback_of_a_relative_import(source, fallbacks):
    refs = extract_imports(ast.parse(source), TARGET)
    assert [ref.module for ref in refs if ref.fallback] == fallbacks
