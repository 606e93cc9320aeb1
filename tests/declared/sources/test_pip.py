"""read_requirements_file: pip's requirements-file format, -r includes, and exact messages."""

from __future__ import annotations

import codecs
import os
import shlex
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.declared.requirements import Declared
from flake8_reqs.declared.sources.pip import _split_words, read_requirements_file
from flake8_reqs.declared.sources.pip_lines import redact_credentials
from flake8_reqs.errors import ReqsInputError

TOP = "requirements.txt"
FOO_LIB = {"libs/foo/pyproject.toml": '[project]\nname = "foo-lib"\n'}
INVALID_SPEC = "expected semicolon (after name with no version specifier) or end"


def write(root, files):
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def read(root, files, environ=None):
    """Write ``files`` under ``root``, read requirements.txt: (requirements, error lines)."""
    write(root, files)
    declared = read_requirements_file(root / TOP, TOP, environ or {})
    found = [
        (str(requirement.req), requirement.path, requirement.line)
        for requirement in declared.runtime
    ]
    return found, [str(error) for error in declared.errors]


READS = [
    pytest.param(
        {TOP: "flask\nrequests>=2,<3\nDjango==4.2.*\n"},
        [("flask", TOP, 1), ("requests<3,>=2", TOP, 2), ("Django==4.2.*", TOP, 3)],
        id="names and versions",
    ),
    pytest.param({TOP: ""}, [], id="empty file"),
    pytest.param({TOP: "# nothing here\n\n   \n\t# indented\n"}, [], id="only comments and blanks"),
    pytest.param(
        {TOP: "# header\nflask  # web framework\n\nrequests\t# tab before the hash\n"},
        [("flask", TOP, 2), ("requests", TOP, 4)],
        id="whole-line and trailing comments",
    ),
    pytest.param(
        {TOP: "pkg @ https://example.com/pkg-1.0.tar.gz#sha256=abc  # a comment\n"},
        [("pkg @ https://example.com/pkg-1.0.tar.gz#sha256=abc", TOP, 1)],
        id="a hash inside a URL is not a comment",
    ),
    pytest.param(
        {TOP: "flask\\\n>=2\nrequests \\\n    [security] \\\n    >=2.8\nsix\n"},
        [("flask>=2", TOP, 1), ("requests[security]>=2.8", TOP, 3), ("six", TOP, 6)],
        id="continuations join lines, numbered by their first",
    ),
    pytest.param(
        {TOP: "flask \\\n# a comment line ends it\nsix\n"},
        [("flask", TOP, 1), ("six", TOP, 3)],
        id="a comment line ends a continuation",
    ),
    pytest.param({TOP: "flask \\"}, [("flask", TOP, 1)], id="continuation at the end of the file"),
    pytest.param(
        {TOP: 'flask[dotenv,async]>=2 ; python_version >= "3.8"\nsix; sys_platform == "linux"\n'},
        [
            ('flask[async,dotenv]>=2; python_version >= "3.8"', TOP, 1),
            ('six; sys_platform == "linux"', TOP, 2),
        ],
        id="extras and markers are kept",
    ),
    pytest.param(
        {TOP: "pkg @ git+https://github.com/org/pkg.git@v1.0\n"},
        [("pkg @ git+https://github.com/org/pkg.git@v1.0", TOP, 1)],
        id="direct reference",
    ),
    pytest.param(
        {TOP: "https://example.com/files/Pkg_Name-1.2-py3-none-any.whl\n"},
        [("pkg-name==1.2", TOP, 1)],
        id="bare wheel URL",
    ),
    pytest.param(
        {TOP: "https://example.com/pkg-1.0-py3-none-any.whl ; python_version < '3.10'\n"},
        [('pkg==1.0; python_version < "3.10"', TOP, 1)],
        id="bare wheel URL with a marker",
    ),
    pytest.param(
        {TOP: "https://example.com/pkg-2.0.tar.gz\n"}, [("pkg==2.0", TOP, 1)], id="bare sdist URL"
    ),
    pytest.param(
        {TOP: "https://example.com/archive/main.zip#egg=pkg[extra]\n"},
        [("pkg[extra]", TOP, 1)],
        id="URL named by its egg fragment",
    ),
    pytest.param(
        {TOP: "git+https://github.com/org/repo.git@main#egg=repo\n"},
        [("repo", TOP, 1)],
        id="VCS URL named by its egg fragment",
    ),
    pytest.param(
        {TOP: "./dist/pkg-1.0-py3-none-any.whl\n./dist/other-2.0.tar.gz[extra]\n"},
        [("pkg==1.0", TOP, 1), ("other[extra]==2.0", TOP, 2)],
        id="local archive paths, which need not exist",
    ),
    pytest.param(
        {TOP: "flask==2.0 --hash=sha256:abc \\\n    --hash=sha256:def\nsix --hash sha256:0\n"},
        [("flask==2.0", TOP, 1), ("six", TOP, 3)],
        id="--hash options are stripped",
    ),
    pytest.param(
        {TOP: "pkg --config-settings=a=b -C c=d --global-option=--x --install-option=--y\n"},
        [("pkg", TOP, 1)],
        id="per-requirement build options are stripped",
    ),
    pytest.param(
        {
            TOP: (
                "-i https://pypi.example.com/simple\n"
                "--index-url=https://pypi.example.com/simple\n"
                "--extra-index-url https://extra.example.com/simple\n"
                "--no-index\n"
                "-f ./wheels\n"
                "--find-links=https://example.com/wheels\n"
                "--trusted-host example.com\n"
                "--pre\n"
                "--prefer-binary\n"
                "--only-binary :all:\n"
                "--no-binary=:none:\n"
                "--require-hashes\n"
                "--use-feature=truststore\n"
                "flask\n"
            )
        },
        [("flask", TOP, 14)],
        id="global options are accepted and ignored",
    ),
    pytest.param(
        {
            TOP: "-c constraints.txt\n--constraint=missing.txt\nflask\n",
            "constraints.txt": "django<5\n",
        },
        [("flask", TOP, 3)],
        id="constraints declare nothing and are not read",
    ),
    pytest.param(
        {
            TOP: "-r a.txt\n-rb.txt\n--requirement=c.txt\n--requirement d.txt\n",
            "a.txt": "a\n",
            "b.txt": "b\n",
            "c.txt": "c\n",
            "d.txt": "d\n",
        },
        [("a", "a.txt", 1), ("b", "b.txt", 1), ("c", "c.txt", 1), ("d", "d.txt", 1)],
        id="every spelling of -r",
    ),
    pytest.param(
        {
            TOP: "first\n-r sub/one.txt\nlast\n",
            "sub/one.txt": "one\n-r deeper/two.txt\n",
            "sub/deeper/two.txt": "two\n-r ../../three.txt\n",
            "three.txt": "three\n",
        },
        [
            ("first", TOP, 1),
            ("one", "sub/one.txt", 1),
            ("two", "sub/deeper/two.txt", 1),
            ("three", "three.txt", 1),
            ("last", TOP, 3),
        ],
        id="includes three deep, each relative to its includer",
    ),
    pytest.param(
        {TOP: "-r base.txt\nflask\n-r ./base.txt\n", "base.txt": "six\n"},
        [("six", "base.txt", 1), ("flask", TOP, 2)],
        id="a file included twice is read once",
    ),
    pytest.param(
        {
            TOP: (
                "-e git+https://github.com/org/repo.git@main#egg=repo-name[extra]\n"
                "--editable=hg+https://hg.example.com/lib#egg=lib&subdirectory=src\n"
            )
        },
        [("repo-name[extra]", TOP, 1), ("lib", TOP, 2)],
        id="-e named by its egg fragment",
    ),
    pytest.param(
        {TOP: "-e .\n", "pyproject.toml": '[project]\nname = "my-app"\n'},
        [("my-app", TOP, 1)],
        id="-e of the requirement file's own folder",
    ),
    pytest.param(
        {TOP: "-e ./libs/foo[dev]\n-e file:libs/foo\n", **FOO_LIB},
        [("foo-lib[dev]", TOP, 1), ("foo-lib", TOP, 2)],
        id="-e of a subfolder, with extras and as a file URL",
    ),
    pytest.param(
        {TOP: "./libs/foo\n", **FOO_LIB},
        [("foo-lib", TOP, 1)],
        id="a local project folder without -e",
    ),
    pytest.param(
        {TOP: "-r libs/requirements.txt\n", "libs/requirements.txt": "-e ./foo\n", **FOO_LIB},
        [("foo-lib", "libs/requirements.txt", 1)],
        id="-e in an included file is relative to that file",
    ),
    pytest.param(
        {TOP: b"flask\r\nrequests \\\r\n  >=2\r\n# comment\r\nsix\r\n"},
        [("flask", TOP, 1), ("requests>=2", TOP, 2), ("six", TOP, 5)],
        id="CRLF line ends",
    ),
    pytest.param(
        {TOP: codecs.BOM_UTF8 + b"flask\nsix\n"},
        [("flask", TOP, 1), ("six", TOP, 2)],
        id="UTF-8 with a BOM",
    ),
    pytest.param(
        {TOP: codecs.BOM_UTF16_LE + "flask\nsix  # caf\u00e9\n".encode("utf-16-le")},
        [("flask", TOP, 1), ("six", TOP, 2)],
        id="UTF-16 little-endian with a BOM",
    ),
    pytest.param(
        {TOP: codecs.BOM_UTF16_BE + "flask\nsix\n".encode("utf-16-be")},
        [("flask", TOP, 1), ("six", TOP, 2)],
        id="UTF-16 big-endian with a BOM",
    ),
    pytest.param(
        {TOP: codecs.BOM_UTF32_LE + "flask\n".encode("utf-32-le")},
        [("flask", TOP, 1)],
        id="UTF-32 with a BOM",
    ),
    pytest.param(
        {TOP: b"# -*- coding: latin-1 -*-\nflask  # caf\xe9\n"},
        [("flask", TOP, 2)],
        id="a coding line, as pip honours",
    ),
]


@pytest.mark.parametrize(("files", "expected"), READS)
def test_reads(tmp_path, files, expected):
    assert read(tmp_path, files) == (expected, [])


REPORTS = [
    pytest.param(
        {TOP: "flask>=\n==1.0\nfoo[bar\nflask ; python_version\nfoo>=1.0 extra\nflask=2.0\nsix\n"},
        [("six", TOP, 7)],
        [
            f"{TOP}:1: invalid requirement 'flask>=': {INVALID_SPEC}",
            f"{TOP}:2: invalid requirement '==1.0': "
            "expected package name at the start of dependency specifier",
            f"{TOP}:3: invalid requirement 'foo[bar': "
            "expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras",
            f"{TOP}:4: invalid requirement 'flask ; python_version': "
            "expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in",
            f"{TOP}:5: invalid requirement 'foo>=1.0 extra': expected comma (within version "
            "specifier), semicolon (after version specifier) or end",
            f"{TOP}:6: invalid requirement 'flask=2.0': {INVALID_SPEC}",
        ],
        id="invalid requirements, in packaging's words",
    ),
    pytest.param(
        {TOP: "x" * 100 + ">=\n"},
        [],
        [f"{TOP}:1: invalid requirement '{'x' * 77}...': {INVALID_SPEC}"],
        id="a long line is cut in the message",
    ),
    pytest.param(
        {TOP: b"flask\x00\nsix\n\x00\x00\n"},
        [("six", TOP, 2)],
        [
            f"{TOP}:1: invalid requirement 'flask\\x00': {INVALID_SPEC}",
            f"{TOP}:3: invalid requirement '\\x00\\x00': "
            "expected package name at the start of dependency specifier",
        ],
        id="NUL bytes are escaped in messages",
    ),
    pytest.param(
        {TOP: "--foo\n--frobnicate=1 flask\nflask --bogus\n-x\nsix\n"},
        [("six", TOP, 5)],
        [
            f"{TOP}:1: unknown pip option '--foo'",
            f"{TOP}:2: unknown pip option '--frobnicate'",
            f"{TOP}:3: unknown pip option '--bogus'",
            f"{TOP}:4: unknown pip option '-x'",
        ],
        id="unknown options, and the line they are on is skipped",
    ),
    pytest.param(
        {TOP: "-r\n--re x.txt\n--index-url 'https://example.com\n"},
        [],
        [
            f"{TOP}:1: invalid pip option: -r option requires 1 argument",
            f"{TOP}:2: invalid pip option: "
            "ambiguous option: --re (--require-hashes, --requirement?)",
            f"{TOP}:3: cannot split pip options '--index-url 'https://example.com': "
            "no closing quotation",
        ],
        id="options pip cannot parse",
    ),
    pytest.param(
        {TOP: "flask\n-r requirements.txt\nsix\n"},
        [("flask", TOP, 1), ("six", TOP, 3)],
        [f"{TOP}:2: include cycle: requirements.txt -> requirements.txt"],
        id="include cycle of one file",
    ),
    pytest.param(
        {TOP: "-r a.txt\n-r a.txt\n", "a.txt": "a\n-r b.txt\n", "b.txt": "b\n-r a.txt\n"},
        [("a", "a.txt", 1), ("b", "b.txt", 1)],
        ["b.txt:2: include cycle: a.txt -> b.txt -> a.txt"],
        id="include cycle of two files, reported once",
    ),
    pytest.param(
        {
            TOP: "-r one/a.txt\n",
            "one/a.txt": "-r ../two/b.txt\n",
            "two/b.txt": "-r ../three/c.txt\n",
            "three/c.txt": "-r ../one/a.txt\n",
        },
        [],
        ["three/c.txt:1: include cycle: one/a.txt -> two/b.txt -> three/c.txt -> one/a.txt"],
        id="include cycle of three files in three folders",
    ),
    pytest.param(
        {TOP: "-r sub/a.txt\n", "sub/a.txt": "-r ../requirements.txt\n"},
        [],
        ["sub/a.txt:1: include cycle: requirements.txt -> sub/a.txt -> requirements.txt"],
        id="include cycle back to the top file",
    ),
    pytest.param(
        {TOP: "flask\n-r missing.txt\n-r sub/a.txt\n", "sub/a.txt": "-r ../nope.txt\nsix\n"},
        [("flask", TOP, 1), ("six", "sub/a.txt", 2)],
        [
            f"{TOP}:2: -r target 'missing.txt' not found",
            "sub/a.txt:1: -r target '../nope.txt' not found",
        ],
        id="missing -r targets, named as written",
    ),
    pytest.param(
        {TOP: "-r sub\n", "sub/a.txt": "flask\n"},
        [],
        [f"{TOP}:1: -r target 'sub' is a directory, not a requirements file"],
        id="-r to a folder",
    ),
    pytest.param(
        {TOP: "-r https://example.com/requirements.txt\n"},
        [],
        [
            f"{TOP}:1: -r target 'https://example.com/requirements.txt' is a URL; "
            "only local files are read"
        ],
        id="-r to a URL",
    ),
    pytest.param(
        {TOP: "-r latin.txt\n", "latin.txt": b"flask\ncaf\xe9\n"},
        [],
        [f"{TOP}:1: -r target 'latin.txt' is not valid UTF-8 text (line 2); save it as UTF-8"],
        id="-r to a file in Latin-1",
    ),
    pytest.param(
        {TOP: "-e git+https://github.com/org/repo.git\n"},
        [],
        [
            f"{TOP}:1: cannot tell the name of the editable project at "
            "'git+https://github.com/org/repo.git'; add '#egg=name' to the URL"
        ],
        id="-e VCS URL without an egg fragment",
    ),
    pytest.param(
        {TOP: "-e git+https://github.com/org/repo.git#egg=bad!name\n"},
        [],
        [
            f"{TOP}:1: invalid requirement 'git+https://github.com/org/repo.git#egg=bad!name': "
            f"{INVALID_SPEC}"
        ],
        id="-e with an egg fragment that is not a name",
    ),
    pytest.param(
        {TOP: "-e ./empty\n", "empty/README.txt": "not a project\n"},
        [],
        [f"{TOP}:1: cannot tell the name of the editable project in './empty'"],
        id="-e of a folder with no project name",
    ),
    pytest.param(
        {TOP: "-e ./missing\n-e flask\n"},
        [],
        [
            f"{TOP}:1: editable './missing' is not a project folder or a VCS URL",
            f"{TOP}:2: editable 'flask' is not a project folder or a VCS URL",
        ],
        id="-e of neither a folder nor a URL",
    ),
    pytest.param(
        {TOP: "https://example.com/download\n./dist/thing.zip\n"},
        [],
        [
            f"{TOP}:1: cannot tell the name of the distribution at "
            "'https://example.com/download'; add '#egg=name' to the URL",
            f"{TOP}:2: cannot tell the name of the distribution at './dist/thing.zip'",
        ],
        id="a URL and an archive with no name in them",
    ),
    pytest.param(
        {TOP: f"./{'a' * 5000}\n-e ./{'a' * 5000}\n-r {'a' * 5000}\n"},
        [],
        [
            f"{TOP}:1: invalid requirement './{'a' * 75}...': "
            "expected package name at the start of dependency specifier",
            f"{TOP}:2: editable './{'a' * 75}...' is not a project folder or a VCS URL",
            f"{TOP}:3: -r target '{'a' * 77}...' cannot be read: File name too long",
        ],
        id="paths too long for the file system",
    ),
]


@pytest.mark.parametrize(("files", "expected", "errors"), REPORTS)
def test_reports(tmp_path, files, expected, errors):
    assert read(tmp_path, files) == (expected, errors)


VARIABLES = [
    pytest.param(
        {TOP: "${PKG}==${VERSION}\n-r ${DIR}/base.txt\n", "sub/base.txt": "six\n"},
        {"PKG": "flask", "VERSION": "2.0", "DIR": "sub"},
        [("flask==2.0", TOP, 1), ("six", "sub/base.txt", 1)],
        [],
        id="variables in requirements and -r targets",
    ),
    pytest.param(
        {TOP: "flask # ${PKG}\n"},
        {"PKG": "six"},
        [("flask", TOP, 1)],
        [],
        id="comments are stripped before expansion",
    ),
    pytest.param(
        {TOP: "${MISSING}\n${EMPTY}\n${lower}\n$PKG\n"},
        {"EMPTY": "", "lower": "six", "PKG": "six"},
        [],
        [
            f"{TOP}:{line}: invalid requirement '{text}': "
            "expected package name at the start of dependency specifier"
            for line, text in enumerate(["${MISSING}", "${EMPTY}", "${lower}", "$PKG"], start=1)
        ],
        id="unset, empty, lower-case and brace-less variables are left alone",
    ),
    pytest.param(
        {TOP: "${PKG}>=\n"},
        {"PKG": "flask"},
        [],
        [f"{TOP}:1: invalid requirement '${{PKG}}>=': {INVALID_SPEC}"],
        id="a problem quotes the line as written, not as expanded (was: 'flask>=')",
    ),
    pytest.param(
        {TOP: "-e git+https://${TOKEN}@host/tool.git\n-r ${TOKEN}.txt\n"},
        {"TOKEN": "s3cr3t"},
        [],
        [
            f"{TOP}:1: cannot tell the name of the editable project at "
            "'git+https://****@host/tool.git'; add '#egg=name' to the URL",
            f"{TOP}:2: -r target '${{TOKEN}}.txt' not found",
        ],
        id="a variable's value is never quoted, and URL credentials are hidden",
    ),
]


@pytest.mark.parametrize(("files", "environ", "expected", "errors"), VARIABLES)
def test_variables(tmp_path, files, environ, expected, errors):
    assert read(tmp_path, files, environ) == (expected, errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("https://token@host/x", "https://****@host/x", id="a token alone"),
        pytest.param("https://user:pw@host/x", "https://user:****@host/x", id="a password"),
        pytest.param("https://user:@host", "https://user:****@host", id="an empty password"),
        pytest.param("git+ssh://git@host/x.git", "git+ssh://****@host/x.git", id="ssh, as pip"),
        pytest.param("https://a@b@host/x", "https://****@host/x", id="an @ in the userinfo"),
        pytest.param("https://host/x@1.0", "https://host/x@1.0", id="an @ in the path"),
        pytest.param("pkg @ https://t@h/p", "pkg @ https://****@h/p", id="in a requirement"),
        pytest.param("flask @ file:///a", "flask @ file:///a", id="nothing to hide"),
    ],
)
def test_redact_credentials_hides_them_as_pip_logs_a_url(text, expected):
    assert redact_credentials(text) == expected


OUTSIDE = [
    pytest.param(
        {"../secret.env": "API_KEY=s3cr3t\nflask\n"},
        [("six", TOP, 1)],
        [
            f"{TOP}:2: -r target '../secret.env' is outside the project and has 1 line that "
            "is not a requirement; its lines are not shown, and it declares nothing"
        ],
        id="named, not quoted, and nothing from it declared",
    ),
    pytest.param(
        {"../base.txt": "flask\n"},
        [("six", TOP, 1), ("flask", "../base.txt", 1)],
        [],
        id="a file of requirements only: read as any other",
    ),
    pytest.param(
        {"../a.txt": "-r b.txt\nflask\n", "../b.txt": "s3cr3t=1\n"},
        [("six", TOP, 1)],
        [
            f"{TOP}:2: -r target '../a.txt' is outside the project and has 1 line that "
            "is not a requirement; its lines are not shown, and it declares nothing"
        ],
        id="what it includes counts with it",
    ),
    pytest.param(
        {"../a.txt": "-r missing-s3cr3t.txt\n"},
        [("six", TOP, 1)],
        [
            f"{TOP}:2: -r target '../a.txt' is outside the project and has 1 line that "
            "is not a requirement; its lines are not shown, and it declares nothing"
        ],
        id="an include it names that is not there is not quoted either",
    ),
    pytest.param(
        {"../big.env": "".join(f"KEY_{n}=s3cr3t\n" for n in range(150))},
        [("six", TOP, 1)],
        [
            f"{TOP}:2: -r target '../big.env' is outside the project and has 100 or more "
            "lines that are not requirements; its lines are not shown, and it declares nothing"
        ],
        id="reading stops after a hundred problems",
    ),
]


@pytest.mark.parametrize(("files", "expected", "errors"), OUTSIDE)
def test_an_include_outside_the_project_is_never_quoted(tmp_path, files, expected, errors):
    project = tmp_path / "project"
    target = next(iter(files)).removeprefix("../")
    write(project, {TOP: f"six\n-r ../{target}\n", **files})
    declared = read_requirements_file(project / TOP, TOP, {}, project)
    found = [(str(req.req), req.path, req.line) for req in declared.runtime]
    assert (found, [str(error) for error in declared.errors]) == (expected, errors)


RAISES = [
    pytest.param({}, f"{TOP}: no such file", id="missing"),
    pytest.param(
        {f"{TOP}/a.txt": "flask\n"},
        f"{TOP}: is a directory, not a requirements file",
        id="a folder",
    ),
    pytest.param(
        {TOP: b"flask\ncaf\xe9\n"},
        f"{TOP}: is not valid UTF-8 text (line 2); save it as UTF-8",
        id="Latin-1 bytes",
    ),
    pytest.param(
        {TOP: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        f"{TOP}: is not valid UTF-8 text (line 1); save it as UTF-8",
        id="binary junk",
    ),
    pytest.param(
        {TOP: codecs.BOM_UTF16_LE + "flask\n".encode("utf-16-le") + b"s"},
        f"{TOP}: is not valid UTF-16 text (line 2); save it as UTF-8",
        id="UTF-16 cut short",
    ),
    pytest.param(
        {TOP: b"# coding: klingon\nflask\n"},
        f"{TOP}: declares an unknown text encoding 'klingon'; save it as UTF-8",
        id="an unknown coding line",
    ),
    pytest.param(
        {TOP: b"# coding: ascii\nflask\ncaf\xe9\n"},
        f"{TOP}: is not valid ascii text (line 3); save it as UTF-8",
        id="not the encoding its coding line declares",
    ),
    pytest.param(
        {TOP: b"# coding: idna\n\xef\xbb\xbf"},
        f"{TOP}: is not valid idna text (line 2); save it as UTF-8",
        id="a coding line naming a codec with no error handlers",
    ),
]


@pytest.mark.parametrize(("files", "message"), RAISES)
def test_raises_for_the_file_itself(tmp_path, files, message):
    with pytest.raises(ReqsInputError) as raised:
        read(tmp_path, files)
    assert (str(raised.value), raised.value.line) == (message, None)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_include(tmp_path):
    write(tmp_path, {TOP: "-r secret.txt\n", "secret.txt": "flask\n"})
    (tmp_path / "secret.txt").chmod(0)
    declared = read_requirements_file(tmp_path / TOP, TOP, {})
    assert [str(error) for error in declared.errors] == [
        f"{TOP}:1: -r target 'secret.txt' cannot be read: Permission denied"
    ]


def test_declares_only_runtime_requirements(tmp_path):
    write(tmp_path, {TOP: "flask\n"})
    declared = read_requirements_file(tmp_path / TOP, "./requirements.txt", {})
    assert declared == Declared(runtime=declared.runtime)
    assert [(r.name, r.path, r.line) for r in declared.runtime] == [
        ("flask", "./requirements.txt", 1)
    ]


def test_names_the_constraint_files_pip_would_read(tmp_path):
    """verify hashes them: a changed constraint must make a new environment."""
    files = {
        TOP: "-c constraints.txt\nflask\n-r sub/more.txt\n",
        "sub/more.txt": "--constraint=../pins.txt\n-c https://example.com/c.txt\n",
    }
    write(tmp_path, files)
    declared = read_requirements_file(tmp_path / TOP, TOP, {})
    assert [os.path.normpath(path) for path in declared.constraints] == [
        str(tmp_path / "constraints.txt"),
        str(tmp_path / "pins.txt"),
    ]


def test_stops_after_a_hundred_problems(tmp_path):
    found, errors = read(tmp_path, {TOP: "flask\n" + "==1\n" * 150 + "six\n"})
    problem = (
        "invalid requirement '==1': expected package name at the start of dependency specifier"
    )
    assert found == [("flask", TOP, 1)]
    assert errors == [
        *(f"{TOP}:{line}: {problem}" for line in range(2, 102)),
        f"{TOP}:101: stopped reading after 100 problems; fix those first",
    ]


def test_utf16_without_a_bom_stops_early(tmp_path):
    found, errors = read(tmp_path, {TOP: "flask\n".encode("utf-16-le") * 1000})
    assert (found, len(errors), errors[-1]) == (
        [],
        101,
        f"{TOP}:100: stopped reading after 100 problems; fix those first",
    )


def test_includes_fifty_deep(tmp_path):
    files = {TOP: "top\n-r level/0.txt\n"}
    for depth in range(50):
        files[f"level/{depth}.txt"] = f"pkg{depth}\n-r {depth + 1}.txt\n"
    files["level/50.txt"] = "bottom\n"
    expected = [("top", TOP, 1)]
    expected += [(f"pkg{depth}", f"level/{depth}.txt", 1) for depth in range(50)]
    expected += [("bottom", "level/50.txt", 1)]
    assert read(tmp_path, files) == (expected, [])


LINE_PIECES = st.sampled_from(
    [
        *("flask", ">=1", "[x]", ";", "python_version<'3'", "@", "a.txt", ".", "'", '"'),
        *("-r ", "-c ", "-e ", "--hash=sha256:0", "--foo", "-i", "#egg=x", "${A}", "#"),
        *("https://x/p-1.0-py3-none-any.whl", "git+https://x/y.git", "file:", "./"),
        *(" ", "\\", "\n", "\r\n", "\x00", "\x0c", "\u2028", "\ufeff"),
    ]
)


def read_any(data: bytes) -> Declared | ReqsInputError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / TOP
        path.write_bytes(data)
        try:
            return read_requirements_file(path, TOP, {"A": "-r a.txt"})
        except ReqsInputError as exc:
            return exc


def assert_reads_or_fails_whole(data: bytes) -> None:
    """Every problem has a line, or is about the whole file and raised."""
    outcome = read_any(data)
    if isinstance(outcome, ReqsInputError):
        assert (outcome.path, outcome.line) == (TOP, None)
    else:
        assert all(isinstance(error.line, int) and error.line >= 1 for error in outcome.errors)
        assert all(requirement.line >= 1 for requirement in outcome.runtime)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text(text):
    assert_reads_or_fails_whole(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE_PIECES).map("".join))
def test_any_requirement_like_text(text):
    assert_reads_or_fails_whole(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes(data):
    assert_reads_or_fails_whole(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="'\"\\")))
def test_option_words_split_as_shlex_would(text):
    # _split_words skips shlex, which is slow on long lines, when nothing is quoted.
    assert _split_words(text) == shlex.split(text)


LOCAL_LIB = {"lib/pyproject.toml": "[project]\nname = 'acme-lib'\nversion = '1'\n"}


@pytest.mark.parametrize(
    ("line", "local"),
    [
        pytest.param("-e ./lib\n", "lib", id="editable path"),
        pytest.param("-e ./lib[extra]#egg=acme-lib\n", "lib", id="editable path with egg"),
        pytest.param("./lib\n", "lib", id="a folder"),
        pytest.param("./lib[extra] ; python_version > '3'\n", "lib", id="a folder with a marker"),
        pytest.param("-e file:{root}/lib\n", "lib", id="editable file URL"),
        pytest.param("acme-lib @ file://{root}/lib\n", "lib", id="direct reference"),
        pytest.param("acme-lib\n", None, id="a name"),
        pytest.param("-e git+https://example.com/lib.git#egg=acme-lib\n", None, id="a VCS URL"),
        pytest.param("acme-lib @ https://example.com/lib-1.0.tar.gz\n", None, id="a URL"),
    ],
)
def test_local_projects_are_named_by_their_folder(tmp_path, line, local):
    root = tmp_path.resolve()
    write(root, {**LOCAL_LIB, TOP: line.format(root=root.as_posix())})
    declared = read_requirements_file(root / TOP, TOP, {})
    assert [req.local for req in declared.runtime] == [None if local is None else str(root / local)]
    assert declared.errors == ()
