"""What a start command runs: the Python programs, the modules it names, the entry points.

A command is a list of words, as ``CMD ["gunicorn", "app:app"]``, a Procfile line or a compose
``command:`` give it. Wrappers of the OS image (``exec``, ``tini --``, ``gosu user``,
``sh -c "..."``) and project runners (``uv run``) are looked through; ``python -m gunicorn``
runs gunicorn. Which programs count, and which of their options name applications, classes
and configuration files, is data: ``data/commands.toml``. A program that is not listed, or
that is run from a path outside a ``bin`` folder (a script the image copies in), is nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flake8_reqs.data_files import load_data
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.shell_installs import split_commands

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "rye"})
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_IDENTIFIERS = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_DOTTED = re.compile(_IDENTIFIERS)
# module:attribute, the attribute perhaps a factory call: app.main:app, app:create_app()
_APP = re.compile(rf"({_IDENTIFIERS}):{_IDENTIFIERS}(?:\(.*\))?")
# A dotted word that names a file, not a module: log.yaml, gunicorn.conf.py
_FILE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".ini", ".conf", ".toml", ".cfg", ".txt")


class Found(NamedTuple):
    """One thing a command runs or names.

    ``kind`` is "program" (``name`` as run, with the ``distributions`` that install it),
    "module" (an import: the module of an application), "class" (an import: the module of
    a class such as a worker class), "entry" (an entry point spec: ``app.main:app``,
    ``manage.py``) or "config" (a configuration file it reads).
    """

    kind: str
    name: str
    distributions: tuple[str, ...] = ()


class _Program(NamedTuple):
    distributions: tuple[str, ...]
    apps: frozenset[str]
    classes: frozenset[str]
    config: frozenset[str]
    runs: str
    subcommands: Mapping[str, tuple[str, ...]]


@functools.cache
def _programs() -> tuple[Mapping[str, _Program], Mapping[str, str], Mapping[str, Any]]:
    """Programs by executable, executables by ``python -m`` name, and the OS wrappers."""
    data = load_data("commands.toml")
    programs = {}
    by_module = {}
    for name, entry in data["programs"].items():
        programs[name] = _Program(
            tuple(entry["distributions"]),
            frozenset(entry.get("apps", ())),
            frozenset(entry.get("classes", ())),
            frozenset(entry.get("config", ())),
            entry.get("runs", ""),
            {sub: tuple(dists) for sub, dists in entry.get("subcommands", {}).items()},
        )
        by_module.update(dict.fromkeys(entry.get("modules", ()), name))
    return programs, by_module, data["wrappers"]


def program_distributions() -> Mapping[str, tuple[str, ...]]:
    """Executable -> the distributions that install it."""
    return {name: program.distributions for name, program in _programs()[0].items()}


def analyse(words: Sequence[str], depth: int = 0) -> list[Found]:
    """What one simple command (a list of words) runs and names, in order."""
    programs, by_module, _ = _programs()
    words = _unwrapped(list(words))
    if not words or depth > 8:
        return []
    name = _program_name(words[0])
    if name is None:
        return []  # a script the image copies in: ./start.sh, /app/bin/run
    if name in _SHELLS:
        script = _shell_script(words[1:])
        if script is None:
            return []
        commands, _ = split_commands(script)
        return [found for command in commands for found in analyse(command, depth + 1)]
    if _PYTHON.fullmatch(name):
        return _python(words[1:], by_module, depth)
    program = programs.get(name)
    if program is None:
        return []
    found = [Found("program", name, program.distributions)]
    if program.runs == "rest":
        return found + analyse(words[1:], depth + 1)
    if program.runs and program.runs in words:
        return found + analyse(words[words.index(program.runs) + 1 :], depth + 1)
    return found + _arguments(name, program, words[1:])


def _arguments(name: str, program: _Program, args: list[str]) -> list[Found]:
    found: list[Found] = []
    positional: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        option, equals, value = word.partition("=")
        if word.startswith("-") and option in program.apps | program.classes | program.config:
            if not equals:
                index += 1
                value = args[index] if index < len(args) else ""
            found += _option(program, option, value)
        elif not word.startswith("-"):
            positional.append(word)
        index += 1
    if positional and positional[0] in program.subcommands:
        sub = positional[0]
        found.append(Found("program", f"{name} {sub}", program.subcommands[sub]))
    for word in positional:
        match = _APP.fullmatch(word)
        if match is not None:
            found += [Found("module", match[1]), Found("entry", word)]
        elif "." in word and _DOTTED.fullmatch(word) and not word.endswith(_FILE_SUFFIXES):
            found.append(Found("entry", word))  # gunicorn config.wsgi: an entry, if it is one
    return found


def _option(program: _Program, option: str, value: str) -> list[Found]:
    if option in program.config:
        return [Found("config", value)] if value else []
    if option in program.classes:  # package.module.Class, or package.module:Class
        module = value.partition(":")[0] if ":" in value else value.rpartition(".")[0]
        dotted = _DOTTED.fullmatch(value.replace(":", ".", 1))
        return [Found("class", module)] if module and dotted else []
    module = value.partition(":")[0]
    if not _DOTTED.fullmatch(module) or not (module == value or _APP.fullmatch(value)):
        return []
    return [Found("module", module), Found("entry", value)]


def _python(args: list[str], by_module: Mapping[str, str], depth: int) -> list[Found]:
    """``python -m module ...`` or ``python script.py``: a program, or an entry point."""
    for index, word in enumerate(args):
        if word == "-m" and index + 1 < len(args):
            module = args[index + 1]
            if module in by_module:
                return analyse([by_module[module], *args[index + 2 :]], depth + 1)
            if not _DOTTED.fullmatch(module):
                return []
            return [Found("module", module), Found("entry", module)]
        if word.startswith("-m") and len(word) > 2:
            return _python(["-m", word[2:], *args[index + 1 :]], by_module, depth)
        if word in ("-c", "-"):
            return []
        if not word.startswith("-"):
            return [Found("entry", word)] if word.endswith(".py") else []
    return []


def _unwrapped(words: list[str]) -> list[str]:
    """``words`` without variable assignments, OS wrappers and project runners before the
    command they run: ``exec tini -- uv run gunicorn app:app`` -> ``gunicorn app:app``."""
    wrappers = _programs()[2]
    while words:
        first = words[0].rsplit("/", 1)[-1]
        if _ASSIGNMENT.match(words[0]):
            words = words[1:]
        elif first in wrappers:
            skip = wrappers[first]
            words = words[1:]
            if skip == "options" or first == "env":
                while words and (words[0].startswith("-") or _ASSIGNMENT.match(words[0])):
                    done = words[0] == "--"
                    words = words[1:]
                    if done:
                        break
            elif isinstance(skip, int):
                words = words[skip:]
        elif first in _RUNNERS and len(words) > 1 and words[1] == "run":
            words = words[2:]
            while words and words[0].startswith("-"):
                words = words[1:]
        else:
            break
    return words


def _program_name(word: str) -> str | None:
    """``gunicorn`` for ``gunicorn`` or ``/opt/venv/bin/gunicorn``; None for a program run
    from a folder that is not a ``bin`` folder (``./start.sh``, ``scripts/run``)."""
    folder, slash, name = word.rpartition("/")
    if slash and not folder.endswith("/bin") and folder != "bin":
        return None
    return name or None


def _shell_script(args: list[str]) -> str | None:
    """The script of ``sh -c "script"`` (after flags such as ``-e``), or None."""
    for index, word in enumerate(args[:-1]):
        if not word.startswith("-"):
            return None
        if "c" in word[1:]:
            return args[index + 1]
    return None
