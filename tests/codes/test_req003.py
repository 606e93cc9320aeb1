"""REQ003 optional-undeclared-import: undeclared, under an ImportError guard; off by default."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

MESSAGE = (
    "REQ003 '{}' is imported under an ImportError guard but not declared as a runtime "
    "requirement (requirements.txt); production runs without it"
)

GUARDED = [
    pytest.param("try:\n    import ujson\nexcept ImportError:\n    pass\n", id="ImportError"),
    pytest.param(
        "try:\n    import ujson\nexcept ModuleNotFoundError:\n    pass\n", id="ModuleNotFoundError"
    ),
    pytest.param(
        "try:\n    import ujson\nexcept (ValueError, ImportError):\n    pass\n", id="in a tuple"
    ),
    pytest.param("try:\n    import ujson\nexcept:\n    pass\n", id="bare except"),
    pytest.param(
        "import contextlib\nwith contextlib.suppress(ImportError):\n    import ujson\n",
        id="contextlib.suppress",
    ),
    pytest.param(
        "import importlib.util\nif importlib.util.find_spec('ujson') is not None:\n"
        "    import ujson\n",
        id="importlib.util.find_spec(...) is not None",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('ujson'):\n    import ujson\n",
        id="find_spec imported by name, truthiness",
    ),
    pytest.param(
        "from importlib.util import find_spec\n\nHAS_UJSON = find_spec('ujson') is not None\n"
        "if HAS_UJSON:\n    import ujson\n",
        id="a flag bound to find_spec",
    ),
    pytest.param(
        "from importlib.util import find_spec\nif find_spec('ujson') is None:\n    pass\n"
        "else:\n    import ujson\n",
        id="the else of find_spec(...) is None",
    ),
    pytest.param(
        "import pkgutil\nif pkgutil.find_loader('ujson'):\n    import ujson\n",
        id="pkgutil.find_loader",
    ),
]


@pytest.mark.parametrize("source", GUARDED)
def test_req003_is_off_by_default(tmp_path, run_flake8, source):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": source})
    # No --select: an explicit --select=REQ would select REQ003 too, as flake8 decides.
    result = run_flake8(project, "--extend-ignore=E722,F401")
    assert (result.exit_code, result.out) == (0, [])


@pytest.mark.parametrize("source", GUARDED)
def test_req003_fires_when_selected(tmp_path, run_flake8, source):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": source})
    result = run_flake8(project, "--select=REQ0", "--extend-select=REQ003")
    line = source.splitlines().index("    import ujson") + 1
    assert result.out == [f"./app.py:{line}:5: " + MESSAGE.format("ujson")]
    assert result.exit_code == 1


def test_req003_silent_when_declared(tmp_path, run_flake8):
    source = "try:\n    import ujson\nexcept ImportError:\n    import json\n"
    project = make_project(tmp_path, {"requirements.txt": "ujson\n", "app.py": source})
    result = run_flake8(project, "--select=REQ0", "--extend-select=REQ003")
    assert (result.exit_code, result.out) == (0, [])


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("try:\n    import ujson\nexcept KeyError:\n    pass\n", id="KeyError"),
        pytest.param(
            "from importlib.util import find_spec\nif find_spec('orjson'):\n    import ujson\n",
            id="find_spec of another module",
        ),
        pytest.param(
            "from importlib.util import find_spec\nif find_spec('ujson') is None:\n"
            "    import ujson\n",
            id="the branch where find_spec found nothing",
        ),
    ],
)
def test_other_guards_do_not_guard(tmp_path, run_flake8, source):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": source})
    result = run_flake8(project, "--select=REQ0", "--extend-select=REQ003")
    line = source.splitlines().index("    import ujson") + 1
    assert result.out == [
        f"./app.py:{line}:5: REQ001 'ujson' is imported but not declared as a runtime "
        "requirement (requirements.txt)"
    ]


DEV_ONLY = "try:\n    import pytest\nexcept ImportError:\n    pytest = None\n"


def test_a_guarded_import_only_a_dev_set_provides_is_req003_not_req002(tmp_path, run_flake8):
    files = {"requirements.txt": "flask\n", "requirements-dev.txt": "pytest\n", "app.py": DEV_ONLY}
    project = make_project(tmp_path, files)
    selected = run_flake8(project, "--select=REQ0", "--reqs-dev-file=requirements-dev.txt")
    assert selected.out == [
        "./app.py:2:5: REQ003 'pytest' is imported under an ImportError guard but not declared "
        "as a runtime requirement (requirements.txt); production runs without it; it is "
        "provided by 'pytest', declared only in requirements-dev.txt"
    ]
    by_default = run_flake8(project, "--reqs-dev-file=requirements-dev.txt")
    assert (by_default.exit_code, by_default.out, by_default.err) == (0, [], [])
