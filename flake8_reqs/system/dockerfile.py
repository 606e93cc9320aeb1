"""Dockerfile and Containerfile: what the shipped stage installs, and its base image family."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.system.shell_installs import Change, command_key, package_change, split_commands

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
# (?<!<) and (?!<): a here-string (<<<) is not a heredoc.
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z]+)\s*=\s*(\S+)")
_RUN_FLAGS = re.compile(r"^(?:--\S+\s+)*")

_FEDORA_IMAGES = frozenset(
    {"fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "rhel"}
)
_DEBIAN_IMAGES = frozenset({"debian", "ubuntu", "python", "pypy", "buildpack-deps"})
# Words in a reference that say Debian or Ubuntu: node:20-bookworm, cuda:12.4-runtime-ubuntu22.04.
_DEBIAN_WORDS = (
    "debian", "ubuntu", "bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal",
    "slim",
)  # fmt: skip


@dataclass(frozen=True)
class _Instruction:
    line: int
    keyword: str  # upper case
    args: str
    heredocs: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Stage:
    base: str
    name: str | None
    changes: list[Change] = field(default_factory=list)
    commands: set[str] = field(default_factory=set)  # command_key of every RUN command


def read_dockerfile(
    text: str, display: str, target: str | None = None
) -> tuple[str | None, frozenset[str], tuple[ReqsInputError, ...], frozenset[str]]:
    """The base family, the packages installed, the problems found and the commands run
    (as ``command_key``), for the shipped stage.

    The shipped stage is ``target``, or the last stage; it counts with the stages it is
    built FROM, transitively. ``COPY --from`` brings files, not packages.
    """
    errors: list[ReqsInputError] = []
    stages: list[_Stage] = []
    for instruction in _instructions(text, display, errors):
        if instruction.keyword == "FROM":
            stages.append(_stage(instruction.args))
        elif instruction.keyword == "RUN" and stages:
            for words in _run_commands(instruction, display, errors):
                change = package_change(words)
                if change is not None:
                    stages[-1].changes.append(change)
                key = command_key(words)
                if key is not None:
                    stages[-1].commands.add(key)
    if not stages:
        errors.append(ReqsInputError(display, None, "no FROM instruction"))
        return None, frozenset(), tuple(errors), frozenset()
    chain = _chain(stages, target, display, errors)
    commands = frozenset(key for stage in chain for key in stage.commands)
    return image_family(chain[0].base), _installed(chain), tuple(errors), commands


class StageCommands(NamedTuple):
    """One stage, for what else reads a Dockerfile (system/python_installs.py)."""

    name: str | None  # lower case, from ``FROM image AS name``
    base: str  # the image or stage it is built FROM
    runs: tuple[tuple[int, tuple[str, ...]], ...]  # (line of the RUN, words) per simple command
    copies: tuple[tuple[int, str | None, tuple[str, ...]], ...]  # COPY/ADD: (line, --from, args)


def stage_commands(text: str, display: str) -> list[StageCommands]:
    """Every stage's simple commands and COPY/ADD instructions, in file order.

    Problems are read_dockerfile's to report: this reads the same file for other facts.
    """
    errors: list[ReqsInputError] = []
    stages: list[StageCommands] = []
    for instruction in _instructions(text, display, errors):
        if instruction.keyword == "FROM":
            stage = _stage(instruction.args)
            stages.append(StageCommands(stage.name, stage.base, (), ()))
        elif instruction.keyword == "RUN" and stages:
            runs = tuple(
                (instruction.line, tuple(words))
                for words in _run_commands(instruction, display, errors)
            )
            stages[-1] = stages[-1]._replace(runs=stages[-1].runs + runs)
        elif instruction.keyword in ("COPY", "ADD") and stages:
            words = instruction.args.split()
            source = next((w[7:].lower() for w in words if w.startswith("--from=")), None)
            copy = (instruction.line, source, tuple(w for w in words if not w.startswith("--")))
            stages[-1] = stages[-1]._replace(copies=(*stages[-1].copies, copy))
    return stages


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


def _instructions(text: str, display: str, errors: list[ReqsInputError]) -> list[_Instruction]:
    lines = text.replace("\r\n", "\n").split("\n")
    escape = _escape_character(lines)
    result = []
    index = 0
    while index < len(lines):
        if not lines[index].strip() or lines[index].lstrip().startswith("#"):
            index += 1
            continue
        start = index + 1
        parts = []
        while True:
            body = lines[index].rstrip()
            index += 1
            if not body.endswith(escape):
                parts.append(body)
                break
            parts.append(body[:-1])
            # Comment and empty lines inside a continuation are dropped, as docker does.
            while index < len(lines) and (
                not lines[index].strip() or lines[index].lstrip().startswith("#")
            ):
                index += 1
            if index >= len(lines):
                errors.append(ReqsInputError(display, start, "line continuation at end of file"))
                break
        words = "".join(parts).split(None, 1)
        if not words:  # a lone continuation character: nothing to run
            continue
        keyword, *rest = words
        args = rest[0] if rest else ""
        heredocs: list[str] = []
        if keyword.upper() in ("RUN", "COPY", "ADD"):
            for match in _HEREDOC.finditer(args):
                body_lines, index = _heredoc(lines, index, match.group(3), match.group(1) == "-")
                if index > len(lines):
                    message = f"heredoc '{match.group(3)}' is not terminated"
                    errors.append(ReqsInputError(display, start, message))
                heredocs.append("\n".join(body_lines))
        result.append(_Instruction(start, keyword.upper(), args.strip(), tuple(heredocs)))
    return result


def _escape_character(lines: list[str]) -> str:
    for line in lines:  # parser directives: only at the very top
        match = _DIRECTIVE.match(line)
        if match is None:
            break
        if match.group(1).lower() == "escape":
            return match.group(2)[0]
    return "\\"


def _heredoc(lines: list[str], index: int, word: str, strip_tabs: bool) -> tuple[list[str], int]:
    """The body lines from ``index`` up to ``word``, and the index after it (past the end
    when the heredoc is not terminated)."""
    body: list[str] = []
    while index < len(lines):
        line = lines[index].lstrip("\t") if strip_tabs else lines[index]
        if line == word:
            return body, index + 1
        body.append(line)
        index += 1
    return body, index + 1


def _stage(args: str) -> _Stage:
    words = [word for word in args.split() if not word.startswith("--")]
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    return _Stage(words[0] if words else "", name)


def _chain(
    stages: list[_Stage], target: str | None, display: str, errors: list[ReqsInputError]
) -> list[_Stage]:
    index = len(stages) - 1
    if target is not None:
        named = [i for i, stage in enumerate(stages) if stage.name == target.lower()]
        if named:
            index = named[-1]
        else:
            message = f"no stage named '{target}'; the last stage is used"
            errors.append(ReqsInputError(display, None, message))
    chain = [stages[index]]
    while True:
        base = chain[0].base.lower()
        parents = [i for i in range(index) if stages[i].name == base]
        if not parents:
            return chain
        index = parents[-1]
        chain.insert(0, stages[index])


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


def _run_commands(
    instruction: _Instruction, display: str, errors: list[ReqsInputError]
) -> list[list[str]]:
    args = _RUN_FLAGS.sub("", instruction.args)  # --mount=..., --network=...
    if args.startswith("["):
        try:
            exec_form = json.loads(args)
        except ValueError:  # not JSON: docker runs it as shell form
            exec_form = None
        if isinstance(exec_form, list) and all(isinstance(word, str) for word in exec_form):
            script = _shell_script(exec_form)
            return (
                [exec_form]
                if script is None
                else _commands(script, instruction.line, display, errors)
            )
    scripts = [args]
    if instruction.heredocs:
        scripts = [_HEREDOC.sub(" ", args)]
        first = scripts[0].split()[:1]
        if not first or first[0].rsplit("/", 1)[-1] in _SHELLS:
            scripts.extend(instruction.heredocs)
    return [
        words
        for script in scripts
        for words in _commands(script, instruction.line, display, errors)
    ]


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
