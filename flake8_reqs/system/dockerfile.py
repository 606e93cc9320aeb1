"""Dockerfile and Containerfile: what the shipped stage installs, and its base image family."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.base_images import find_base_image
from flake8_reqs.system.docker_instructions import HEREDOC, Instruction, read_instructions
from flake8_reqs.system.docker_vars import Scope, expand, rejoin_braces
from flake8_reqs.system.shell_installs import Change, command_key, package_change, split_commands

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_RUN_FLAGS = re.compile(r"^(?:--\S+\s+)*")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)
# Where a COPY or ADD --from=..., or a RUN --mount=...,from=..., takes files from.
_FROM_FLAG = re.compile(r"(?:^|\s)--from=(\S+)")
_MOUNT_FROM = re.compile(r"(?:^|\s)--mount=\S*?\bfrom=([^,\s]+)")

_FEDORA_IMAGES = frozenset(
    {"fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "rhel"}
)
_DEBIAN_IMAGES = frozenset({"debian", "ubuntu", "python", "pypy", "buildpack-deps"})
# Words in a reference that say Debian or Ubuntu: node:20-bookworm, cuda:12.4-runtime-ubuntu22.04.
_DEBIAN_WORDS = (
    "debian", "ubuntu", "bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal",
    "slim",
)  # fmt: skip


@dataclass
class _Stage:
    base: str  # variables expanded, as given otherwise
    name: str | None
    scope: Scope
    line: int = 0  # of the FROM instruction
    written: str = ""  # the image as the FROM line writes it: python:${PY}-slim
    changes: list[Change] = field(default_factory=list)
    commands: set[str] = field(default_factory=set)  # command_key of every RUN command
    sources: list[str] = field(default_factory=list)  # stages or images it takes files from
    # (line, variable, why it has no value) of each install that could not be read
    unexpanded: list[tuple[int, str, str]] = field(default_factory=list)


class DockerImage(NamedTuple):
    """What the shipped stage of a Dockerfile has, in the order of files.SystemPackages."""

    family: str | None
    packages: frozenset[str]
    errors: tuple[ReqsInputError, ...]
    commands: frozenset[str]
    build_packages: frozenset[str]
    base: str | None
    base_packages: frozenset[str]


def read_dockerfile(text: str, display: str, target: str | None = None) -> DockerImage:
    """The base family, the packages installed, the problems found, the commands run (as
    ``command_key``), the build packages and the base image, for the shipped stage.

    The shipped stage is ``target``, or the last stage; it counts with the stages it is
    built FROM, transitively, and with what the official image at the root of that chain
    has (base_images.toml). ``COPY --from`` brings files, not packages: the stages it
    copies from count only for the packages that build wheels (``build_packages``).
    ARG and ENV values are expanded as in a build without --build-arg; an install that
    uses a variable without a value counts for nothing, and is noted once per variable.
    """
    errors: list[ReqsInputError] = []
    stages: list[_Stage] = []
    meta = Scope()  # the ARGs before the first FROM
    for instruction in read_instructions(text, display, errors):
        keyword = instruction.keyword
        if keyword == "FROM":
            stages.append(_stage(instruction, meta, stages))
        elif not stages:
            if keyword == "ARG":
                meta.declare("ARG", instruction.args)
        elif keyword in ("ARG", "ENV"):
            stages[-1].scope.declare(keyword, instruction.args)
        elif keyword == "RUN":
            _run(stages[-1], instruction, display, errors)
            stages[-1].sources.extend(_MOUNT_FROM.findall(_flags(instruction.args)))
        elif keyword in ("COPY", "ADD"):
            stages[-1].sources.extend(_FROM_FLAG.findall(_flags(instruction.args)))
    if not stages:
        errors.append(ReqsInputError(display, None, "no FROM instruction"))
        nothing: frozenset[str] = frozenset()
        return DockerImage(None, nothing, tuple(errors), nothing, nothing, None, nothing)
    shipped = _chain(stages, _target_index(stages, target, display, errors))
    builders = _builders(stages, shipped)
    base = stages[shipped[0]].base
    image = find_base_image(base)
    family = image_family(base)
    had = image.packages.get(family, frozenset()) if image and family else frozenset()
    packages = _installed([stages[i] for i in shipped])
    built_with = set(had)
    for chain in (shipped, *builders):
        root = find_base_image(stages[chain[0]].base)
        built_with.update(root.packages.get(family, ()) if root and family else ())
        built_with.update(p for i in chain for c in stages[i].changes if c.add for p in c.packages)
    counted = sorted({index for chain in (shipped, *builders) for index in chain})
    errors.extend(_unexpanded_notes([stages[i] for i in counted], display))
    commands = frozenset(key for index in shipped for key in stages[index].commands)
    return DockerImage(
        family, packages, tuple(errors), commands, frozenset(built_with), base or None, had
    )


class StageCommands(NamedTuple):
    """One stage, for what else reads a Dockerfile (system/python_installs.py)."""

    name: str | None  # lower case, from ``FROM image AS name``
    base: str  # the image or stage it is built FROM
    runs: tuple[tuple[int, tuple[str, ...]], ...]  # (line of the RUN, words) per simple command
    copies: tuple[tuple[int, str | None, tuple[str, ...]], ...]  # COPY/ADD: (line, --from, args)
    line: int = 0  # of the FROM instruction
    written: str = ""  # the image as the FROM line writes it, before ARG values


def stage_commands(text: str, display: str) -> list[StageCommands]:
    """Every stage's simple commands (variables expanded as the shell would) and COPY/ADD
    instructions, in file order. Problems are read_dockerfile's to report."""
    errors: list[ReqsInputError] = []
    stages: list[_Stage] = []
    found: list[StageCommands] = []
    meta = Scope()  # the ARGs before the first FROM
    for instruction in read_instructions(text, display, errors):
        keyword = instruction.keyword
        if keyword == "FROM":
            stages.append(_stage(instruction, meta, stages))
            stage = stages[-1]
            found.append(StageCommands(stage.name, stage.base, (), (), stage.line, stage.written))
        elif not stages:
            if keyword == "ARG":
                meta.declare("ARG", instruction.args)
        elif keyword in ("ARG", "ENV"):
            stages[-1].scope.declare(keyword, instruction.args)
        elif keyword == "RUN":
            runs = tuple(
                (instruction.line, tuple(words))
                for words in _shell_words(stages[-1], instruction, display, errors)
            )
            found[-1] = found[-1]._replace(runs=found[-1].runs + runs)
        elif keyword in ("COPY", "ADD"):
            words = instruction.args.split()
            sources = _FROM_FLAG.findall(_flags(instruction.args))
            source = expand(sources[0], stages[-1].scope.lookup).text.lower() if sources else None
            copy = (instruction.line, source, tuple(w for w in words if not w.startswith("--")))
            found[-1] = found[-1]._replace(copies=(*found[-1].copies, copy))
    return found


def _shell_words(
    stage: _Stage, instruction: Instruction, display: str, errors: list[ReqsInputError]
) -> list[list[str]]:
    """The simple commands of a RUN with their variables expanded, as _run reads them; each
    variable without a value ends the command as ``$NAME``, for its reader to see."""
    commands, shell = _run_commands(instruction, display, errors)
    scope = Scope(dict(stage.scope.env), dict(stage.scope.args), dict(stage.scope.unknown))
    scope.meta = stage.scope.meta
    result = []
    for words in commands if shell else ():
        unset: list[str] = []
        if not _set_variables(words, scope):
            result.append([*_expanded(words, scope, unset), *(f"${name}" for name in unset)])
    return result if shell else commands


def image_family(image: str) -> str | None:
    """The family of a base image reference ("debian", "alpine", "fedora"), or None."""
    reference = image.lower().partition("@")[0]
    if "$" in reference or "windows" in reference or reference in ("", "scratch"):
        return None
    path, _, last = reference.rpartition("/")
    parts = [*path.split("/"), last.partition(":")[0]]
    if "alpine" in reference:
        return "alpine"
    if any(part in _FEDORA_IMAGES or part.startswith("ubi") for part in parts):
        return "fedora"
    if parts[-1] in _DEBIAN_IMAGES or any(word in reference for word in _DEBIAN_WORDS):
        return "debian"
    return None


def _flags(args: str) -> str:
    """The ``--name=value`` flags at the start of an instruction's arguments."""
    match = _RUN_FLAGS.match(args)
    return match.group() if match else ""


def _stage(instruction: Instruction, meta: Scope, stages: list[_Stage]) -> _Stage:
    """A stage from its FROM line: the image expanded with the ARGs before the first FROM,
    and the ENV values of the stage it is built from, if it is one."""
    words = [word for word in instruction.args.split() if not word.startswith("--")]
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    base = written = words[0] if words else ""
    expanded = expand(base, meta.lookup, quotes=True)
    if not expanded.unset:
        base = expanded.text
    parent = _stage_index(stages, base, len(stages))
    scope = stages[parent].scope.child() if parent is not None else Scope()
    scope.meta = meta.declared()
    return _Stage(base, name, scope, instruction.line, written)


def _stage_index(stages: list[_Stage], reference: str, before: int) -> int | None:
    """The stage ``reference`` names among the first ``before`` (by name or number)."""
    reference = reference.lower()
    named = [i for i in range(before) if stages[i].name == reference]
    if named:
        return named[-1]
    if reference.isdigit() and int(reference) < before:
        return int(reference)
    return None


def _target_index(
    stages: list[_Stage], target: str | None, display: str, errors: list[ReqsInputError]
) -> int:
    if target is not None:
        named = [i for i, stage in enumerate(stages) if stage.name == target.lower()]
        if named:
            return named[-1]
        message = f"no stage named '{target}'; the last stage is used"
        errors.append(ReqsInputError(display, None, message))
    return len(stages) - 1


def _chain(stages: list[_Stage], index: int) -> list[int]:
    """``index`` and the stages it is built FROM, the root first."""
    chain = [index]
    while True:
        parent = _stage_index(stages, stages[chain[0]].base, chain[0])
        if parent is None:
            return chain
        chain.insert(0, parent)


def _builders(stages: list[_Stage], shipped: list[int]) -> list[list[int]]:
    """The chains of the stages ``shipped`` copies files from, and those they copy from."""
    found: list[list[int]] = []
    seen = set(shipped)
    pending = list(shipped)
    while pending:
        index = pending.pop()
        for source in stages[index].sources:
            expanded = expand(source, stages[index].scope.lookup, quotes=True)
            copied = _stage_index(stages, expanded.text, index)
            if copied is None or copied in seen:
                continue
            chain = _chain(stages, copied)
            found.append(chain)
            seen.update(chain)
            pending.extend(chain)
    return found


def _installed(chain: list[_Stage]) -> frozenset[str]:
    packages: set[str] = set()
    groups: dict[str, tuple[str, ...]] = {}
    for change in (change for stage in chain for change in stage.changes):
        if change.add:
            packages.update(change.packages)
            if change.group is not None:
                groups[change.group] = change.packages
            continue
        for name in change.packages:
            packages.difference_update(groups.pop(name, (name,)))
    return frozenset(packages)


def _run(
    stage: _Stage, instruction: Instruction, display: str, errors: list[ReqsInputError]
) -> None:
    """Read one RUN: the packages its commands install or remove, and the commands run.

    The shell expands the ARG and ENV values of the stage, and the variables the script
    itself sets (``deps="gcc libpq-dev" && apt-get install $deps``); an exec-form RUN
    without a shell expands nothing.
    """
    commands, shell = _run_commands(instruction, display, errors)
    scope = Scope(dict(stage.scope.env), dict(stage.scope.args), dict(stage.scope.unknown))
    scope.meta = stage.scope.meta
    for words in commands:
        unset: list[str] = []
        if shell:
            if _set_variables(words, scope):
                continue
            words = _expanded(words, scope, unset)
        change = package_change(words)
        if change is not None and unset and change.add:
            stage.unexpanded.extend((instruction.line, n, scope.why_unset(n)) for n in unset)
        if change is not None:
            stage.changes.append(change)
        key = command_key(words)
        if key is not None:
            stage.commands.add(key)


def _set_variables(words: list[str], scope: Scope) -> bool:
    """Apply a command that only sets variables (``A=1 B=2``, ``export A=1``); False for
    any other command."""
    assignments = words[1:] if words[0] in ("export", "readonly") else words
    matches = [_ASSIGNMENT.fullmatch(word) for word in assignments]
    if not all(matches):
        return False
    for match in filter(None, matches):
        expanded = expand(match.group(2), scope.lookup)
        name = match.group(1)
        scope.env.pop(name, None)
        if expanded.unset:
            scope.unknown[name] = f"{name} is set from ${expanded.unset[0]}, which has no value"
        else:
            scope.unknown.pop(name, None)
            scope.env[name] = expanded.text
    return True


def _expanded(words: list[str], scope: Scope, unset: list[str]) -> list[str]:
    """``words`` with their variables expanded and split again at white space, as the shell
    does with an unquoted expansion; names without a value go to ``unset``.

    A word that uses a variable without a value is left out: what it would install is not
    known, so it is not counted as installed; the words beside it still are
    (``apt-get install libmagic1 $EXTRA`` installs libmagic1 whatever EXTRA holds)."""
    result: list[str] = []
    for word in rejoin_braces(words):
        if "$" not in word:
            result.append(word)
            continue
        expanded = expand(word, scope.lookup)
        if expanded.unset:
            unset.extend(name for name in expanded.unset if name not in unset)
            continue
        result.extend(expanded.text.split())
    return result


def _unexpanded_notes(stages: list[_Stage], display: str) -> list[ReqsInputError]:
    """One note per variable whose value an install of ``stages`` could not read."""
    found: dict[str, ReqsInputError] = {}
    for line, name, why in sorted(item for stage in stages for item in stage.unexpanded):
        message = f"cannot expand ${name}: {why}; what it would install is not counted"
        found.setdefault(name, ReqsInputError(display, line, message))
    return sorted(found.values(), key=lambda error: error.line or 0)


def _run_commands(
    instruction: Instruction, display: str, errors: list[ReqsInputError]
) -> tuple[list[list[str]], bool]:
    """The simple commands of a RUN, and whether a shell runs them (and expands variables)."""
    args = _RUN_FLAGS.sub("", instruction.args)  # --mount=..., --network=...
    if args.startswith("["):
        try:
            exec_form = json.loads(args)
        except ValueError:  # not JSON: docker runs it as shell form
            exec_form = None
        except RecursionError:
            message = "RUN [...] is nested too deeply to be read; what it installs is not counted"
            errors.append(ReqsInputError(display, instruction.line, message))
            return [], False
        if isinstance(exec_form, list) and all(isinstance(word, str) for word in exec_form):
            script = _shell_script(exec_form)
            if script is None:
                return [exec_form], False
            return _commands(script, instruction.line, display, errors), True
    scripts = [args]
    if instruction.heredocs:
        scripts = [HEREDOC.sub(" ", args)]
        first = scripts[0].split()[:1]
        if not first or first[0].rsplit("/", 1)[-1] in _SHELLS:
            scripts.extend(instruction.heredocs)
    commands = [
        words
        for script in scripts
        for words in _commands(script, instruction.line, display, errors)
    ]
    return commands, True


def _shell_script(words: list[str]) -> str | None:
    """The script of ``["sh", "-c", "script"]``, or None for any other exec form."""
    if not words or words[0].rsplit("/", 1)[-1] not in _SHELLS:
        return None
    for position, word in enumerate(words[1:-1], start=1):
        if word.startswith("-") and not word.startswith("--") and "c" in word:
            return words[position + 1]
    return None


def _commands(
    script: str, line: int, display: str, errors: list[ReqsInputError]
) -> list[list[str]]:
    commands, problem = split_commands(script)
    if problem is not None:
        errors.append(ReqsInputError(display, line, f"RUN cannot be split into words: {problem}"))
    return commands
