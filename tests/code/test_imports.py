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
    # Blocks of eight statements or more are searched by bisection (imports.py).
    "a long block": "".join(f"v{i} = {i}\n" for i in range(12)) + "import a\nv = 1\nimport b\n",
    "a long block, across a semicolon": "".join(f"v{i} = {i}\n" for i in range(12))
    + "import a; x = 1\nimport b; y = 1\n",
    "a long class": "class C:\n"
    + "".join(f"    def m{i}(self):\n        return {i}\n" for i in range(12))
    + "    def n(self):\n        import a\n    # import b\n    v = 1\n",
    "a long function, decorated": "".join(f"v{i} = {i}\n" for i in range(12))
    + "@importlib.import_module('a').d\ndef f():\n    import b\n",
    "a default": "def f(x=__import__('a')):\n    pass\n",
    "a default on the parameters' last line": "def f(\n    y,\n    x=__import__('a')): pass\n",
    "a keyword-only default": "def f(*, x=importlib.import_module('a'), y):\n    return x\n",
    "a last keyword-only default": "def f(*, y,\n  x=importlib.import_module('a')):\n    pass\n",
    "an annotation": "def f(x: importlib.import_module('a').T):\n    return x\n",
    "a lambda's default": "g = lambda x=__import__('a'): x\n",
    "an import in a decorator only": "@importlib.import_module('a').d\ndef f():\n    pass\n",
    "an import in a class decorator only, in a long block": "".join(
        f"v{i} = {i}\n" for i in range(12)
    )
    + "@register(\n    importlib.import_module('a'),\n)\nclass C:\n    pass\n",
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


UNKNOWN = Target(None, "linux")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\n"
            "else:\n    import tomli\n",
            [("tomllib", "3.11 and later"), ("tomli", "before 3.11")],
            id="both branches, each with the Pythons it runs on",
        ),
        pytest.param(
            "import sys\nif sys.version_info[:2] < (3, 10):\n    import a\n",
            [("a", "before 3.10")],
            id="a slice of version_info",
        ),
        pytest.param(
            "import sys\nif sys.version_info >= (3, 10):\n"
            "    if sys.version_info < (3, 12):\n        import mid\n",
            [("mid", "3.10 to 3.11")],
            id="nested guards narrow each other",
        ),
        pytest.param(
            "from sys import version_info as v\nif v.minor == 12:\n    import only\n",
            [("only", "3.12")],
            id="version_info imported under another name",
        ),
        pytest.param(
            "import sys\nif sys.version_info < (3, 8):\n    import old\nelse:\n    import new\n",
            [("new", "")],
            id="a branch only for Pythons before 3.9 is never taken",
        ),
        pytest.param(
            "import sys\nif sys.version_info >= (3,):\n    import always\n",
            [("always", "")],
            id="a guard every version takes",
        ),
        pytest.param(
            "import os\nif os.environ.get('X'):\n    import anywhere\n",
            [("anywhere", "")],
            id="a guard that is not about the version",
        ),
    ],
)
def test_an_unknown_version_takes_every_branch_and_says_where_it_runs(source, expected):
    refs = extract_imports(ast.parse(source), UNKNOWN)
    assert [(ref.module, ref.only_on) for ref in refs][-len(expected) :] == expected
    lines = lines_mentioning_import(source.encode())
    assert extract_imports(ast.parse(source), UNKNOWN, import_lines=lines) == refs


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import typing as t\nif t.TYPE_CHECKING:\n    import a\n", id="module alias"),
        pytest.param(
            "from typing import TYPE_CHECKING as TC\nif TC:\n    import a\n", id="name alias"
        ),
        pytest.param(
            "import typing_extensions as te\nif te.TYPE_CHECKING:\n    import a\n",
            id="typing_extensions alias",
        ),
        pytest.param(
            "from typing_extensions import TYPE_CHECKING\nif not TYPE_CHECKING:\n    pass\n"
            "else:\n    import a\n",
            id="the else of a negation",
        ),
    ],
)
def test_type_checking_however_it_was_imported(source):
    refs = extract_imports(ast.parse(source), TARGET)
    assert "a" not in [ref.module for ref in refs]


PROBED = [
    pytest.param(
        "import importlib.util\nif importlib.util.find_spec('x') is not None:\n    import x\n",
        id="importlib.util.find_spec is not None",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('x'):\n    from x import y\n",
        id="find_spec bound by from-import, truthiness",
    ),
    pytest.param(
        "from importlib import util\nif util.find_spec('x') is None:\n    pass\n"
        "else:\n    import x.sub\n",
        id="the else of is None",
    ),
    pytest.param(
        "import pkgutil\nif pkgutil.find_loader('x'):\n    import x\n", id="pkgutil.find_loader"
    ),
    pytest.param(
        "from importlib.util import find_spec\nHAS_X = find_spec('x') is not None\n"
        "if HAS_X:\n    import x\n",
        id="a flag bound to the probe",
    ),
    pytest.param(
        "from importlib.util import find_spec\nspec = find_spec('x')\n"
        "if spec is not None:\n    import x\n",
        id="the spec bound to a name",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif (spec := find_spec('x')) is not None:\n"
        "    import x\n",
        id="the spec bound by :=",
    ),
    pytest.param(
        "from importlib.util import find_spec\n"
        "if find_spec('y') and find_spec('x'):\n    import x\n",
        id="one of an and",
    ),
    pytest.param(
        "from importlib.util import find_spec\n"
        "if not find_spec('x') or not find_spec('y'):\n    pass\nelse:\n    import x\n",
        id="the else of an or of negations",
    ),
]


@pytest.mark.parametrize("source", PROBED)
def test_an_import_a_probe_proved_there_is_optional(source):
    for import_lines in (None, lines_mentioning_import(source.encode())):
        refs = extract_imports(ast.parse(source), TARGET, import_lines=import_lines)
        assert refs[-1].guarded, refs


NOT_PROBED = [
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('x'):\n    import y\n",
        id="another module in the probed branch",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('x') is None:\n    import x\n",
        id="the branch where it is missing",
    ),
    pytest.param(
        "from importlib.util import find_spec\n"
        "if find_spec('x') or find_spec('y'):\n    import x\n",
        id="one of an or",
    ),
    pytest.param(
        "from importlib.util import find_spec\nname = 'x'\nif find_spec(name):\n    import x\n",
        id="a name that is not a literal",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('.x'):\n    import x\n",
        id="a relative name",
    ),
    pytest.param(
        "from importlib.util import find_spec\nspec = find_spec('x')\nimport x\n",
        id="after the probe, outside its branch",
    ),
]


@pytest.mark.parametrize("source", NOT_PROBED)
def test_an_import_no_probe_proved_there_is_not_optional(source):
    refs = extract_imports(ast.parse(source), TARGET)
    assert not refs[-1].guarded, refs


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


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from importlib.util import find_spec\nHAS = find_spec('y')\n"
            "HAS = HAS and find_spec('z')\nif HAS:\n    import x\n",
            id="a probe bound to a name that names itself",
        ),
        pytest.param(
            "from importlib.util import find_spec\nif " + "not " * 1500 + "find_spec('x'):\n"
            "    import x\n",
            id="a probe under 1500 nots",
        ),
    ],
)
def test_a_probe_past_any_real_depth_proves_nothing_and_stops(source):
    # Was an endless recursion (RecursionError) for the name that names itself.
    refs = extract_imports(ast.parse(source), TARGET)
    assert [(ref.module, ref.guarded) for ref in refs][-1] == ("x", False)
