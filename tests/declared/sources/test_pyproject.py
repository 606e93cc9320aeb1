"""read_pyproject: PEP 621, PEP 735, poetry and setuptools' dynamic files, with exact lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.sources.local import read_pyproject_name
from flake8_reqs.declared.sources.pyproject import read_pyproject
from flake8_reqs.errors import ReqsInputError
from tests.conftest import assert_reads_or_reports, errors, groups, make_project, runtime

P = "pyproject.toml"
EXTRA = f"{P} [project.optional-dependencies]"
GROUP = f"{P} [dependency-groups]"
POETRY_GROUP = f"{P} [tool.poetry.group"
INVALID_SPEC = "expected semicolon (after name with no version specifier) or end"


def read(tmp_path, text, files=None, environ=None):
    make_project(tmp_path, {P: text, **(files or {})})
    return read_pyproject(tmp_path / P, P, environ or {})


RUNTIME = [
    pytest.param(
        """\
        [project]
        name = "demo"
        dependencies = [
            "requests>=2",
            # a comment
            "flask; python_version >= '3.9'",
        ]
        """,
        [("requests>=2", P, 4), ('flask; python_version >= "3.9"', P, 6)],
        id="one per line",
    ),
    pytest.param(
        '[project]\ndependencies = ["a", "b", "c"]\n',
        [("a", P, 2), ("b", P, 2), ("c", P, 2)],
        id="inline list on one line",
    ),
    pytest.param(
        """\
        [build-system]
        requires = ["setuptools", "wheel"]

        [project]
        dependencies = [
            'wheel',
            "setuptools",
        ]
        """,
        [("wheel", P, 6), ("setuptools", P, 7)],
        id="same strings in an earlier table; literal strings",
    ),
    pytest.param(
        """\
        [project]
        dependencies = [
            "six",
            "six",
        ]
        """,
        [("six", P, 3), ("six", P, 4)],
        id="a repeated string is found once per occurrence",
    ),
    pytest.param(
        """\
        [project.urls]
        home = "https://example.com"

        [project]
        name = "x"
        dependencies = ["attrs"]
        """,
        [("attrs", P, 6)],
        id="project table after a sub-table",
    ),
    pytest.param(
        'project.name = "x"\nproject.dependencies = [\n  "attrs",\n]\n',
        [("attrs", P, 3)],
        id="dotted keys at the top",
    ),
    pytest.param("[tool.black]\nline-length = 100\n", [], id="no requirements at all"),
]


@pytest.mark.parametrize(("text", "expected"), RUNTIME)
def test_runtime(tmp_path, text, expected):
    declared = read(tmp_path, text)
    assert (runtime(declared), errors(declared)) == (expected, [])


GROUPS = [
    pytest.param(
        """\
        [project]
        dependencies = []

        [project.optional-dependencies]
        test = ["pytest", "hypothesis"]
        docs = [
            "sphinx",
        ]
        empty = []
        """,
        [
            (f"{EXTRA} test", [("pytest", 5), ("hypothesis", 5)]),
            (f"{EXTRA} docs", [("sphinx", 7)]),
        ],
        id="optional dependencies; an empty extra is no group",
    ),
    pytest.param(
        """\
        [project]
        optional-dependencies.test = ["pytest"]
        optional-dependencies.lint = [
            "ruff",
        ]
        """,
        [(f"{EXTRA} test", [("pytest", 2)]), (f"{EXTRA} lint", [("ruff", 4)])],
        id="optional dependencies as dotted keys",
    ),
    pytest.param(
        """\
        [dependency-groups]
        test = [
            "pytest",
            {include-group = "typing"},
        ]
        typing = ["mypy", "types-requests"]
        dev = [{include-group = "Test"}, "ruff"]
        """,
        [
            (f"{GROUP} test", [("pytest", 3), ("mypy", 6), ("types-requests", 6)]),
            (f"{GROUP} typing", [("mypy", 6), ("types-requests", 6)]),
            (
                f"{GROUP} dev",
                [("pytest", 3), ("mypy", 6), ("types-requests", 6), ("ruff", 7)],
            ),
        ],
        id="dependency groups with includes (names compared normalized)",
    ),
    pytest.param(
        """\
        [tool.poetry]
        name = "demo"

        [tool.poetry.dependencies]
        python = "^3.9"
        requests = "^2.31"
        pandas = {version = "^2", optional = true}
        pywin32 = {version = "*", markers = "sys_platform == 'win32'"}
        numpy = [
            {version = "<2", markers = "python_version < '3.10'"},
            {version = ">=2", markers = "python_version >= '3.10'"},
        ]
        broken-marker = {version = "1", markers = "not a marker"}

        [tool.poetry.dev-dependencies]
        pytest = "^8"

        [tool.poetry.group.lint.dependencies]
        ruff = "*"

        [tool.poetry.group.dev]
        optional = true
        dependencies = {coverage = "*"}
        """,
        [
            (f"{P} [tool.poetry.extras]", [("pandas", 7)]),
            (f"{POETRY_GROUP}.dev]", [("pytest", 16), ("coverage", 23)]),
            (f"{POETRY_GROUP}.lint]", [("ruff", 19)]),
        ],
        id="poetry: extras, dev-dependencies joined with group dev, groups",
    ),
]


@pytest.mark.parametrize(("text", "expected"), GROUPS)
def test_groups(tmp_path, text, expected):
    declared = read(tmp_path, text)
    assert (groups(declared), errors(declared)) == (expected, [])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(
            'passlib = {version = "^1.7", extras = ["bcrypt"]}', "passlib[bcrypt]", id="one"
        ),
        pytest.param(
            'psycopg = {version = "^3", extras = ["pool", "binary"]}',
            "psycopg[binary,pool]",
            id="several",
        ),
        pytest.param(
            'x = [{version = "<2", extras = ["a"]}, {version = ">=2", extras = ["b"]}]',
            "x[a,b]",
            id="those of each constraint",
        ),
        pytest.param(
            'x = {version = "1", extras = [3, "no good", "ok"]}', "x[ok]", id="names only"
        ),
        pytest.param('x = {version = "1", extras = "a"}', "x", id="not a list"),
    ],
)
def test_poetry_dependency_extras(tmp_path, entry, expected):
    # What poetry installs: passlib = {extras = ["bcrypt"]} is passlib[bcrypt].
    text = f'[tool.poetry]\nname = "p"\n[tool.poetry.dependencies]\n{entry}\n'
    declared = read(tmp_path, text)
    assert (runtime(declared), errors(declared)) == ([(expected, P, 4)], [])


def test_poetry_runtime(tmp_path):
    declared = read(tmp_path, GROUPS[3].values[0])
    assert runtime(declared) == [
        ("requests", P, 6),
        ('pywin32; sys_platform == "win32"', P, 8),
        ('numpy; python_version < "3.10" or python_version >= "3.10"', P, 9),
        ("broken-marker", P, 13),
    ]
    # ^3.9 is poetry's syntax, kept as written: the target reads it (project/target.py).
    assert (declared.project_name, declared.requires_python) == ("demo", "^3.9")


NAMES = [
    pytest.param(
        '[project]\nname = "demo"\nrequires-python = ">=3.9"\n', ("demo", ">=3.9"), id="PEP 621"
    ),
    pytest.param(
        '[tool.poetry]\nname = "p"\n[tool.poetry.dependencies]\npython = ">=3.8,<4"\n',
        ("p", ">=3.8,<4"),
        id="poetry, python constraint already PEP 440",
    ),
    pytest.param(
        '[project]\nname = "a"\n[tool.poetry]\nname = "b"\n', ("a", None), id="project first"
    ),
    pytest.param("", (None, None), id="empty file"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_name_and_requires_python(tmp_path, text, expected):
    declared = read(tmp_path, text)
    assert (declared.project_name, declared.requires_python) == expected
    assert read_pyproject_name(tmp_path / P, P) == expected[0]


DYNAMIC = """\
[project]
name = "demo"
dynamic = ["dependencies", "optional-dependencies"]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements.txt", "more.txt"]}
optional-dependencies.test = {file = "requirements-test.txt"}
"""


def test_setuptools_dynamic_files(tmp_path):
    files = {
        "sub/pyproject.toml": DYNAMIC,
        "sub/requirements.txt": "requests\n-r base.txt\n",
        "sub/base.txt": "attrs\n",
        "sub/more.txt": "# more\nflask\n",
        "sub/requirements-test.txt": "pytest\n",
    }
    make_project(tmp_path, files)
    declared = read_pyproject(tmp_path / "sub/pyproject.toml", "sub/pyproject.toml", {})
    assert runtime(declared) == [
        ("requests", "sub/requirements.txt", 1),
        ("attrs", "sub/base.txt", 1),
        ("flask", "sub/more.txt", 2),
    ]
    label = "sub/pyproject.toml [project.optional-dependencies] test"
    assert groups(declared) == [(label, [("pytest", 1)])]
    assert declared.groups[0][1][0].path == "sub/requirements-test.txt"
    assert errors(declared) == []


def test_dynamic_files_are_read_only_when_listed_as_dynamic(tmp_path):
    text = DYNAMIC.replace('dynamic = ["dependencies", "optional-dependencies"]', "")
    declared = read(tmp_path, text, {"requirements.txt": "requests\n"})
    assert (runtime(declared), groups(declared), errors(declared)) == ([], [], [])


ERRORS = [
    pytest.param(
        '[project]\nname = "x"\nname = "y"\n',
        [f"{P}:3: invalid TOML: Cannot overwrite a value"],
        [],
        id="TOML error",
    ),
    pytest.param(
        '[project]\ndependencies = ["a",\n',
        [f"{P}:2: invalid TOML: Invalid value"],
        [],
        id="TOML error at the end of the document",
    ),
    pytest.param(
        '[project]\ndependencies = "requests"\n',
        [f"{P}:2: [project].dependencies must be a list of strings, not a string"],
        [],
        id="dependencies is a string",
    ),
    pytest.param(
        '[project]\nname = "x"\n\n[project.dependencies]\nrequests = "*"\n',
        [f"{P}:4: [project].dependencies must be a list of strings, not a table"],
        [],
        id="dependencies is a table",
    ),
    pytest.param(
        '[project]\ndependencies = [\n  "a",\n  3,\n  "b",\n]\n',
        [f"{P}:2: [project].dependencies must be a list of strings; item 2 is an integer"],
        [("a", P, 3), ("b", P, 5)],
        id="a non-string item; the rest still read",
    ),
    pytest.param(
        '[project]\ndependencies = [\n  "ok",\n  "flask >=",\n]\n',
        [f"{P}:4: invalid requirement 'flask >=': {INVALID_SPEC}"],
        [("ok", P, 3)],
        id="invalid PEP 508 string",
    ),
    pytest.param(
        'project = "x"\n[tool.poetry]\nname = 1\n',
        [
            f"{P}:1: [project] must be a table, not a string",
            f"{P}:3: [tool.poetry].name must be a string, not an integer",
        ],
        [],
        id="project is not a table; poetry name not a string",
    ),
    pytest.param(
        '[project]\ndependencies = ["a"]\noptional-dependencies = ["b"]\n',
        [f"{P}:3: [project].optional-dependencies must be a table, not a list"],
        [("a", P, 2)],
        id="optional-dependencies is a list",
    ),
    pytest.param(
        """\
        [dependency-groups]
        a = ["x", {include-group = "b"}]
        b = [
            {include-group = "c"},
        ]
        c = [{include-group = "a"}, "y"]
        own = [{include-group = "own"}]
        """,
        [
            f"{P}:6: [dependency-groups] include cycle: a -> b -> c -> a",
            f"{P}:7: [dependency-groups] include cycle: own -> own",
        ],
        [],
        id="include cycles",
    ),
    pytest.param(
        """\
        [dependency-groups]
        a = [{include-group = "nope"}, {include-group = 3}, {other = "x"}, 5, "ok"]
        b = "pytest"
        B = []
        """,
        [
            f"{P}:2: [dependency-groups].a item 2 must be a requirement string or an "
            "{include-group = ...} table",
            f"{P}:2: [dependency-groups].a item 3 must be a requirement string or an "
            "{include-group = ...} table",
            f"{P}:2: [dependency-groups].a item 4 must be a requirement string or an "
            "{include-group = ...} table",
            f"{P}:3: [dependency-groups].b must be a list, not a string",
            f"{P}:4: dependency group names 'b' and 'B' are the same once normalized",
            f"{P}:2: [dependency-groups].a includes 'nope', which is not a group",
        ],
        [],
        id="unknown include, bad items, duplicate names",
    ),
    pytest.param(
        '[tool.poetry.dependencies]\nrequests = 2\n"not valid" = "*"\n',
        [
            f"{P}:2: [tool.poetry.dependencies].requests must be a version string, a table "
            "or a list of tables, not an integer",
            f"{P}:3: invalid requirement 'not valid': {INVALID_SPEC}",
        ],
        [],
        id="poetry: wrong value type, invalid name",
    ),
    pytest.param(
        """\
        [project]
        dynamic = ["dependencies"]
        [tool.setuptools.dynamic]
        dependencies = {file = [
            "missing.txt",
            "bad.txt",
        ]}
        """,
        [
            f"{P}:5: [tool.setuptools.dynamic.dependencies].file names 'missing.txt': no such file",
            f"bad.txt:2: invalid requirement 'flask >=': {INVALID_SPEC}",
        ],
        [("attrs", "bad.txt", 1)],
        id="setuptools dynamic: missing file, invalid line",
    ),
]


@pytest.mark.parametrize(("text", "expected_errors", "expected_runtime"), ERRORS)
def test_errors(tmp_path, text, expected_errors, expected_runtime):
    declared = read(tmp_path, text, {"bad.txt": "attrs\nflask >=\n"})
    assert errors(declared) == expected_errors
    assert runtime(declared) == expected_runtime


WHOLE_FILE = [
    pytest.param(None, f"{P}: no such file", id="missing"),
    pytest.param(
        b'[project]\nname = "\xff"\n',
        f"{P}: is not valid UTF-8 text (line 2); save it as UTF-8",
        id="not UTF-8",
    ),
]


@pytest.mark.parametrize(("content", "message"), WHOLE_FILE)
def test_unreadable_file_raises(tmp_path, content, message):
    if content is not None:
        (tmp_path / P).write_bytes(content)
    with pytest.raises(ReqsInputError) as raised:
        read_pyproject(tmp_path / P, P, {})
    assert str(raised.value) == message


PIECES = st.sampled_from(
    [
        "[project]\n",
        "[project.optional-dependencies]\n",
        "[dependency-groups]\n",
        "[tool.poetry.dependencies]\n",
        "[tool.poetry.group.g.dependencies]\n",
        "[tool.setuptools.dynamic]\n",
        'name = "x"\n',
        'dynamic = ["dependencies"]\n',
        'dependencies = ["requests", "bad ==", 3]\n',
        'dependencies = {file = ["requirements.txt"]}\n',
        'a = [{include-group = "b"}, "x"]\n',
        'b = [{include-group = "a"}]\n',
        'requests = {version = "^2", optional = true, markers = "os_name == \'nt\'"}\n',
        'python = "^3.8"\n',
        "x = 1\n",
        'test = "pytest"\n',
        "= broken\n",
    ]
)


def check_any_text(data: bytes) -> None:
    assert_reads_or_reports(lambda path: read_pyproject(path, P, {}), P, data)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_or_raises_input_error(text):
    check_any_text(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES).map("".join))
def test_any_toml_like_text_reads(text):
    check_any_text(text.encode("utf-8"))


LIB = {"lib/pyproject.toml": "[project]\nname = 'acme-lib'\nversion = '1'\n"}


@pytest.mark.parametrize(
    ("text", "local"),
    [
        pytest.param(
            "[project]\ndependencies = ['acme-lib']\n"
            "[tool.uv.sources]\nacme-lib = { path = 'lib', editable = true }\n",
            ["lib"],
            id="uv path source",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib']\n"
            "[tool.uv.sources]\nacme-lib = { workspace = true }\n",
            [None],
            id="uv workspace source: a member, found by its name",
        ),
        pytest.param(
            "[tool.poetry.dependencies]\npython = '^3.9'\n"
            "acme-lib = { path = 'lib', develop = true }\n",
            ["lib"],
            id="poetry path",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib @ file:///${PROJECT_ROOT}/lib']\n",
            ["lib"],
            id="PDM file URL",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib @ {root:uri}/lib']\n",
            ["lib"],
            id="Hatch root URI",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib @ file:lib', 'flask']\n",
            ["lib", None],
            id="relative file URL, and a name",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib @ https://example.com/acme_lib-1.0.tar.gz']\n",
            [None],
            id="a remote URL",
        ),
        pytest.param(
            "[project]\ndependencies = ['acme-lib']\n"
            "[tool.uv.sources]\nacme-lib = { path = 'missing' }\n",
            [None],
            id="a path that is not a folder",
        ),
    ],
)
def test_local_projects_are_named_by_their_folder(tmp_path, text, local):
    root = tmp_path.resolve()
    declared = read(root, text, LIB)
    expected = [None if folder is None else str(root / folder) for folder in local]
    assert [req.local for req in declared.runtime] == expected
    assert declared.errors == ()


def test_a_local_project_in_a_poetry_group(tmp_path):
    text = "[tool.poetry.group.dev.dependencies]\nacme-lib = { path = 'lib', develop = true }\n"
    declared = read(tmp_path, text, LIB)
    assert [[req.local for req in reqs] for _, reqs in declared.groups] == [[str(tmp_path / "lib")]]


TOOL_GROUPS = """\
[project]
name = "demo"
dependencies = ["flask"]

[tool.uv]
dev-dependencies = [
    "pytest>=8",
]

[tool.pdm.dev-dependencies]
lint = ["ruff"]
test = [
    "-e file:///${PROJECT_ROOT}/plugins/local",
    "-e git+https://example.com/repo.git#egg=helper",
    "coverage",
]

[tool.hatch.envs.default]
dependencies = ["ipython"]

[tool.hatch.envs.docs]
dependencies = ["sphinx", "local @ {root:uri}/local"]
extra-dependencies = ["furo"]

[tool.hatch.envs.empty]
"""


def test_uv_pdm_and_hatch_dev_sets(tmp_path):
    declared = read(tmp_path, TOOL_GROUPS)
    assert runtime(declared) == [("flask", P, 3)]
    assert groups(declared) == [
        (f"{P} [tool.uv] dev-dependencies", [("pytest>=8", 7)]),
        (f"{P} [tool.pdm.dev-dependencies] lint", [("ruff", 11)]),
        (f"{P} [tool.pdm.dev-dependencies] test", [("coverage", 15)]),
        (f"{P} [tool.hatch.envs.default]", [("ipython", 19)]),
        (
            f"{P} [tool.hatch.envs.docs]",
            [("sphinx", 22), ("local @ {root:uri}/local", 22), ("furo", 23)],
        ),
    ]
    assert errors(declared) == []


SELECTORS = [
    pytest.param(
        "[project.optional-dependencies]\nPostgres_DB = ['psycopg']\n",
        [(f"{EXTRA} Postgres_DB", "extra", "postgres-db")],
        id="extra, by its normalised name",
    ),
    pytest.param(
        "[dependency-groups]\ndatasources = ['pymysql']\n"
        "[tool.uv]\ndev-dependencies = ['pytest']\n",
        [
            (f"{GROUP} datasources", "group", "datasources"),
            (f"{P} [tool.uv] dev-dependencies", "group", "dev"),
            (f"{P} [tool.uv] dev-dependencies", "uv-default", "dev"),
        ],
        id="PEP 735 group; uv's dev-dependencies are its group dev, installed by default",
    ),
    pytest.param(
        "[dependency-groups]\ndev = ['pytest']\nLint = ['ruff']\n",
        [
            (f"{GROUP} dev", "group", "dev"),
            (f"{GROUP} dev", "uv-default", "dev"),
            (f"{GROUP} Lint", "group", "lint"),
        ],
        id="uv installs the group dev by default",
    ),
    pytest.param(
        "[dependency-groups]\ndev = ['pytest']\nLint = ['ruff']\n"
        "[tool.uv]\ndefault-groups = ['lint']\n",
        [
            (f"{GROUP} dev", "group", "dev"),
            (f"{GROUP} Lint", "group", "lint"),
            (f"{GROUP} Lint", "uv-default", "lint"),
        ],
        id="[tool.uv] default-groups names those uv installs by default",
    ),
    pytest.param(
        "[dependency-groups]\ndev = ['pytest']\nlint = ['ruff']\n"
        "[tool.uv]\ndefault-groups = 'all'\n",
        [
            (f"{GROUP} dev", "group", "dev"),
            (f"{GROUP} dev", "uv-default", "dev"),
            (f"{GROUP} lint", "group", "lint"),
            (f"{GROUP} lint", "uv-default", "lint"),
        ],
        id="[tool.uv] default-groups = 'all'",
    ),
    pytest.param(
        """\
        [tool.poetry.dependencies]
        pandas = {version = "^2", optional = true}
        [tool.poetry.extras]
        data = ["pandas"]
        [tool.poetry.group.lint.dependencies]
        ruff = "*"
        [tool.poetry.group.docs]
        optional = true
        [tool.poetry.group.docs.dependencies]
        sphinx = "*"
        """,
        [
            (f"{P} [tool.poetry.extras]", "extra", "data"),
            (f"{POETRY_GROUP}.lint]", "poetry", "lint"),
            (f"{POETRY_GROUP}.docs]", "poetry-optional", "docs"),
        ],
        id="poetry: extras, a group, an optional group",
    ),
    pytest.param(
        "[tool.pdm.dev-dependencies]\nTest = ['pytest']\n[tool.hatch.envs.lint]\n"
        "dependencies = ['ruff']\n",
        [
            (f"{P} [tool.pdm.dev-dependencies] Test", "pdm", "test"),
            (f"{P} [tool.hatch.envs.lint]", "hatch", "lint"),
        ],
        id="pdm group, hatch environment",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SELECTORS)
def test_how_an_install_selects_each_set(tmp_path, text, expected):
    assert list(read(tmp_path, text).selectors) == expected


def test_uv_pdm_and_hatch_errors(tmp_path):
    text = (
        '[tool.uv]\ndev-dependencies = "pytest"\n[tool.pdm.dev-dependencies]\n'
        'test = ["pytest >=", 3]\n[tool.hatch.envs]\ndocs = 1\n'
    )
    assert errors(read(tmp_path, text)) == [
        f"{P}:2: [tool.uv].dev-dependencies must be a list of strings, not a string",
        f"{P}:4: [tool.pdm.dev-dependencies].test must be a list of strings; item 2 is an integer",
        f"{P}:4: invalid requirement 'pytest >=': {INVALID_SPEC}",
        f"{P}:6: [tool.hatch.envs].docs must be a table, not an integer",
    ]
