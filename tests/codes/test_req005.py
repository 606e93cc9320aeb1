"""REQ005 transitive-import: provided by a distribution production installs only because a
declared one depends on it, as the lock file beside the runtime source shows."""

from __future__ import annotations

import pytest

from tests import locks
from tests.commands.test_cli import cli  # noqa: F401  (the fixture)
from tests.conftest import make_project

MESSAGE = (
    "REQ005 '{}' is provided by '{}', which production installs only because {} ({}); declare it"
)
UV = {"pyproject.toml": locks.UV_PYPROJECT, "uv.lock": locks.UV_LOCK}
POETRY = {"pyproject.toml": locks.POETRY_PYPROJECT, "poetry.lock": locks.POETRY_LOCK}
PDM = {"pyproject.toml": locks.PDM_PYPROJECT, "pdm.lock": locks.PDM_LOCK}
PIPENV = {"Pipfile": locks.PIPFILE, "Pipfile.lock": locks.PIPFILE_LOCK}
PIP_TOOLS = {"requirements.in": locks.REQUIREMENTS_IN, "requirements.txt": locks.COMPILED}

FIRING = [
    pytest.param(
        UV,
        "import mpmath\n",
        (),
        [MESSAGE.format("mpmath", "mpmath", "'sympy' depends on it", "uv.lock")],
        id="uv.lock",
    ),
    pytest.param(
        UV,
        "import socks\n",
        (),
        [MESSAGE.format("socks", "pysocks", "'requests' depends on it", "uv.lock")],
        id="uv.lock: an extra counts (requests[socks] installs PySocks)",
    ),
    pytest.param(
        POETRY,
        "import idna\n",
        (),
        [MESSAGE.format("idna", "idna", "'requests' depends on it", "poetry.lock")],
        id="poetry.lock",
    ),
    pytest.param(
        PDM,
        "import socks\n",
        (),
        [MESSAGE.format("socks", "pysocks", "'requests' depends on it", "pdm.lock")],
        id="pdm.lock, with the extra's own entry",
    ),
    pytest.param(
        PIPENV,
        "import idna\n",
        (),
        [MESSAGE.format("idna", "idna", "a declared distribution depends on it", "Pipfile.lock")],
        id="Pipfile.lock default: it does not say which",
    ),
    pytest.param(
        PIP_TOOLS,
        "import mpmath\n",
        (),
        [MESSAGE.format("mpmath", "mpmath", "'sympy' depends on it", "requirements.txt")],
        id="pip-compile output beside its requirements.in",
    ),
    pytest.param(
        {"requirements.txt": "requests\nsympy\n", "locked.txt": locks.COMPILED},
        "import mpmath\n",
        ("--reqs-lock-file=locked.txt",),
        [MESSAGE.format("mpmath", "mpmath", "'sympy' depends on it", "locked.txt")],
        id="--reqs-lock-file names the lock",
    ),
    pytest.param(
        POETRY,
        "import socks\n",
        (),
        [
            "./app.py:1:1: REQ001 'socks' is imported but not declared as a runtime requirement "
            "(pyproject.toml); it is provided by 'pysocks'"
        ],
        id="an optional dependency that no requested extra installs is REQ001",
    ),
    pytest.param(
        {
            "pyproject.toml": locks.POETRY_PYPROJECT.replace(
                'requests = "^2.32"', 'requests = {version = "^2.32", extras = ["socks"]}'
            ),
            "poetry.lock": locks.POETRY_LOCK,
        },
        "import socks\n",
        (),
        [MESSAGE.format("socks", "PySocks", "'requests' depends on it", "poetry.lock")],
        id="poetry.lock: the extras of a poetry dependency table count",
    ),
    pytest.param(
        UV,
        "import colorama\n",
        ("--reqs-platform=win32",),
        [MESSAGE.format("colorama", "colorama", "'requests' depends on it", "uv.lock")],
        id="a lock's marker: on Windows requests pulls in colorama",
    ),
]

SILENT = [
    pytest.param(UV, "import sympy\nimport requests\n", (), id="declared"),
    pytest.param(
        UV,
        "try:\n    import mpmath\nexcept ImportError:\n    mpmath = None\n",
        (),
        id="guarded: production has it, and the code runs without it",
    ),
    pytest.param(
        {"requirements.txt": locks.COMPILED},
        "import mpmath\n",
        (),
        id="compiled output without its input: every pin is declared",
    ),
    pytest.param(
        {"requirements.txt": locks.COMPILED, **PIP_TOOLS},
        "import mpmath\n",
        ("--reqs-file=requirements.txt",),
        id="--reqs-file names the compiled output: the whole runtime set, as given",
    ),
    pytest.param(PDM, "import requests\n", (), id="pdm.lock: declared with its extra"),
    pytest.param(UV, "import mpmath  # noqa: REQ005\n", (), id="noqa"),
    pytest.param(UV, "import mpmath\n", ("--extend-ignore=REQ005",), id="--extend-ignore"),
    pytest.param(
        {**UV, "setup.cfg": "[flake8]\nextend-ignore = REQ005\n"},
        "import mpmath\n",
        (),
        id="extend-ignore in setup.cfg",
    ),
    pytest.param(
        {**PIPENV, "tests/test_x.py": "import pytest\n"},
        "import requests\n",
        (),
        id="Pipfile.lock develop is not what production installs, nor reported",
    ),
]


@pytest.mark.parametrize(("files", "source", "args", "expected"), FIRING)
def test_req005_fires(tmp_path, run_flake8, files, source, args, expected):
    project = make_project(tmp_path, {**files, "app.py": source})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == (
        [f"./app.py:1:1: {line}" if line.startswith("REQ") else line for line in expected],
        1,
        [],
    )


@pytest.mark.parametrize(("files", "source", "args"), SILENT)
def test_req005_silent(tmp_path, run_flake8, files, source, args):
    project = make_project(tmp_path, {**files, "app.py": source})
    result = run_flake8(project, "--select=REQ0", *args)
    assert (result.out, result.exit_code, result.err) == ([], 0, [])


def test_a_lock_marker_that_does_not_hold_is_not_installed(tmp_path, run_flake8):
    project = make_project(tmp_path, {**UV, "app.py": "import colorama\n"})
    result = run_flake8(project, "--select=REQ0", "--reqs-platform=linux")
    assert result.out == [
        "./app.py:1:1: REQ001 'colorama' is imported but not declared as a runtime requirement "
        "(pyproject.toml)"
    ]


def test_requirements_in_is_what_the_project_declares(tmp_path, run_flake8):
    project = make_project(tmp_path, {**PIP_TOOLS, "app.py": "import yaml\n"})
    result = run_flake8(project, "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(requirements.in, compiled to requirements.txt); it is provided by 'pyyaml'"
    ]


def test_uv_export_as_the_image_installs_it(tmp_path, run_flake8):
    files = {
        **UV,
        "requirements.txt": locks.UV_EXPORT,
        "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
        "app.py": "import mpmath\nimport socks\n",
    }
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    # The exported file is what the image installs: each of its pins is declared there.
    assert (result.out, result.err) == (
        [
            "./app.py:2:1: REQ001 'socks' is imported but not declared as a runtime requirement "
            "(requirements.txt, installed at Dockerfile:3); it is provided by 'pysocks'"
        ],
        [],
    )


def test_reqs_lock_file_from_the_configuration_file(tmp_path, run_flake8):
    files = {
        "requirements.txt": "requests\nsympy\n",
        "locks/locked.txt": locks.COMPILED,
        "setup.cfg": "[flake8]\nreqs-lock-file = locks/locked.txt\n",
        "app.py": "import mpmath\n",
    }
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0")
    assert (result.out, result.err) == (
        [
            "./app.py:1:1: "
            + MESSAGE.format("mpmath", "mpmath", "'sympy' depends on it", "locks/locked.txt")
        ],
        [],
    )


def test_a_lock_file_that_cannot_be_read_is_one_line_and_the_run_goes_on(tmp_path, run_flake8):
    files = {**UV, "uv.lock": "version = 1\n[[package]\n", "app.py": "import mpmath\n"}
    result = run_flake8(make_project(tmp_path, files), "--select=REQ0", "--reqs-lock-file=uv.lock")
    assert result.err == [
        "flake8-reqs: uv.lock:2: invalid TOML: Expected ']]' at the end of an array declaration"
    ]
    assert result.out == [
        "./app.py:1:1: REQ001 'mpmath' is imported but not declared as a runtime requirement "
        "(pyproject.toml)"
    ]


def test_a_uv_workspace_member_uses_the_workspace_lock(tmp_path, run_flake8):
    """uv keeps one uv.lock at the workspace's root for every member."""
    workspace = "[project]\nname='root'\nversion='0'\n[tool.uv.workspace]\nmembers=['backend']\n"
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": workspace,
            "uv.lock": locks.UV_LOCK,
            "backend/pyproject.toml": locks.UV_PYPROJECT,
            "backend/app.py": "import mpmath\n",
        },
    )
    result = run_flake8(project / "backend", "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: " + MESSAGE.format("mpmath", "mpmath", "'sympy' depends on it", "../uv.lock")
    ]


def test_a_project_outside_the_workspace_members_has_no_lock(tmp_path, run_flake8):
    workspace = "[project]\nname='root'\nversion='0'\n[tool.uv.workspace]\nmembers=['libs/*']\n"
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": workspace,
            "uv.lock": locks.UV_LOCK,
            "backend/pyproject.toml": locks.UV_PYPROJECT,
            "backend/app.py": "import mpmath\n",
        },
    )
    result = run_flake8(project / "backend", "--select=REQ0")
    assert result.out == [
        "./app.py:1:1: REQ001 'mpmath' is imported but not declared as a runtime requirement "
        "(pyproject.toml)"
    ]


# -- without a lock file: what the installed metadata says the declared distributions require


def _installed(site, name, requires=(), modules=None, extras=()):
    """A distribution installed in ``site``: its METADATA and the RECORD of its modules."""
    folder = site / f"{name}-1.0.dist-info"
    folder.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    lines += [f"Provides-Extra: {extra}" for extra in extras]
    lines += [f"Requires-Dist: {requirement}" for requirement in requires]
    (folder / "METADATA").write_text("\n".join(lines) + "\n\nA description.\n", encoding="utf-8")
    record = [f"{module}/__init__.py,," for module in modules or [name]]
    (folder / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """webkit requires routerlib (which requires corelib), and turbo for its extra 'fast'."""
    site = tmp_path / "site"
    _installed(
        site,
        "webkit",
        ["routerlib>=1", 'oldlib; python_version < "3"', 'turbo; extra == "fast"'],
        extras=["fast"],
    )
    _installed(site, "routerlib", ["corelib"])
    for name in ("corelib", "oldlib", "turbo"):
        _installed(site, name)
    monkeypatch.syspath_prepend(str(site))
    return site


def _as_installed(module, parent="webkit"):
    return MESSAGE.format(module, module, f"'{parent}' depends on it", "as installed here")


def _undeclared(module):
    return (
        f"REQ001 '{module}' is imported but not declared as a runtime requirement "
        f"(requirements.txt); it is provided by '{module}'"
    )


INSTALLED = [
    pytest.param("webkit\n", "routerlib", _as_installed("routerlib"), id="a requirement of one"),
    pytest.param("webkit\n", "corelib", _as_installed("corelib"), id="and its requirement's"),
    pytest.param("webkit\n", "oldlib", _undeclared("oldlib"), id="a marker false on the target"),
    pytest.param("webkit[fast]\n", "turbo", _as_installed("turbo"), id="an extra asked for"),
    pytest.param("webkit\n", "turbo", _undeclared("turbo"), id="an extra not asked for"),
    pytest.param(
        "flask\n", "routerlib", _undeclared("routerlib"), id="nothing declared installs it"
    ),
]


@pytest.mark.parametrize(("requirements", "module", "expected"), INSTALLED)
def test_req005_from_the_installed_metadata(
    tmp_path, run_flake8, site, requirements, module, expected
):
    files = {"requirements.txt": requirements, "app.py": f"import {module}\n"}
    result = run_flake8(make_project(tmp_path / "p", files), "--select=REQ0")
    assert result.out == [f"./app.py:1:1: {expected}"]


def test_a_lock_file_wins_over_the_installed_metadata(tmp_path, run_flake8, site):
    # uv.lock says what production installs: routerlib is not in it.
    pyproject = "[project]\nname = 'app'\nversion = '1'\ndependencies = ['webkit']\n"
    lock = (
        'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "app"\nversion = "1"\n'
        'source = { virtual = "." }\ndependencies = [{ name = "webkit" }]\n\n[[package]]\n'
        'name = "webkit"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
    )
    files = {"pyproject.toml": pyproject, "uv.lock": lock, "app.py": "import routerlib\n"}
    result = run_flake8(make_project(tmp_path / "p", files), "--select=REQ0")
    assert [line.split(" ", 2)[1] for line in result.out] == ["REQ001"]


def test_installing_a_distribution_builds_the_state_again(tmp_path, run_flake8, monkeypatch):
    from tests.conftest import age

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    files = {"requirements.txt": "webkit\n", "app.py": "import routerlib\n"}
    project = make_project(tmp_path / "p", files)
    _installed(site, "routerlib")
    age(tmp_path)  # so that the first run's state is stored, and the second would read it
    first = run_flake8(project, "--select=REQ0")
    assert [line.split(" ", 2)[1] for line in first.out] == ["REQ001"]
    _installed(site, "webkit", ["routerlib"])  # pip install webkit
    second = run_flake8(project, "--select=REQ0")
    assert second.out == [f"./app.py:1:1: {_as_installed('routerlib')}"]


def test_req201_judges_a_line_an_installed_one_requires(tmp_path, site, cli):  # noqa: F811
    # webkit requires routerlib as installed here: that says nothing of why the project
    # declares it, and nothing imports it (a lock file's graph would keep it quiet).
    files = {"requirements.txt": "webkit\nrouterlib\n", "app.py": "import webkit\n"}
    result = cli(make_project(tmp_path / "p", files), "check", "--select=REQ201")
    unused = "REQ201 'routerlib' is declared but never imported"
    assert result.out == [f"requirements.txt:2:1: {unused}"]


def test_requirements_after_an_old_style_description_are_read(tmp_path, run_flake8, monkeypatch):
    # setuptools before 2018 wrote the description as a header, folded over indented lines,
    # some of them only spaces (python-daemon, tabulate): those continue the header and end
    # nothing, so the Requires-Dist lines after it count.
    site = tmp_path / "site"
    folder = site / "legacykit-1.0.dist-info"
    folder.mkdir(parents=True)
    metadata = (
        "Metadata-Version: 2.1\nName: legacykit\nVersion: 1.0\n"
        "Description: legacykit\n        =========\n        \n        A kit.\n        \n"
        "Requires-Dist: routerlib\n\n"
    )
    (folder / "METADATA").write_text(metadata, encoding="utf-8")
    (folder / "RECORD").write_text("legacykit/__init__.py,,\n", encoding="utf-8")
    _installed(site, "routerlib")
    monkeypatch.syspath_prepend(str(site))
    files = {"requirements.txt": "legacykit\n", "app.py": "import routerlib\n"}
    result = run_flake8(make_project(tmp_path / "p", files), "--select=REQ0")
    assert result.out == [f"./app.py:1:1: {_as_installed('routerlib', 'legacykit')}"]


@pytest.mark.parametrize(
    ("requirements", "module", "expected"),
    [
        pytest.param("legacykit\n", "routerlib", "legacykit", id="requires.txt"),
        pytest.param("legacykit[fast]\n", "turbo", "legacykit", id="its section for an extra"),
        pytest.param("legacykit\n", "turbo", None, id="an extra not asked for"),
    ],
)
def test_an_egg_info_lists_its_requirements_in_requires_txt(
    tmp_path, run_flake8, monkeypatch, requirements, module, expected
):
    # A distribution installed the old way (setup.py develop, an old pip) has an .egg-info:
    # its requirements are in requires.txt, in a section per extra, not in PKG-INFO.
    site = tmp_path / "site"
    folder = site / "legacykit-1.0.egg-info"
    folder.mkdir(parents=True)
    (folder / "PKG-INFO").write_text("Metadata-Version: 1.2\nName: legacykit\n", encoding="utf-8")
    (folder / "requires.txt").write_text("routerlib\n\n[fast]\nturbo\n", encoding="utf-8")
    (folder / "top_level.txt").write_text("legacykit\n", encoding="utf-8")
    for name in ("routerlib", "turbo"):
        _installed(site, name)
    monkeypatch.syspath_prepend(str(site))
    files = {"requirements.txt": requirements, "app.py": f"import {module}\n"}
    result = run_flake8(make_project(tmp_path / "p", files), "--select=REQ0")
    found = _as_installed(module, expected) if expected else _undeclared(module)
    assert result.out == [f"./app.py:1:1: {found}"]
