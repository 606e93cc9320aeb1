"""fix says what it did not fix and why, exits 1 while findings remain, and with --move-dev
moves a dev requirement that runtime code imports into the runtime set, pin kept."""

from __future__ import annotations

import pytest

from tests.conftest import make_project, run_cli

APP = {"app/__init__.py": "", "app/main.py": "import flask\nimport requests\n"}
MOVED = 'requests[socks]>=2.31; python_version >= "3.8"'


def fix(project, *args, env=None):
    return run_cli(project, "fix", "--no-cache", "-j1", *args, module="flake8_reqs", env=env)


def check(project):
    return run_cli(project, "check", "--no-cache", "-j1", "--select=REQ0", module="flake8_reqs")


PYPROJECT = """\
[project]
name = "app"
version = "1"
dependencies = [
    "flask==3.0.0",
]
"""

MOVES = [
    pytest.param(
        {
            "requirements.txt": "flask==3.0.0\n",
            "requirements-dev.txt": "-r requirements.txt\n"
            "requests[socks] >= 2.31 ; python_version >= '3.8'\npytest\n",
        },
        {
            "requirements.txt": f"flask==3.0.0\n{MOVED}\n",
            "requirements-dev.txt": "-r requirements.txt\npytest\n",
        },
        [],
        id="pip dev file that includes the runtime one: moved out of it",
    ),
    pytest.param(
        {
            "requirements.txt": "flask==3.0.0\n",
            "requirements-test.txt": "requests[socks]>=2.31; python_version >= '3.8'\n",
        },
        {
            "requirements.txt": f"flask==3.0.0\n{MOVED}\n",
            "requirements-test.txt": "requests[socks]>=2.31; python_version >= '3.8'\n",
        },
        [
            "flake8-reqs: 'requests' stays in requirements-test.txt too: that set does not "
            "include the runtime requirements"
        ],
        id="pip dev file on its own: kept there too, said why",
    ),
    pytest.param(
        {"pyproject.toml": PYPROJECT + '\n[dependency-groups]\ndev = ["requests==2.32.3"]\n'},
        {
            "pyproject.toml": PYPROJECT.replace(
                '"flask==3.0.0",\n', '"flask==3.0.0",\n    "requests==2.32.3",\n'
            )
            + "\n[dependency-groups]\ndev = []\n"
        },
        [],
        id="[dependency-groups]",
    ),
    pytest.param(
        {
            "pyproject.toml": PYPROJECT
            + "\n[project.optional-dependencies]\n"
            + "test = [\n    'pytest',\n    'requests~=2.31',\n]\n"
        },
        {
            "pyproject.toml": PYPROJECT.replace(
                '"flask==3.0.0",\n', '"flask==3.0.0",\n    "requests~=2.31",\n'
            )
            + "\n[project.optional-dependencies]\ntest = [\n    'pytest',\n]\n"
        },
        [],
        id="[project.optional-dependencies]",
    ),
    pytest.param(
        {"pyproject.toml": PYPROJECT + '\n[tool.uv]\ndev-dependencies = ["requests", "ruff"]\n'},
        {
            "pyproject.toml": PYPROJECT.replace(
                '"flask==3.0.0",\n', '"flask==3.0.0",\n    "requests",\n'
            )
            + '\n[tool.uv]\ndev-dependencies = ["ruff"]\n'
        },
        [],
        id="[tool.uv] dev-dependencies",
    ),
]


@pytest.mark.parametrize(("files", "expected", "notes"), MOVES)
def test_move_dev_moves_the_requirement_with_its_pin(tmp_path, files, expected, notes):
    project = make_project(tmp_path / "p", {**APP, **files})
    assert [line.split(" REQ002 ")[0] for line in check(project).out] == ["app/main.py:2:1:"]
    result = fix(project, "--move-dev")
    assert (result.exit_code, result.err) == (0, notes)
    for name, text in expected.items():
        assert (project / name).read_text(encoding="utf-8") == text, name
    assert check(project).out == []


URL = "https://${TOKEN}@pypi.example.com/simple/requests-2.32.3.tar.gz"


def test_a_requirement_with_a_url_moves_with_its_whole_url_unexpanded(tmp_path):
    """The state keeps a URL cut to its host; the moved line is read again from its file,
    and the variable in it stays a variable: the token is not written to the runtime file."""
    files = {
        **APP,
        "requirements.txt": "flask==3.0.0\n",
        "requirements-dev.txt": f"-r requirements.txt\nrequests @ {URL} ; os_name == 'posix'\n",
    }
    project = make_project(tmp_path / "p", files)
    result = fix(project, "--move-dev", env={"TOKEN": "s3cr3t"})
    assert (result.exit_code, result.err) == (0, [])
    runtime = (project / "requirements.txt").read_text(encoding="utf-8")
    assert runtime == f'flask==3.0.0\nrequests @ {URL} ; os_name == "posix"\n'
    assert "s3cr3t" not in runtime
    assert (project / "requirements-dev.txt").read_text(encoding="utf-8") == (
        "-r requirements.txt\n"
    )


NOT_MOVED = [
    pytest.param(
        # Its pin ("^2.31") is not a PEP 508 specifier: moving the bare name would drop it.
        '[tool.poetry.group.dev.dependencies]\nrequests = "^2.31"\n',
        "'requests' is declared in pyproject.toml [tool.poetry.group.dev] in a syntax of its "
        "own, whose pin fix cannot carry over: move it by hand",
        id="poetry's own syntax",
    ),
    pytest.param(
        # The state keeps the URL cut to its host, and fix reads again only pip files.
        f'[dependency-groups]\ndev = ["requests @ {URL}"]\n',
        "'requests' is declared with a URL in pyproject.toml [dependency-groups] dev, which "
        "fix does not read again: move it by hand",
        id="a URL in a pyproject.toml list",
    ),
]


@pytest.mark.parametrize(("table", "why"), NOT_MOVED)
def test_a_requirement_fix_cannot_carry_over_is_not_moved(tmp_path, table, why):
    text = f"{PYPROJECT}\n{table}"
    project = make_project(tmp_path / "p", {**APP, "pyproject.toml": text})
    result = fix(project, "--move-dev")
    assert (result.exit_code, result.err) == (
        1,
        [f"flake8-reqs: app/main.py:2:1: REQ002 not fixed: {why}"],
    )
    assert (project / "pyproject.toml").read_text(encoding="utf-8") == text


def test_without_move_dev_the_dev_requirement_stays_and_fix_fails(tmp_path):
    files = {
        "requirements.txt": "flask\n",
        "requirements-dev.txt": "-r requirements.txt\nrequests\n",
    }
    project = make_project(tmp_path / "p", {**APP, **files})
    result = fix(project)
    assert (result.exit_code, result.out) == (1, ["requirements.txt: nothing to change"])
    assert result.err == [
        "flake8-reqs: app/main.py:2:1: REQ002 not fixed: declared only in a dev set: run fix "
        "--move-dev to move it to requirements.txt"
    ]
    assert (project / "requirements-dev.txt").read_text(encoding="utf-8") == files[
        "requirements-dev.txt"
    ]


def test_a_dry_run_of_move_dev_shows_both_files_and_writes_nothing(tmp_path):
    files = {
        "requirements.txt": "flask\n",
        "requirements-dev.txt": "-r requirements.txt\nrequests\n",
    }
    project = make_project(tmp_path / "p", {**APP, **files})
    result = fix(project, "--move-dev", "--dry-run")
    assert result.exit_code == 1
    assert [line for line in result.out if line[:1] in "+-"] == [
        "--- a/requirements.txt",
        "+++ b/requirements.txt",
        "+requests",
        "--- a/requirements-dev.txt",
        "+++ b/requirements-dev.txt",
        "-requests",
    ]
    for name, text in files.items():
        assert (project / name).read_text(encoding="utf-8") == text


NOT_FIXED = [
    pytest.param(
        "import flask\nimport not_a_known_module_anywhere\n",
        [],
        "app.py:2:1: REQ001 not fixed: no known distribution provides "
        "'not_a_known_module_anywhere': declare the right one by hand",
        id="REQ001 with no known distribution",
    ),
    pytest.param(
        "import flask\nimport magic\n",
        ["--select=REQ101"],
        "app.py:2:1: REQ101 not fixed: needs an OS package in the image, and fix edits "
        "requirement files only: flake8-reqs system prints the install line for the Dockerfile",
        id="REQ101: the Dockerfile is not fix's to edit",
    ),
    pytest.param(
        "import flask\nimport tomllib\n",
        ["--reqs-python-version=3.10"],
        "app.py:2:1: REQ004 not fixed: the target Python has no such module: change the "
        "import or the target Python",
        id="REQ004",
    ),
    pytest.param(
        "import flask\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n",
        ["--extend-select=REQ003"],
        "app.py:3:5: REQ003 not fixed: an optional import (inside try/except ImportError): "
        "declare it by hand if production needs the feature",
        id="REQ003, when selected",
    ),
]


@pytest.mark.parametrize(("code", "args", "line"), NOT_FIXED)
def test_fix_names_each_finding_it_leaves_and_fails(tmp_path, code, args, line):
    project = make_project(tmp_path / "p", {"requirements.txt": "flask\n", "app.py": code})
    result = fix(project, *args)
    assert (result.exit_code, result.err[-1:]) == (1, [f"flake8-reqs: {line}"])
    dry = fix(project, "--dry-run", *args)
    assert (dry.exit_code, dry.err[-1:]) == (1, [f"flake8-reqs: {line}"])


def test_fix_exits_0_when_nothing_is_left(tmp_path):
    project = make_project(
        tmp_path / "p", {"requirements.txt": "flask\n", "app.py": "import bs4\nimport flask\n"}
    )
    result = fix(project)
    assert (result.exit_code, result.err) == (0, [])
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "beautifulsoup4\nflask\n"


# pip's hash-checking mode: one requirement with a --hash, or --require-hashes, and pip
# installs nothing that has none.
H1 = "sha256:" + "1" * 64
H2 = "sha256:" + "2" * 64
FLASK_HASHED = f"flask==3.0.0 --hash={H1}\n"

HASHED_MOVES = [
    pytest.param(
        FLASK_HASHED,
        f"-r requirements.txt\nrequests==2.32.3 \\\n    --hash={H1} \\\n    --hash {H2}\npytest\n",
        (0, []),
        f"{FLASK_HASHED}requests==2.32.3 --hash={H1} --hash={H2}\n",
        "-r requirements.txt\npytest\n",
        id="both hashed: moved with its hashes",
    ),
    pytest.param(
        FLASK_HASHED,
        "-r requirements.txt\nrequests==2.32.3\n",
        (
            1,
            [
                "flake8-reqs: app/main.py:2:1: REQ002 not fixed: pip installs requirements.txt "
                "checking hashes, and 'requests' has no --hash in requirements-dev.txt for fix "
                "to carry over: move it by hand, with its hashes"
            ],
        ),
        FLASK_HASHED,
        "-r requirements.txt\nrequests==2.32.3\n",
        id="runtime hashed, dev line not: not moved, said why",
    ),
    pytest.param(
        "flask==3.0.0\n",
        f"-r requirements.txt\nrequests==2.32.3 --hash={H1}\n",
        (0, []),
        "flask==3.0.0\nrequests==2.32.3\n",  # a hash here would turn on hash checking
        "-r requirements.txt\n",
        id="dev line hashed, runtime not: moved without its hashes",
    ),
]


@pytest.mark.parametrize(("runtime", "dev", "result", "runtime_after", "dev_after"), HASHED_MOVES)
def test_move_dev_keeps_pip_installing_with_or_without_hashes(
    tmp_path, runtime, dev, result, runtime_after, dev_after
):
    files = {**APP, "requirements.txt": runtime, "requirements-dev.txt": dev}
    project = make_project(tmp_path / "p", files)
    done = fix(project, "--move-dev")
    assert (done.exit_code, done.err) == result
    assert (project / "requirements.txt").read_text(encoding="utf-8") == runtime_after
    assert (project / "requirements-dev.txt").read_text(encoding="utf-8") == dev_after


HASHED_RUNTIME = [
    pytest.param({"requirements.txt": FLASK_HASHED}, id="a --hash in the runtime file"),
    pytest.param(
        {"requirements.txt": "--require-hashes\nflask==3.0.0\n"}, id="--require-hashes alone"
    ),
    pytest.param(
        {"requirements.txt": "-r base.txt\n", "base.txt": FLASK_HASHED},
        id="a --hash in a file it includes",
    ),
]


@pytest.mark.parametrize("files", HASHED_RUNTIME)
def test_fix_declares_nothing_without_hashes_where_pip_checks_them(tmp_path, files):
    project = make_project(tmp_path / "p", {**APP, **files})
    before = {name: (project / name).read_text(encoding="utf-8") for name in files}
    result = fix(project)
    assert result.exit_code == 1
    assert result.err == [
        "flake8-reqs: app/main.py:2:1: REQ001 not fixed: pip installs requirements.txt "
        "checking hashes, and fix cannot know the hashes of 'requests' (it never uses the "
        "network): add it with its hashes (pip-compile --generate-hashes, or pip hash)"
    ]
    assert {name: (project / name).read_text(encoding="utf-8") for name in files} == before
