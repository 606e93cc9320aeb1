"""Requirement: what it tells without a parse agrees with packaging's parse of its text."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement as PackagingRequirement

from flake8_reqs.declared.requirements import Requirement, forget_parsed

LINES = [
    "requests",
    "requests==2.31.0",
    "Django>=4.2,<5",
    "uvicorn[standard]>=0.29",
    "pywin32; sys_platform == 'win32'",
    "tomli>=1.1; python_version < '3.11'",
    "celery[redis,msgpack]==5.4.0; python_version >= '3.9'",
    "lib @ https://user:token@pypi.example.com/lib-1.0.tar.gz",
    "lib[extra] @ https://example.com/lib.whl ; os_name == 'posix'",
    "name-with.dots_and-dashes===1.0",
    "wild==1.*",
]


@pytest.mark.parametrize("line", LINES)
def test_marker_extras_and_url_agree_with_packaging(line):
    """Told from the text (or from a parse kept or made again), they are packaging's."""
    parsed = PackagingRequirement(line)
    requirement = Requirement.of(parsed, "requirements.txt", 1)
    forget_parsed()  # as after a state's build: what is asked now is parsed again
    again = Requirement(*requirement)
    for one in (requirement, again):
        assert str(one.marker) == str(parsed.marker)
        assert one.extras == frozenset(parsed.extras)
        assert one.url == parsed.url


@pytest.mark.parametrize(
    ("line", "pinned"),
    [
        ("requests==2.31.0", "2.31.0"),
        ("name===1.0", "1.0"),
        ("wild==1.*", None),
        ("Django>=4.2,<5", None),
        ("pywin32; sys_platform == 'win32'", None),
        ("tomli==2.0.1; python_version == '3.10'", "2.0.1"),
    ],
)
def test_pinned_is_an_exact_pin_only(line, pinned):
    assert Requirement.of(PackagingRequirement(line), "r.txt", 1).pinned == pinned


def test_a_url_is_cut_to_its_scheme_and_host():
    line = "lib @ https://user:token@pypi.example.com:8443/simple/lib.tar.gz?key=k3y"
    requirement = Requirement.of(PackagingRequirement(line), "r.txt", 3)
    cut = requirement.without_url_secrets()
    assert cut.text == "lib @ https://pypi.example.com:8443/"
    assert cut._replace(text="") == requirement._replace(text="")
    plain = Requirement.of(PackagingRequirement("requests==2.31.0"), "r.txt", 4)
    assert plain.without_url_secrets() is plain
