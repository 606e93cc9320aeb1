"""What Python a Dockerfile's shipped stage installs: pip, uv, poetry, pipenv, pdm and conda.

The shipped stage counts with the stages it is built FROM and the stages it copies files
from (``COPY --from=builder /venv /venv``), since a virtual environment or a folder of
wheels is made in one stage and used in another. Each install command becomes one
``PythonInstall``: which requirement files it reads, whether it installs the project's
own requirements and with which extras and groups, and which distributions it names. What
cannot be told (a variable, a URL, a wheel of unknown origin) is said in ``unknown``, and
the caller then falls back to finding the requirements as if there were no Dockerfile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from flake8_reqs.inputs import read_text
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.dockerfile import StageCommands, stage_commands
from flake8_reqs.system.shell_installs import program_words

ALL = "*"  # every extra or group
_PIP = re.compile(r"pip[\d.]*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9_.,\s-]*\])?")
_PROJECT = re.compile(r"\.?/?(?:\[(?P<extras>[^\]]*)\])?")  # ".", "./", ".[postgres]"


# Options that take the next word as their value, per tool (the rest are flags).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PIP_VALUED = _words(
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f "
    "--find-links --trusted-host -t --target --prefix --root --platform --python-version "
    "--implementation --abi --src --upgrade-strategy --progress-bar --cache-dir --log "
    "--timeout --retries --proxy --cert --client-cert --exists-action -C --config-settings "
    "--global-option --no-binary --only-binary --python -p -w --wheel-dir -d --dest --report "
    "--group --root-user-action --keyring-provider --use-feature --use-deprecated --index "
    "--default-index --index-strategy --link-mode --python-platform --prerelease --resolution "
    "--exclude-newer --extra --override --build-constraints --torch-backend --config-file "
    "--color -P --upgrade-package --reinstall-package --no-build-package --no-binary-package "
    "--refresh-package --directory --project"
)
_UV_VALUED = _PIP_VALUED | {"--only-group", "--no-group", "--package", "--no-extra", "-o"}
_UV_VALUED |= {"--output-file", "--format"}
_POETRY_VALUED = _words(
    "--with --without --only -E --extras -C --directory -P --project -f --format -o --output "
    "--output-file"
)
_PDM_VALUED = _words("-G --group --without -p --project -L --lockfile -o --output")
_PIPENV_VALUED = _words("--categories --python --pypi-mirror -r --requirements")
_CONDA_VALUED = _words("-f --file -n --name -p --prefix -c --channel")
# Commands that build the project's wheel: python -m build (or pyproject-build), and the tools'.
_BUILDS: tuple[tuple[str, ...], ...] = (("build",), ("pyproject-build",))
_BUILDS += tuple((tool, "build") for tool in ("poetry", "uv", "pdm", "hatch"))


class PythonInstall(NamedTuple):
    """One install command of the shipped stage, at the line of its RUN instruction."""

    line: int
    tool: str  # "pip" (also uv pip), "uv", "poetry", "pipenv", "pdm", "conda"
    files: tuple[str, ...] = ()  # requirement or environment files it reads, as written
    project: bool = False  # the project's own requirements (pip install ., uv sync, ...)
    requirements: tuple[str, ...] = ()  # requirement strings it installs by name
    extras: tuple[str, ...] = ()  # the extras it selects; ALL for every one
    groups: tuple[str, ...] = ()  # the groups (or Pipfile categories) it selects; ALL
    without: tuple[str, ...] = ()  # groups it leaves out (poetry --without, uv --no-group)
    default_groups: bool = False  # also the tool's default groups (uv's dev, poetry's non-optional)
    main: bool = True  # False: only the named groups, not the project's own requirements
    unknown: str | None = None  # what cannot be told, such as "'$PACKAGES'"


def read_python_installs(
    path: Path, display: str, target: str | None = None
) -> tuple[PythonInstall, ...]:
    """The Python installs of the shipped stage of the Dockerfile at ``path``, in file order.

    Problems with the file are read_dockerfile's to report. Raises ReqsInputError when
    the file cannot be read.
    """
    stages = stage_commands(read_text(path, display), display)
    chosen = [stages[index] for index in _shipped(stages, target)]
    commands = [(line, program_words(words)) for stage in chosen for line, words in stage.runs]
    built = any(_is_build(words) for _, words in commands)
    wheels = any(words[1:2] == ["wheel"] and _PIP.fullmatch(words[0]) for _, words in commands)
    # Where the build context is copied in the image (COPY . /app): the project there.
    roots = frozenset(
        args[-1].rstrip("/") or "/"
        for stage in chosen
        for _, source, args in stage.copies
        if source is None and args[:-1] in ((".",), ("./",))
    )
    exports: dict[str, PythonInstall] = {}
    installs = []
    for line, words in commands:
        install = _install(line, words, exports, roots)
        if install is None:
            continue
        if install.unknown == "wheel" and (built or wheels):
            # A wheel made in this build: the project's own (python -m build), or the
            # wheels of requirements already counted (pip wheel -r requirements.txt).
            install = install._replace(unknown=None, project=install.project or built)
        elif install.unknown == "wheel":
            install = install._replace(unknown="a wheel that this Dockerfile does not build")
        installs.append(install)
    return tuple(installs)


def _shipped(stages: Sequence[StageCommands], target: str | None) -> list[int]:
    """The indexes of the shipped stage, the stages it is built FROM and copies from."""
    if not stages:
        return []
    start = len(stages) - 1
    named = [i for i, stage in enumerate(stages) if target and stage.name == target.lower()]
    if named:
        start = named[-1]
    wanted: set[int] = set()
    todo = [start]
    while todo:
        index = todo.pop()
        if index in wanted:
            continue
        wanted.add(index)
        sources = [stages[index].base.lower()]
        sources += [source for _, source, _ in stages[index].copies if source is not None]
        for source in sources:
            found = [i for i in range(index) if stages[i].name == source]
            if source.isdigit() and int(source) < index:
                found.append(int(source))
            todo.extend(found[-1:])
    return sorted(wanted)


def _is_build(words: list[str]) -> bool:
    return any(tuple(words[: len(build)]) == build for build in _BUILDS) or (
        words[:2] == ["pip", "wheel"] and any(_PROJECT.fullmatch(word) for word in words[2:])
    )


def _install(
    line: int, words: list[str], exports: dict[str, PythonInstall], roots: frozenset[str]
) -> PythonInstall | None:
    if not words:
        return None
    program, command = words[0], words[1:2]
    if _PIP.fullmatch(program) and command == ["install"]:
        return _pip(line, "pip", words[2:], exports, roots)
    if _PIP.fullmatch(program) and command == ["wheel"]:
        # The wheels of the files it names are installed later; a wheel of the project
        # is a build (_is_build), counted where the wheel is installed.
        wheel = _pip(line, "pip", words[2:], exports, roots)
        return wheel._replace(project=False, unknown=None) if wheel.files else None
    if program == "uv" and words[1:3] in (["pip", "install"], ["pip", "sync"]):
        return _pip(line, "pip", words[3:], exports, roots, sync=words[2] == "sync")
    if program == "uv" and command in (["sync"], ["export"]):
        return _exported(_uv(line, words[2:]), command, words[2:], _UV_VALUED, exports)
    if program == "poetry" and command in (["install"], ["sync"], ["export"]):
        return _exported(
            _poetry(line, words[2:], command), command, words[2:], _POETRY_VALUED, exports
        )
    if program == "pdm" and command in (["install"], ["sync"], ["export"]):
        return _exported(_pdm(line, words[2:]), command, words[2:], _PDM_VALUED, exports)
    if program == "pipenv" and command in (["install"], ["sync"]):
        return _pipenv(line, words[2:])
    if program in ("conda", "mamba", "micromamba"):
        return _conda(line, words[1:])
    return None


def _options(
    words: Iterable[str], valued: frozenset[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Positional words, and (option, value) pairs ("" for a flag); ``--opt=value`` and
    ``-rFILE`` forms too."""
    positional: list[str] = []
    options: list[tuple[str, str]] = []
    items = iter(words)
    for word in items:
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        name, equals, value = word.partition("=")
        if not equals and not word.startswith("--") and len(word) > 2 and word[:2] in valued:
            name, value = word[:2], word[2:]
        elif not equals and name in valued:
            value = next(items, "")
        options.append((name, value))
    return positional, options


def _values(options: list[tuple[str, str]], *names: str) -> list[str]:
    """The values of the options ``names``, each split at commas and spaces."""
    return [
        part
        for name, value in options
        if name in names
        for part in re.split(r"[,\s]+", value)
        if part
    ]


def _pip(
    line: int,
    tool: str,
    words: list[str],
    exports: dict[str, PythonInstall],
    roots: frozenset[str],
    *,
    sync: bool = False,
) -> PythonInstall:
    positional, options = _options(words, _PIP_VALUED)
    files = [value for name, value in options if name in ("-r", "--requirement")]
    if sync:  # uv pip sync requirements.txt
        files, positional = files + positional, []
    editables = [value for name, value in options if name in ("-e", "--editable")]
    project = False
    extras: list[str] = _values(options, "--extra")
    requirements: list[str] = []
    unknown = None
    for word in [*positional, *editables]:
        bare, bracket, rest = word.partition("[")
        if bare.rstrip("/") in roots:  # /app[postgres], after COPY . /app
            word = "." + bracket + rest
        local = _PROJECT.fullmatch(word)
        if local is not None:
            project = True
            extras += [e.strip() for e in (local.group("extras") or "").split(",") if e.strip()]
        elif "$" in word or "`" in word:
            name = _NAME.match(word)
            if name is None or name.end() == 0 or word[name.end()] == "$":
                unknown = unknown or f"'{word}'"
            else:
                requirements.append(name.group().split("[")[0])
        elif "://" in word or word.startswith(("git+", "hg+", "svn+", "bzr+")):
            unknown = unknown or f"'{word}'"
        elif word.endswith((".whl", "/*", "*")) or word.startswith(("/", ".", "~")) or "/" in word:
            unknown = unknown or "wheel"
        else:
            requirements.append(word)
    installs = [exports[file] for file in files if file in exports]
    files = [file for file in files if file not in exports]
    if installs:  # pip install -r a file that poetry/uv/pdm export wrote earlier
        exported = installs[0]._replace(line=line)
        return (
            exported
            if not (files or requirements or project)
            else exported._replace(
                files=(*exported.files, *files), requirements=tuple(requirements), unknown=unknown
            )
        )
    return PythonInstall(
        line, tool, tuple(files), project, tuple(requirements), tuple(extras), unknown=unknown
    )


def _exported(
    install: PythonInstall,
    command: list[str],
    words: list[str],
    valued: frozenset[str],
    exports: dict[str, PythonInstall],
) -> PythonInstall | None:
    """An export writes a requirements file that a later ``pip install -r`` reads."""
    if command != ["export"]:
        return install
    _, options = _options(words, valued)
    for output in _values(options, "-o", "--output", "--output-file"):
        exports[output] = install
        exports[output.rsplit("/", 1)[-1]] = install
    return None


def _uv(line: int, words: list[str]) -> PythonInstall:
    _, options = _options(words, _UV_VALUED)
    flags = {name for name, _ in options}
    groups = _values(options, "--group", "--only-group")
    if "--all-groups" in flags:
        groups.append(ALL)
    if "--only-dev" in flags:
        groups.append("dev")
    directory = _values(options, "--directory", "--project", "--package")
    return PythonInstall(
        line,
        "uv",
        project=True,
        extras=(*_values(options, "--extra"), *([ALL] if "--all-extras" in flags else [])),
        groups=tuple(groups),
        without=tuple(_values(options, "--no-group")),
        default_groups=not flags
        & {"--no-dev", "--no-default-groups", "--only-group", "--only-dev"},
        main=not flags & {"--only-group", "--only-dev"},
        unknown=f"'uv sync {' '.join(words)}'" if [d for d in directory if d != "."] else None,
    )


def _poetry(line: int, words: list[str], command: list[str]) -> PythonInstall:
    _, options = _options(words, _POETRY_VALUED)
    flags = {name for name, _ in options}
    only = _values(options, "--only")
    groups = [*_values(options, "--with"), *(name for name in only if name != "main")]
    if "--all-groups" in flags:
        groups.append(ALL)
    without = _values(options, "--without") + (["dev"] if "--no-dev" in flags else [])
    directory = [d for d in _values(options, "-C", "--directory", "-P", "--project") if d != "."]
    unknown = None
    if directory or "--only-root" in flags:
        unknown = f"'poetry {command[0]} {' '.join(words)}'"
    return PythonInstall(
        line,
        "poetry",
        project=True,
        extras=(*_values(options, "-E", "--extras"), *([ALL] if "--all-extras" in flags else [])),
        groups=tuple(groups),
        without=tuple(without),
        # poetry install takes every non-optional group; poetry export only the main one.
        default_groups=not only and command != ["export"],
        main=not only or "main" in only,
        unknown=unknown,
    )


def _pdm(line: int, words: list[str]) -> PythonInstall:
    _, options = _options(words, _PDM_VALUED)
    flags = {name for name, _ in options}
    groups = [ALL if name == ":all" else name for name in _values(options, "-G", "--group")]
    return PythonInstall(
        line,
        "pdm",
        project=True,
        extras=tuple(groups),  # pdm's -G names optional-dependencies groups too
        groups=tuple(groups),
        without=tuple(_values(options, "--without")),
        default_groups=not flags & {"--prod", "--production"},
        main="--no-default" not in flags,
        unknown=f"'pdm {' '.join(words)}'" if _values(options, "-p", "--project") else None,
    )


def _pipenv(line: int, words: list[str]) -> PythonInstall:
    positional, options = _options(words, _PIPENV_VALUED)
    flags = {name for name, _ in options}
    aliases = {"default": "packages", "develop": "dev-packages"}
    categories = [aliases.get(name, name) for name in _values(options, "--categories")]
    groups = [name for name in categories if name != "packages"]
    if flags & {"--dev", "-d"}:
        groups.append("dev-packages")
    unknown = None
    if _values(options, "-r", "--requirements") or any("$" in word for word in positional):
        unknown = f"'pipenv {' '.join(words)}'"
    return PythonInstall(
        line,
        "pipenv",
        project=True,
        requirements=tuple(positional),
        groups=tuple(groups),
        main=not categories or "packages" in categories,
        unknown=unknown,
    )


def _conda(line: int, words: list[str]) -> PythonInstall | None:
    env = words[:1] == ["env"]
    if env:
        words = words[1:]
    if words[:1] not in (["create"], ["update"], ["install"]):
        return None
    positional, options = _options(words[1:], _CONDA_VALUED)
    files = _values(options, "-f", "--file") or (["environment.yml"] if env else [])
    if files and all(file.endswith((".yml", ".yaml")) for file in files) and not positional:
        return PythonInstall(line, "conda", files=tuple(files))
    if not files and not positional:
        return None
    return PythonInstall(line, "conda", unknown=f"'conda {' '.join(words)}'")
