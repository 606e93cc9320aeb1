"""expand and Scope: Dockerfile variables, as a build without --build-arg sets them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_reqs.system.docker_vars import Scope, expand, rejoin_braces

VALUES = {"A": "libgl1", "EMPTY": "", "TWO": "x y"}

EXPANDS = [
    pytest.param("$A", "libgl1", [], id="$NAME"),
    pytest.param("${A}-dev", "libgl1-dev", [], id="${NAME} inside a word"),
    pytest.param("$A$A", "libgl1libgl1", [], id="twice"),
    pytest.param("${NOPE:-d}", "d", [], id=":- unset"),
    pytest.param("${EMPTY:-d}", "d", [], id=":- empty"),
    pytest.param("${EMPTY-d}", "", [], id="- empty is set"),
    pytest.param("${A:-d}", "libgl1", [], id=":- set"),
    pytest.param("${NOPE:-${A}}", "libgl1", [], id="nested default"),
    pytest.param("${NOPE:-$OTHER}", "", ["OTHER"], id="default without a value"),
    pytest.param("${A:+alt}", "alt", [], id=":+ set"),
    pytest.param("${EMPTY:+alt}", "", [], id=":+ empty"),
    pytest.param("${EMPTY+alt}", "alt", [], id="+ empty is set"),
    pytest.param("${NOPE+alt}", "", [], id="+ unset"),
    pytest.param("$NOPE", "", ["NOPE"], id="unset"),
    pytest.param("${A%%.*}", "", ["A"], id="a form that is not expanded"),
    pytest.param("${#A}", "", ["#A"], id="length: not expanded"),
    pytest.param("$1 $$ $( $", "$1 $$ $( $", [], id="$ before no name is kept"),
    pytest.param("${A", "${A", [], id="no closing brace: kept"),
]


@pytest.mark.parametrize(("text", "expected", "unset"), EXPANDS)
def test_expand(text, expected, unset):
    result = expand(text, VALUES.get)
    assert (result.text, result.unset) == (expected, unset)


QUOTED = [
    pytest.param('"$A b"', "libgl1 b", id="double quotes expand"),
    pytest.param("'$A b'", "$A b", id="single quotes keep it literal"),
    pytest.param(r"\$A", "$A", id="an escaped $"),
    pytest.param("'unterminated", "unterminated", id="unterminated quote"),
]


@pytest.mark.parametrize(("text", "expected"), QUOTED)
def test_expand_a_docker_word(text, expected):
    assert expand(text, VALUES.get, quotes=True).text == expected


def test_rejoin_braces():
    words = ["install", "${A:-a", "b}", "c"]
    assert rejoin_braces(words) == ["install", "${A:-a b}", "c"]


DECLARED = [
    pytest.param("ARG", "A", {"A": None}, id="ARG without a default"),
    pytest.param("ARG", "A=1 B='two words'", {"A": "1", "B": "two words"}, id="ARG, several"),
    pytest.param("ENV", 'A=1 B="x $A"', {"A": "1", "B": "x 1"}, id="ENV uses what is before"),
    pytest.param("ENV", "A  one two ", {"A": "one two"}, id="ENV old form"),
    pytest.param("ENV", "1A=x", {}, id="not a name"),
]


@pytest.mark.parametrize(("keyword", "args", "values"), DECLARED)
def test_scope_declare(keyword, args, values):
    scope = Scope()
    scope.declare(keyword, args)
    assert {name: scope.lookup(name) for name in values} == values
    assert set(scope.env) | set(scope.args) == set(values)


def test_why_a_name_has_no_value():
    meta = Scope()
    meta.declare("ARG", "GLOBAL=1")
    scope = Scope(meta=meta.declared())
    scope.declare("ARG", "BARE")
    scope.declare("ENV", "LIB=$NOPE")
    assert [scope.why_unset(name) for name in ("BARE", "GLOBAL", "LIB", "NOPE")] == [
        "ARG BARE has no default value",
        "ARG GLOBAL is declared before FROM but not again in this stage",
        "ENV LIB uses $NOPE, which has no value",
        "no ARG or ENV sets NOPE",
    ]
    scope.declare("ARG", "GLOBAL")
    assert scope.lookup("GLOBAL") == "1"
    assert scope.why_unset("GLOBAL") == (
        "only ${GLOBAL}, ${GLOBAL:-word} and ${GLOBAL:+word} are expanded"
    )


def test_a_child_stage_keeps_env_not_args():
    scope = Scope()
    scope.declare("ENV", "E=1")
    scope.declare("ARG", "A=2")
    child = scope.child()
    assert (child.lookup("E"), child.lookup("A")) == ("1", None)


@given(st.text(alphabet="$ {}:-+'\"\\AB_x", max_size=30))
def test_expand_never_raises(text):
    for quotes in (False, True):
        result = expand(text, VALUES.get, quotes=quotes)
        assert isinstance(result.text, str)
