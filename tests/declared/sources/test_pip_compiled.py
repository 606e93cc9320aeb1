"""read_compiled: the ``# via`` comments of pip-compile and uv export output."""

from __future__ import annotations

import pytest

from flake8_reqs.declared.sources.pip_compiled import read_compiled
from tests import locks
from tests.conftest import make_project

R = "requirements.txt"


def read(tmp_path, text):
    make_project(tmp_path, {R: text})
    return read_compiled(tmp_path / R, R)


CASES = [
    pytest.param(
        locks.COMPILED,
        [
            ("idna", "3.10", 7, ("requests",), False),
            ("mpmath", "1.3.0", 9, ("sympy",), False),
            ("requests", "2.32.3", 11, (), True),
            ("sympy", "1.13.3", 13, (), True),
        ],
        id="pip-compile: a '# via' line under each pin",
    ),
    pytest.param(
        locks.UV_EXPORT,
        [
            ("idna", "3.10", 4, ("requests",), False),
            ("mpmath", "1.3.0", 7, ("sympy",), False),
            ("requests", "2.32.3", 10, ("app",), False),
            ("sympy", "1.13.3", 13, ("app",), False),
        ],
        id="uv export: hashes on continuation lines; '-e .' is no pin",
    ),
    pytest.param(
        "six==1.16.0  # via -r requirements.in, python-dateutil\n"
        "click==8.1.7\n"
        "    # via\n"
        "    #   black\n"
        "    #   myproject (pyproject.toml)\n",
        [
            ("six", "1.16.0", 1, ("python-dateutil",), True),
            ("click", "8.1.7", 2, ("black",), True),
        ],
        id="inline '# via' (old pip-tools); a block naming the project",
    ),
    pytest.param("flask==3.1.0\nrequests  # pinned elsewhere\n", [], id="not compiled output"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_via_comments(tmp_path, text, expected):
    lock = read(tmp_path, text)
    assert lock.flat
    assert [(p.name, p.version, p.line, p.via, p.direct) for p in lock.packages] == expected
