"""The files that say how the image starts: the shipped stage's CMD and ENTRYPOINT, the
Procfile, the compose files' services built from the Dockerfile, gunicorn's configuration,
and the entry points ``[project.scripts]`` and manage.py name. Read once with the state
(through ``inputs``, so that a change to any of them makes a new state)."""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import Unreadable, note_read, read_file, read_text
from flake8_reqs.system.starts import Starts, StartUse

# The readers of Dockerfiles, compose files and shell commands are imported where a file
# needs them: a project with none of these files builds its state without their modules and
# the regular expressions they compile (bench/README.md, an ordinary state).

_PIP = re.compile(r"pip3?(\.\d+)?|pipx")
_PIP_VALUED = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url"}
    | {"--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root"}
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_GUNICORN_SETTINGS = {"worker_class": "class", "wsgi_app": "app"}
_DEFAULT_GUNICORN_CONFIG = "gunicorn.conf.py"
_COMPOSE_LEVELS = 3  # folders above the root a compose file may be in
_COMPOSE_DEFAULTS = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


def read_starts(root: Path, dockerfiles: Iterable[Path], target: str | None) -> Starts:
    """Every start command of the project in ``root``; problems are notes, never raised."""
    uses: list[StartUse] = []
    installed: set[str] = set()
    copied: set[str] = set()
    notes: list[str] = []
    names = []
    settings: list[str] = []
    for dockerfile in dockerfiles:
        text = _read(dockerfile, notes)
        if text is not None:
            module = _dockerfile(text, dockerfile, target, uses, installed, copied, root)
            settings += [module] if module else []
            names.append(dockerfile.name)
    if names:
        _compose_files(root, names[0], uses, notes)
    text = _read(root / "Procfile", notes)
    for number, line in enumerate((text or "").split("\n"), start=1):
        process, colon, command = line.partition(":")
        if colon and process.strip() and not process.lstrip().startswith("#"):
            where = f"the {process.strip()} process"
            _add_script(command, str(root / "Procfile"), number, where, uses)
    configs = [use.name for use in uses if use.kind == "config"]
    uses = [use for use in uses if use.kind != "config"]
    if not configs and any(use.kind == "program" and use.name == "gunicorn" for use in uses):
        configs.append(_DEFAULT_GUNICORN_CONFIG)  # gunicorn reads it from its folder
    for given in dict.fromkeys(configs):
        uses += _gunicorn_config(root, given, notes)
    uses += _project_entries(root, notes)
    return Starts(
        tuple(uses), frozenset(installed), frozenset(copied), tuple(notes), tuple(settings)
    )


def _read(path: Path, notes: list[str]) -> str | None:
    """The text of an optional input; None when it is not there (a note when it is, but
    cannot be read)."""
    if not path.is_file():
        note_read(path)  # its appearing later makes a new state
        return None
    try:
        return read_text(path, os.path.relpath(path))
    except ReqsInputError as error:
        notes.append(str(error))
        return None


def _add_script(script: str, path: str, line: int, where: str, uses: list[StartUse]) -> None:
    """The uses of a command given as a shell string (shell form, Procfile, compose)."""
    from flake8_reqs.system.shell_installs import split_commands
    from flake8_reqs.system.start_commands import analyse

    commands, _ = split_commands(script)
    for words in commands:
        uses += [StartUse(path, line, where, *found) for found in analyse(words)]


def _add_words(words: list[str], path: str, line: int, where: str, uses: list[StartUse]) -> None:
    from flake8_reqs.system.start_commands import analyse

    uses += [StartUse(path, line, where, *found) for found in analyse(words)]


def _dockerfile(
    text: str,
    path: Path,
    target: str | None,
    uses: list[StartUse],
    installed: set[str],
    copied: set[str],
    root: Path,
) -> str | None:
    """CMD and ENTRYPOINT of the shipped stage (inherited along the stages it is built
    FROM), what its RUN lines pip-install and what COPY and ADD bring in; returns the
    ``DJANGO_SETTINGS_MODULE`` its ENV sets, if any."""
    from flake8_reqs.system.docker_instructions import read_instructions
    from flake8_reqs.system.docker_vars import Scope

    ignored: list[ReqsInputError] = []  # reported when the Dockerfile is read as a system file
    stages: list[tuple[str, str | None]] = []  # (base, name) of each stage
    starts: list[dict[str, tuple[int, str]]] = []
    runs: list[list[str]] = []
    variables: list[list[tuple[str, str]]] = []  # (ARG or ENV, its arguments) of each stage
    for instruction in read_instructions(text, str(path), ignored):
        if instruction.keyword == "FROM":
            words = [word for word in instruction.args.split() if not word.startswith("--")]
            named = len(words) >= 3 and words[1].lower() == "as"
            stages.append((words[0].lower() if words else "", words[2].lower() if named else None))
            starts.append({})
            runs.append([])
            variables.append([])
        elif not stages:
            continue
        elif instruction.keyword in ("ARG", "ENV"):
            variables[-1].append((instruction.keyword, instruction.args))
        elif instruction.keyword in ("CMD", "ENTRYPOINT"):
            starts[-1][instruction.keyword] = (instruction.line, instruction.args)
            if instruction.keyword == "ENTRYPOINT":
                starts[-1].setdefault("CMD", (0, ""))  # ENTRYPOINT resets an inherited CMD
        elif instruction.keyword == "RUN":
            runs[-1].append(instruction.args)
        elif instruction.keyword in ("COPY", "ADD"):
            copied.update(word.rstrip("/").rsplit("/", 1)[-1] for word in instruction.args.split())
    if not stages:
        return None
    final: dict[str, tuple[int, str]] = {}
    scope = Scope()
    for index in _shipped(stages, target):
        final.update(starts[index])
        for script in runs[index]:
            installed.update(_pip_installed(script, root))
        for keyword, args in variables[index]:
            scope.declare(keyword, args)
    _dockerfile_starts(final, str(path), uses)
    return scope.env.get("DJANGO_SETTINGS_MODULE")


def _shipped(stages: list[tuple[str, str | None]], target: str | None) -> list[int]:
    """The shipped stage (``target``, or the last one) and the stages it is built FROM, the
    root first. (A target that names no stage is reported when the Dockerfile is read as a
    system file; the last stage is used.)"""
    named = [i for i, (_, name) in enumerate(stages) if target and name == target.lower()]
    chain = [named[-1] if named else len(stages) - 1]
    while True:
        base = stages[chain[0]][0]
        parents = [i for i in range(chain[0]) if stages[i][1] == base or str(i) == base]
        if not parents:
            return chain
        chain.insert(0, parents[-1])


def _dockerfile_starts(final: dict[str, tuple[int, str]], path: str, uses: list[StartUse]) -> None:
    from flake8_reqs.system.start_commands import analyse

    entrypoint = final.get("ENTRYPOINT")
    command = final.get("CMD")
    command_words = _exec_form(command[1]) if command and command[0] else None
    if entrypoint is not None:
        words = _exec_form(entrypoint[1])
        alone = analyse(words) if words is not None else []
        if words is None:  # shell form: CMD is not passed to it
            _add_script(entrypoint[1], path, entrypoint[0], "ENTRYPOINT", uses)
            return
        if any(found.kind == "program" for found in alone):
            # The program, with CMD as its arguments (`ENTRYPOINT ["gunicorn"]`).
            _add_words([*words, *(command_words or [])], path, entrypoint[0], "ENTRYPOINT", uses)
            return
        uses += [StartUse(path, entrypoint[0], "ENTRYPOINT", *found) for found in alone]
    if command is None or not command[0]:
        return
    if command_words is not None:
        _add_words(command_words, path, command[0], "CMD", uses)
    else:
        _add_script(command[1], path, command[0], "CMD", uses)


def _exec_form(args: str) -> list[str] | None:
    """The words of an exec-form instruction (a JSON list of strings), else None."""
    if not args.startswith("["):
        return None
    try:
        words = json.loads(args)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to be read
        return None
    if isinstance(words, list) and all(isinstance(word, str) for word in words):
        return words
    return None


def _pip_installed(script: str, root: Path) -> set[str]:
    """The distributions a RUN line's pip (or pipx) installs: by name, or listed in a
    requirements file of the project it names with ``-r``."""
    from flake8_reqs.system.shell_installs import split_commands

    words_list = _exec_form(script) or None
    commands = [words_list] if words_list else split_commands(script)[0]
    names: set[str] = set()
    for words in commands:
        words = [w for w in words if w not in ("-m", "python", "python3", "uv", "exec")]
        if not words or not _PIP.fullmatch(words[0].rsplit("/", 1)[-1]) or "install" not in words:
            continue
        args = words[words.index("install") + 1 :]
        skip = False
        for position, word in enumerate(args):
            if skip:
                skip = False
                if args[position - 1] in ("-r", "--requirement"):
                    names.update(_requirement_names(root, word))
                continue
            if word in _PIP_VALUED:
                skip = True
            elif not word.startswith("-"):
                match = _NAME.match(word)
                if match is not None and "/" not in word:
                    names.add(match.group())
    return names


def _requirement_names(root: Path, given: str) -> set[str]:
    """The distributions a requirements file the Dockerfile installs names (its lines' names)."""
    path = root / given.lstrip("/").removeprefix("app/")
    for candidate in (root / given.removeprefix("./"), path, root / Path(given).name):
        if candidate.is_file():
            note_read(candidate)
            try:
                text = read_file(candidate).decode("utf-8", errors="replace")
            except Unreadable:
                return set()
            return {
                match.group()
                for line in text.splitlines()
                if (match := _NAME.match(line.strip())) is not None
            }
    return set()


def _compose_files(root: Path, dockerfile: str, uses: list[StartUse], notes: list[str]) -> None:
    """The compose files in the root and the folders above it, up to the repository's top
    (``build: ./project`` beside the project's folder), with their services built here."""
    from flake8_reqs.system.compose import COMPOSE_FILES, read_compose

    for folder in _compose_folders(root):
        try:
            names = sorted(name for name in os.listdir(folder) if COMPOSE_FILES.fullmatch(name))
        except OSError:
            continue
        for name in _COMPOSE_DEFAULTS:
            note_read(folder / name)  # one added makes a new state
        context = Path(os.path.relpath(root, folder)).as_posix()
        for name in names:
            text = _read(folder / name, notes)
            if text is None:
                continue
            display = os.path.relpath(folder / name)
            commands, problems = read_compose(text, display, dockerfile, context)
            notes += [str(problem) for problem in problems]
            for command in commands:
                where = f"the {command.service} service"
                path = str(folder / name)
                if command.words is not None:
                    _add_words(list(command.words), path, command.line, where, uses)
                elif command.text is not None:
                    _add_script(command.text, path, command.line, where, uses)


def _compose_folders(root: Path) -> list[Path]:
    """``root`` and the folders above it, up to the repository's top (the folder holding
    ``.git``) and at most _COMPOSE_LEVELS of them: only a service whose build context is the
    root counts, so a compose file of something else names nothing here."""
    folders = [root]
    for folder in list(root.parents)[:_COMPOSE_LEVELS]:
        if (folders[-1] / ".git").exists():
            break
        folders.append(folder)
    return folders


def _gunicorn_config(root: Path, given: str, notes: list[str]) -> list[StartUse]:
    """worker_class and wsgi_app of a gunicorn configuration file of the project."""
    if given.startswith("python:"):
        relative = given[len("python:") :].replace(".", "/") + ".py"
    else:
        relative = given.removeprefix("file:").lstrip("./")
    path = root / relative
    text = _read(path, notes)
    if text is None:
        return []
    from flake8_reqs.system.start_commands import analyse

    # gunicorn runs the file: an entry point, whatever it imports (structlog, a hook's module)
    uses = [StartUse(str(path), 0, "gunicorn's configuration", "entry", relative)]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return uses  # flake8 reports it as E999
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign) else None
        targets = node.targets if isinstance(node, ast.Assign) else []
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        for name in (t.id for t in targets if isinstance(t, ast.Name)):
            kind = _GUNICORN_SETTINGS.get(name)
            if kind is None:
                continue
            words = (
                ["gunicorn", "-k", value.value] if kind == "class" else ["gunicorn", value.value]
            )
            for found in analyse(words)[1:]:  # the program is the command's
                uses.append(StartUse(str(path), node.lineno, name, *found))
    return uses


def _project_entries(root: Path, notes: list[str]) -> list[StartUse]:
    """``[project.scripts]`` and ``[project.gui-scripts]`` of pyproject.toml, and manage.py."""
    uses = []
    text = _read(root / "pyproject.toml", notes) if (root / "pyproject.toml").is_file() else None
    if text is not None:
        from flake8_reqs.toml_document import TomlError, load_toml

        try:
            project = load_toml(text).get("project", {})
        except TomlError:
            project = {}  # reported when it is read as a requirement source
        for table in ("scripts", "gui-scripts"):
            scripts = project.get(table, {}) if isinstance(project, dict) else {}
            for spec in scripts.values() if isinstance(scripts, dict) else ():
                if isinstance(spec, str):
                    where = f"[project.{table}]"
                    uses.append(StartUse(str(root / "pyproject.toml"), 0, where, "entry", spec))
    if (root / "manage.py").is_file():
        uses.append(
            StartUse(str(root / "manage.py"), 0, "Django's manage.py", "entry", "manage.py")
        )
    return uses
