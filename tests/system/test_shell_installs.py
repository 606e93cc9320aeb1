"""Shell words of RUN lines: the same as shlex's, in linear time."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_reqs.system.shell_installs import shell_words

# Every character shlex treats specially, and a few that it does not.
SCRIPT = st.text(alphabet=" \t\r\n();<>|&'\"\\#ab-=$.", max_size=40)


def shlex_words(text):
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as exc:
        return str(exc)


def our_words(text):
    try:
        return shell_words(text)
    except ValueError as exc:
        return str(exc)


@settings(max_examples=3000, deadline=None)
@given(SCRIPT)
def test_the_words_are_shlexs(text):
    assert our_words(text) == shlex_words(text)


WORDS = [
    pytest.param(
        "apt-get install -y libmagic1", ["apt-get", "install", "-y", "libmagic1"], id="plain"
    ),
    pytest.param("a&&b||c;d|e", ["a", "&&", "b", "||", "c", ";", "d", "|", "e"], id="punctuation"),
    pytest.param(
        'say \'a b\' "c \\" d" e\\ f', ["say", "a b", 'c " d', "e f"], id="quotes and escapes"
    ),
    pytest.param("a'' '' b", ["a", "", "b"], id="empty quotes"),
    pytest.param(
        "install x#y z", ["install", "x"], id="a comment starts inside a word, as in shlex"
    ),
    pytest.param("say 'open", "No closing quotation", id="an unclosed quote"),
    pytest.param('say "open\\', "No escaped character", id="an escape at the end, in quotes"),
    pytest.param("say \\", "No escaped character", id="an escape at the end"),
]


@pytest.mark.parametrize(("text", "words"), WORDS)
def test_shell_words(text, words):
    assert our_words(text) == words
