"""REQ201 is decided only over the whole project, and fix never removes a used requirement."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Result, make_project

FILES = {
    "requirements-prod.txt": "flask==3.0.0\nrequests>=2.31\npyyaml\n",
    "requirements-dev.txt": "-r requirements-prod.txt\npython-magic==0.4.27\npytest\n",
    "setup.cfg": "[flake8]\nreqs-file = requirements-prod.txt\n",
    "shop/__init__.py": "",
    "shop/views.py": "import flask\nimport requests\n",
    "shop/images.py": "import magic\n",
    "tests/test_shop.py": "import shop.views\n",
}
UNUSED = "requirements-prod.txt:3:1: REQ201 'pyyaml' is declared but never imported"


def flake8_reqs(cwd, *args: str) -> Result:
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", *args, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return Result(
        completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()
    )


@pytest.fixture
def shop(tmp_path):
    return make_project(tmp_path / "project", FILES)


@pytest.mark.parametrize(
    ("where", "paths"),
    [
        pytest.param("tests", (), id="from a subfolder"),
        pytest.param(".", ("shop/images.py",), id="on one file"),
        pytest.param(".", ("tests",), id="on a subfolder"),
    ],
)
def test_check_on_part_of_the_project_reports_no_req201(shop, where, paths):
    result = flake8_reqs(shop / where, "check", "--select=REQ201", *paths)
    assert (result.exit_code, result.out) == (0, [])


@pytest.mark.parametrize("paths", [pytest.param((), id="no paths"), pytest.param((".",), id=".")])
def test_check_over_the_whole_project_reports_req201(shop, paths):
    result = flake8_reqs(shop, "check", "--select=REQ201", *paths)
    assert (result.exit_code, result.out) == (1, [UNUSED])


REFUSED = (
    "flake8-reqs: --remove-unused: refused: the run checks only part of the project, and a "
    "requirement that only the rest imports would look unused: run fix from the project's "
    "root with no paths (or with every folder); nothing was changed"
)


@pytest.mark.parametrize(
    ("where", "args", "refused"),
    [
        pytest.param(".", (), False, id="fix from the root"),
        pytest.param(".", ("--remove-unused",), False, id="fix --remove-unused from the root"),
        pytest.param(".", ("--dry-run", "--remove-unused"), False, id="dry run from the root"),
        pytest.param("tests", (), False, id="fix from a subfolder"),
        pytest.param("tests", ("--remove-unused",), True, id="--remove-unused from a subfolder"),
        pytest.param(
            ".", ("--remove-unused", "shop/images.py"), True, id="--remove-unused, a file"
        ),
        pytest.param(".", ("shop",), False, id="fix on a subfolder"),
        pytest.param(".", ("--move-dev",), False, id="fix --move-dev from the root"),
        pytest.param("tests", ("--move-dev",), False, id="--move-dev from a subfolder"),
        pytest.param(".", ("--move-dev", "shop"), False, id="--move-dev on a subfolder"),
        pytest.param(
            "tests", ("--move-dev", "--remove-unused"), True, id="--move-dev --remove-unused, sub"
        ),
    ],
)
def test_no_fix_makes_a_used_requirement_undeclared(shop, where, args, refused):
    before = flake8_reqs(shop, "check", "--select=REQ001").out
    fixed = flake8_reqs(shop / where, "fix", *args)
    after = flake8_reqs(shop, "check", "--select=REQ001").out
    assert set(after) <= set(before), fixed
    text = (shop / "requirements-prod.txt").read_text(encoding="utf-8")
    assert ("flask==3.0.0" in text, "requests>=2.31" in text) == (True, True)
    if refused:
        assert (fixed.exit_code, fixed.err, "pyyaml" in text) == (2, [REFUSED], True)
