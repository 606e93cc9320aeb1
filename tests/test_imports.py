"""extract_imports on code shapes that break naive walkers."""

from __future__ import annotations

import ast

from flake8_reqs.guards import Target
from flake8_reqs.imports import extract_imports

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
