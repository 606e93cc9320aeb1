"""Package-manager commands in shell scripts: what apt-get, apk and dnf install or remove."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flake8_reqs.named_tuple import NamedTuple

# Words that may stand before the package manager in one simple command.
_PREFIXES = frozenset({"sudo", "env", "exec", "command", "time", "nice", "nohup", "xargs"})
_KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# Project runners whose `run` starts a command in the project's environment: `uv run playwright`.
_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "rye"})
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
# Options that take the next word as their value.
_APT_VALUED = frozenset({"-o", "--option", "-t", "--target-release", "--default-release", "-c"})
_APK_VALUED = frozenset({"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch"})
_DNF_VALUED = frozenset({"--setopt", "--enablerepo", "--disablerepo", "--repo", "-c", "-x"})
# The pieces of shlex's posix words, with punctuation_chars "();<>|&": a word is the pieces
# between whitespace, punctuation and comments ('#' starts one, even inside a word, up to
# the end of the line). In double quotes a backslash escapes anything; outside, too.
_PIECE = re.compile(
    r"""(?P<space>[ \t\r\n]+)
    |(?P<punctuation>[();<>|&]+)
    |(?P<comment>\#[^\n]*\n?)
    |'(?P<single>[^']*)'
    |"(?P<double>(?:[^"\\]|\\.)*)"
    |\\(?P<escaped>.)
    |(?P<plain>[^ \t\r\n();<>|&'"\\\#]+)
    |(?P<unclosed>['"])
    |(?P<trailing>\\)""",
    re.VERBOSE | re.DOTALL,
)
_DOUBLE_BODY = re.compile(r'(?:[^"\\]|\\.)*', re.DOTALL)
_UNESCAPE_DOUBLE = re.compile(r"\\(.)", re.DOTALL)
_MANAGERS = {
    "apt-get": ("install", ("remove", "purge"), _APT_VALUED),
    "apt": ("install", ("remove", "purge"), _APT_VALUED),
    "aptitude": ("install", ("remove", "purge"), _APT_VALUED),
    "apk": ("add", ("del",), _APK_VALUED),
    "dnf": ("install", ("remove", "erase"), _DNF_VALUED),
    "dnf5": ("install", ("remove", "erase"), _DNF_VALUED),
    "yum": ("install", ("remove", "erase"), _DNF_VALUED),
    "microdnf": ("install", ("remove", "erase"), _DNF_VALUED),
    "tdnf": ("install", ("remove", "erase"), _DNF_VALUED),
}


class Change(NamedTuple):
    """Packages one command installs (``add``) or removes; ``group`` is apk's --virtual NAME."""

    add: bool
    group: str | None
    packages: tuple[str, ...]


def split_commands(script: str) -> tuple[list[list[str]], str | None]:
    """The simple commands of a shell script, as word lists, and a problem found, if any.

    Commands are split at ``&&``, ``||``, ``;``, ``|``, ``&``, parentheses and newlines;
    redirections and their targets are dropped. Unbalanced quotes give a best-effort split
    on spaces and the problem.
    """
    text = script.replace("\\\n", " ").replace("\n", " ; ")
    problem = None
    try:
        tokens = shell_words(text)
    except ValueError as exc:  # "No closing quotation"
        problem = str(exc).lower()
        tokens = text.split()
    commands: list[list[str]] = [[]]
    skip = False
    for token in tokens:
        if skip:
            skip = False
        elif token and set(token) <= set("();|&"):
            commands.append([])
        elif token and set(token) <= set("<>&|"):  # a redirection and its target
            skip = True
            if commands[-1] and commands[-1][-1].isdigit():
                commands[-1].pop()
        else:
            commands[-1].append(token)
    return [words for words in commands if words], problem


def shell_words(text: str) -> list[str]:
    """``list(shlex.shlex(text, posix=True, punctuation_chars=True))`` with
    ``whitespace_split``: the same words, in time linear in the text.

    shlex adds to its word one character at a time (``self.token += c``), which copies the
    word each time: a 5 MB word on a RUN line took hours. Raises ValueError as shlex does.
    """
    words: list[str] = []
    word: list[str] = []
    in_word = False  # a quoted empty string is a word too
    position = 0
    while position < len(text):
        piece = _PIECE.match(text, position)
        assert piece is not None  # the last alternatives match any character
        kind = piece.lastgroup
        position = piece.end()
        if kind in ("plain", "single"):
            word.append(piece.group(kind))
        elif kind == "double":
            word.append(_UNESCAPE_DOUBLE.sub(_unescape, piece.group(kind)))
        elif kind == "escaped":
            word.append(piece.group(kind))
        elif kind == "unclosed":
            # shlex reads on to the end: a backslash last in double quotes escapes nothing.
            rest = _DOUBLE_BODY.match(text, position)
            escaping = piece.group(kind) == '"' and rest is not None and rest.end() < len(text)
            raise ValueError("No escaped character" if escaping else "No closing quotation")
        elif kind == "trailing":
            raise ValueError("No escaped character")
        else:  # whitespace, punctuation or a comment: the word ends
            if in_word:
                words.append("".join(word))
                word = []
            if kind == "punctuation":
                words.append(piece.group(kind))
            in_word = False
            continue
        in_word = True
    if in_word:
        words.append("".join(word))
    return words


def _unescape(escape: re.Match[str]) -> str:
    """In double quotes a backslash escapes only '"' and itself."""
    character = escape.group(1)
    return character if character in '"\\' else escape.group()


def command_key(words: Sequence[str]) -> str | None:
    """A simple command as its program and first argument: ``playwright install`` for
    ``sudo python3 -m playwright install --with-deps chromium``; None when it has no
    argument. What a setup command in native.toml and a RUN line are compared by."""
    words = _without_prefixes(list(words))
    while len(words) > 2 and _program(words[0]) in _RUNNERS and words[1] == "run":
        words = _without_prefixes(words[2:])
    if words and _PYTHON.fullmatch(_program(words[0])):
        words = _module_command(words[1:])
    arguments = [word for word in words[1:] if not word.startswith("-")]
    if not words or not arguments:
        return None
    return f"{_program(words[0])} {arguments[0]}"


def program_words(words: Sequence[str]) -> list[str]:
    """A simple command from its program on, the program without its folder:
    ``sudo /venv/bin/python3 -m pip install x`` and ``poetry run pip install x`` give
    ``pip install x``; [] when Python runs no module."""
    words = _without_prefixes(list(words))
    while len(words) > 2 and _program(words[0]) in _RUNNERS and words[1] == "run":
        words = _without_prefixes(words[2:])
    if words and _PYTHON.fullmatch(_program(words[0])):
        words = _module_command(words[1:])
    return [_program(words[0]), *words[1:]] if words else []


def _program(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _module_command(words: list[str]) -> list[str]:
    """``-u -m playwright install`` -> ``playwright install``; [] when Python runs no module.

    A loop, not recursion: a RUN line may give thousands of ``-X`` options.
    """
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("-") or word.startswith("--"):
            return []  # a script, or an option such as --version
        skip = 0
        for position, flag in enumerate(word[1:], start=2):
            rest = word[position:]
            if flag == "m":
                return [rest, *words[index + 1 :]] if rest else words[index + 1 :]
            if flag == "c":
                return []
            if flag in "XW":  # -X dev, -Wignore: the value is not a flag
                skip = 0 if rest else 1  # -X dev: the next word is the value
                break
        index += 1 + skip
    return []


def _without_prefixes(words: list[str]) -> list[str]:
    while words and (
        words[0] in _PREFIXES
        or words[0] in _KEYWORDS
        or _ASSIGNMENT.match(words[0])
        or (words[0].startswith("-") and len(words) > 1)
    ):
        words = words[1:]
    return words


def package_change(words: list[str]) -> Change | None:
    """What one simple command installs (or removes), or None when it is no package manager."""
    words = _without_prefixes(words)
    if not words or words[0].rsplit("/", 1)[-1] not in _MANAGERS:
        return None
    manager = words[0].rsplit("/", 1)[-1]
    install, removes, valued = _MANAGERS[manager]
    positional, options = _split_options(words[1:], valued)
    if not positional or positional[0] not in (install, *removes):
        return None
    if positional[0] != install:  # removal names may be apk groups: ".build-deps"
        return Change(False, None, tuple(word for word in positional[1:] if "$" not in word))
    packages = tuple(name for name in map(_package_name, positional[1:]) if name)
    group = options.get("--virtual", options.get("-t")) if manager == "apk" else None
    return Change(True, group, packages)


def _split_options(words: list[str], valued: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    positional, options = [], {}
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("-") and len(word) > 1:
            name, equals, value = word.partition("=")
            if not equals and name in valued and index + 1 < len(words):
                index += 1
                value = words[index]
            options[name] = value
        else:
            positional.append(word)
        index += 1
    return positional, options


def _package_name(word: str) -> str | None:
    """``libpq5=15.4-1`` -> ``libpq5``; None for variables, files, URLs and groups."""
    if any(mark in word for mark in "$`*") or word.startswith(("/", ".", "@")) or "://" in word:
        return None
    if word.endswith((".deb", ".rpm", ".apk")):
        return None
    return re.split(r"[=<>~@:/]", word, maxsplit=1)[0] or None
