"""extract_imports on code shapes that break naive walkers."""

from __future__ import annotations

import ast

import pytest

from flake8_reqs.guards import Target
from flake8_reqs.imports import extract_imports, may_import_dynamically

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


# Every statement that holds statements, each with an import inside; the statement-only
# walk (dynamic=False) must find exactly what the full walk finds.
NESTED = {
    "def": "def f():\n    import a\n",
    "async def": "async def f():\n    import a\n",
    "class": "class C:\n    import a\n",
    "method": "class C:\n    def m(self):\n        import a\n",
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
}


@pytest.mark.parametrize("source", NESTED.values(), ids=NESTED.keys())
def test_statement_walk_finds_imports_in_every_statement_body(source):
    tree = ast.parse(source)
    fast = extract_imports(tree, TARGET, dynamic=False)
    assert [(ref.module, ref.guarded) for ref in fast] == [("a", False)]
    assert fast == extract_imports(tree, TARGET, dynamic=True)


def test_suppress_guards_an_async_with_body_too():
    source = "async def f():\n    async with suppress(ImportError):\n        import a\n"
    for dynamic in (False, True):
        refs = extract_imports(ast.parse(source), TARGET, dynamic=dynamic)
        assert [(ref.module, ref.guarded) for ref in refs] == [("a", True)]


DYNAMIC = {
    "import_module": "import importlib\nm = importlib.import_module('magic')\n",
    "__import__": "m = __import__('magic')\n",
    "in a call argument": "run(lambda: __import__('magic'))\n",
    "in an if test": "if __import__('magic'):\n    pass\n",
}


@pytest.mark.parametrize("source", DYNAMIC.values(), ids=DYNAMIC.keys())
def test_sources_with_dynamic_imports_are_walked_in_full(source):
    assert may_import_dynamically(source)
    assert may_import_dynamically(source.encode())
    refs = extract_imports(ast.parse(source), TARGET, dynamic=may_import_dynamically(source))
    assert "magic" in [ref.module for ref in refs]


def test_plain_sources_take_the_statement_walk():
    assert not may_import_dynamically("import os\nfrom yaml import safe_load\n")
