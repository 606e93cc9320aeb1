"""Strings that name imports: Django settings, DJANGO_SETTINGS_MODULE, SQLAlchemy URLs."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_reqs.code.guards import Target
from flake8_reqs.code.settings_uses import lines_uses, might_name_imports, source_uses

TARGET = Target((3, 12), "linux")


def uses(source, **kwargs):
    """(module, line, col, use, alternatives) of each use, in order."""
    text = textwrap.dedent(source).encode()
    return [
        (ref.module, ref.line, ref.col, ref.use, ref.alternatives)
        for ref in source_uses(text, TARGET, **kwargs)
    ]


APPS = "is named in INSTALLED_APPS"

FOUND = [
    pytest.param(
        "INSTALLED_APPS = ['django.contrib.admin', 'debug_toolbar']\n",
        [("django.contrib.admin", 1, 18, APPS, ()), ("debug_toolbar", 1, 42, APPS, ())],
        id="a list of apps",
    ),
    pytest.param(
        """\
        DJANGO_APPS = ("django.contrib.auth",)
        THIRD_PARTY = ["rest_framework"]
        INSTALLED_APPS = [*DJANGO_APPS] + THIRD_PARTY + ["shop"]
        """,
        [
            ("django.contrib.auth", 1, 15, APPS, ()),
            ("rest_framework", 2, 15, APPS, ()),
            ("shop", 3, 49, APPS, ()),
        ],
        id="module-level names added up (the uses are where the strings are)",
    ),
    pytest.param(
        """\
        from .base import *
        INSTALLED_APPS += ["debug_toolbar"]
        MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
        INSTALLED_APPS.append("django_extensions")
        INSTALLED_APPS.extend(["silk"])
        """,
        [
            ("debug_toolbar", 2, 19, APPS, ()),
            ("debug_toolbar.middleware", 3, 21, "is named in MIDDLEWARE", ()),
            ("django_extensions", 4, 22, APPS, ()),
            ("silk", 5, 23, APPS, ()),
        ],
        id="+=, insert, append and extend in a settings module split across files",
    ),
    pytest.param(
        """\
        MIDDLEWARE = []
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}
        """,
        [
            ("django.db.backends.postgresql", 2, 35, "is named in DATABASES ENGINE", ()),
            (
                "psycopg",
                2,
                35,
                "is loaded by ENGINE 'django.db.backends.postgresql' in DATABASES",
                ("psycopg2",),
            ),
        ],
        id="a database engine and its driver",
    ),
    pytest.param(
        """\
        MIDDLEWARE = []
        DATABASES["default"]["ENGINE"] = "django.db.backends.mysql"
        """,
        [
            ("django.db.backends.mysql", 2, 33, "is named in DATABASES ENGINE", ()),
            (
                "MySQLdb",
                2,
                33,
                "is loaded by ENGINE 'django.db.backends.mysql' in DATABASES",
                ("pymysql",),
            ),
        ],
        id="an assignment to a key",
    ),
    pytest.param(
        """\
        MIDDLEWARE = []
        TEMPLATES = [{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"context_processors": ["shop.context.cart"]},
        }]
        LOGGING = {"handlers": {"json": {"class": "logging.StreamHandler", "()": "ext://x"}}}
        REST_FRAMEWORK = dict(DEFAULT_PAGINATION_CLASS="rest_framework.pagination.Cursor")
        """,
        [
            ("django.template.backends.django", 3, 15, "is named in TEMPLATES BACKEND", ()),
            ("shop.context", 4, 39, "is named in TEMPLATES OPTIONS context_processors", ()),
            ("logging", 6, 42, "is named in LOGGING handlers class", ()),
            (
                "rest_framework.pagination",
                7,
                47,
                "is named in REST_FRAMEWORK DEFAULT_PAGINATION_CLASS",
                (),
            ),
        ],
        id="nested settings; an ext:// value is no dotted path",
    ),
    pytest.param(
        """\
        import sys
        MIDDLEWARE = []
        if sys.version_info < (3, 9):
            INSTALLED_APPS = ["old_app"]
        else:
            INSTALLED_APPS = ["new_app"]
        """,
        [("new_app", 6, 22, APPS, ())],
        id="the branch the target takes",
    ),
    pytest.param(
        """\
        import os
        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
        """,
        [("config.settings.production", 3, 52, "is named in DJANGO_SETTINGS_MODULE", ())],
        id="DJANGO_SETTINGS_MODULE in manage.py",
    ),
    pytest.param(
        """\
        engine = create_engine("mysql+pymysql://user@db/app")
        DSN = f"postgresql+asyncpg://{USER}@db/app"
        """,
        [
            ("pymysql", 1, 23, "is loaded by the database URL 'mysql+pymysql://'", ()),
            ("asyncpg", 2, 6, "is loaded by the database URL 'postgresql+asyncpg://'", ()),
        ],
        id="SQLAlchemy URLs, also as the start of an f-string",
    ),
]


@pytest.mark.parametrize(("source", "expected"), FOUND)
def test_found(source, expected):
    assert uses(source) == expected


NOTHING = [
    pytest.param(
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n", id="no marker"
    ),
    pytest.param(
        '"""\nINSTALLED_APPS = ["debug_toolbar"]\n"""\n',
        id="a marker inside a docstring",
    ),
    pytest.param(
        "def settings():\n    INSTALLED_APPS = ['debug_toolbar']\n",
        id="not at module level",
    ),
    pytest.param(
        """\
        import os
        INSTALLED_APPS = os.environ["APPS"].split(",")
        MIDDLEWARE = ["a." + "b.C", f"{PREFIX}.Middleware", PREFIX + ".Middleware"]
        DATABASES = {"default": {"ENGINE": os.environ.get("ENGINE", "django.db.backends.mysql")}}
        """,
        id="computed values are skipped",
    ),
    pytest.param(
        """\
        A = "x.y"
        B = "z.w"
        MIDDLEWARE = [A + B]
        """,
        id="strings added up are computed",
    ),
    pytest.param(
        """\
        INSTALLED_APPS = []
        try:
            import debug_toolbar
            INSTALLED_APPS += ["debug_toolbar"]
        except ImportError:
            pass
        """,
        id="under an ImportError guard (the import statement is what counts)",
    ),
    pytest.param(
        "MIDDLEWARE = [Middleware(CORSMiddleware), 'not a path', '']\n",
        id="not dotted paths",
    ),
    pytest.param(
        """\
        '''Connect with postgresql+psycopg2://user@host/db.'''
        # or mysql+pymysql://user@host/db
        URL = "postgresql://user@host/db"
        OTHER = "postgresql+zzz://user@host/db"
        """,
        id="URLs in a docstring, a comment, without a driver or with an unknown one",
    ),
    pytest.param(
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', name)\n",
        id="a computed DJANGO_SETTINGS_MODULE",
    ),
]


@pytest.mark.parametrize("source", NOTHING)
def test_nothing(source):
    assert uses(source) == []


def test_a_module_named_as_the_settings_needs_no_marker():
    source = "from .base import *\nDATABASES = {'x': {'ENGINE': 'django.db.backends.oracle'}}\n"
    assert [use[0] for use in uses(source, settings=True)] == [
        "django.db.backends.oracle",
        "oracledb",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import os\nx = 'https://example.com'\n", False, id="plain module"),
        pytest.param("# INSTALLED_APPS\nx = 1\n", False, id="marker not at a line start"),
        pytest.param("INSTALLED_APPS = []\n", True, id="marker"),
        pytest.param("x = 1\r\nMIDDLEWARE: list = []\n", True, id="marker on a later line"),
        pytest.param("x = 1\nMIDDLEWARE", True, id="marker at the end"),
        pytest.param("MIDDLEWARE_CLASSES = []\n", False, id="a longer name"),
        pytest.param("INSTALLED_APPS2 = []\n", False, id="a longer name, with a digit"),
        pytest.param(
            "x = settings.MIDDLEWARE\nMIDDLEWARE_X = 1\nMIDDLEWARE = []\n",
            True,
            id="the third mention",
        ),
        pytest.param("for m in settings.MIDDLEWARE:\n    pass\n", False, id="marker read"),
        pytest.param("x = 'sqlite+aiosqlite:///db'\n", True, id="URL with a driver"),
        pytest.param("x = 'mysql2+pymysql://h/db'\n", False, id="a dialect the data lacks"),
        pytest.param("x = '+psycopg2://h/db'\n", False, id="nothing before the +"),
        pytest.param("x = 'a +psycopg2://h'\n", False, id="a space before the +"),
        pytest.param("x = 'postgresql+psycopg2://h'\n", True, id="a dialect and driver"),
        pytest.param("x = 'PG+psycopg2://h'\n", False, id="an upper-case dialect"),
        pytest.param("x = 'xpostgresql+psycopg2://h'\n", False, id="the whole dialect counts"),
        pytest.param("BROKER = 'redis+socket:///tmp/r.sock'\n", False, id="Celery's redis+socket"),
        pytest.param("x = 'cache+memory://'\ny = 'db+sqlite:///r.db'\n", False, id="Celery's"),
        pytest.param(
            "x = 'A+b://' + 'https://example.com'\ny = 'mysql+pymysql://u@h/db'\n",
            True,
            id="after a URL that does not",
        ),
        pytest.param("x = 'DJANGO_SETTINGS_MODULE'\n", True, id="DJANGO_SETTINGS_MODULE"),
    ],
)
def test_cheap_test(source, expected):
    assert might_name_imports(source) is expected
    assert might_name_imports(source.encode()) is expected


def test_lines_uses_reads_flake8s_tree():
    lines = ["INSTALLED_APPS = ['silk']\n"]
    (ref,) = lines_uses(ast.parse("".join(lines)), lines, TARGET)
    assert (ref.module, ref.names) == ("silk", ("admin", "apps", "models", "tasks"))


def test_a_file_that_does_not_parse_has_no_uses():
    assert source_uses(b"INSTALLED_APPS = [\n", TARGET) == []


def test_a_list_added_to_a_name_from_another_module():
    source = "from .base import *\nINSTALLED_APPS = INSTALLED_APPS + ['silk']\n"
    assert uses(source) == [("silk", 2, 35, APPS, ())]


def test_names_that_refer_to_themselves_end():
    source = "A = B\nB = A\nINSTALLED_APPS = A + B\nINSTALLED_APPS = INSTALLED_APPS + ['x']\n"
    assert uses(source) == [("x", 4, 35, APPS, ())]
