"""pip requirements files: the runtime requirements they declare, following -r includes."""

from __future__ import annotations

import optparse
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.pip_lines import (
    LineProblem,
    TextDecodeError,
    decode_text,
    logical_lines,
    lower_first,
    quoting_as_written,
    shown,
    split_arguments,
)
from flake8_reqs.declared.sources.pip_specs import (
    is_url,
    local_project,
    parse_arguments,
    parse_editable,
)
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import Unreadable, note_read, read_file
from flake8_reqs.named_tuple import NamedTuple

# The options pip accepts in a requirements file, with optparse's action for each. Only -r
# and -e change what is declared; -c names constraints, which declare nothing, and the
# rest steer pip's finder or one requirement's build (the last four).
_OPTIONS = (
    (("-r", "--requirement"), "append"),
    (("-c", "--constraint"), "append"),
    (("-e", "--editable"), "append"),
    (("-i", "--index-url", "--pypi-url"), "store"),
    (("--extra-index-url",), "append"),
    (("--no-index",), "store_true"),
    (("-f", "--find-links"), "append"),
    (("--trusted-host",), "append"),
    (("--pre",), "store_true"),
    (("--prefer-binary",), "store_true"),
    (("--only-binary",), "append"),
    (("--no-binary",), "append"),
    (("--require-hashes",), "store_true"),
    (("--use-feature",), "append"),
    (("--hash",), "append"),
    (("-C", "--config-settings"), "append"),
    (("--global-option",), "append"),
    (("--install-option",), "append"),
)
_SHELL_WORD_RE = re.compile(r"[^ \t\r\n]+")  # shlex's whitespace is only these four
# A file with this many problems is not a requirements file (a UTF-16 file without a
# BOM, say): reading on would only cost time. pip itself stops at the first.
_MOST_PROBLEMS = 100
# optparse takes time quadratic in the words it parses at once (it deletes rargs[0]).
_MOST_OPTION_WORDS = 10_000


class _Missing(Exception):
    """There is no file at the path."""


class _Unreadable(Exception):
    """The path names something that cannot be read as a requirements file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Source(NamedTuple):
    """One requirements file: where it is, how messages name it, what identifies it."""

    real: str
    display: str
    key: str  # the file however it was named: for cycles, and to read each file once
    folder: Path  # what relative paths on its lines are relative to


def _source(real: str, display: str) -> _Source:
    key = os.path.normcase(os.path.realpath(real)) if "\0" not in real else real
    return _Source(real, display, key, Path(real).parent)


class _Outside:
    """An included file outside the project, and where it was included: its lines are
    never quoted, and unless every one is a requirement, it declares nothing.

    A plain class, not a dataclass: defining one costs 0.44 ms, on every state built
    from a requirements file (bench/README.md, an ordinary file's state)."""

    __slots__ = ("display", "first", "key", "line", "problems", "target")

    def __init__(self, key: str, display: str, line: int, target: str, first: int) -> None:
        self.key = key  # its _Source.key
        self.display = display  # the file that includes it
        self.line = line
        self.target = target  # as the -r line names it
        self.first = first  # the index of the first requirement it declares
        self.problems = 0  # in it, and in the files it includes


class _Open(NamedTuple):
    """A file on the current -r chain, with the lines still to read."""

    source: _Source
    lines: Iterator[tuple[int, str]]
    outside: _Outside | None = None


def read_requirements_file(
    path: Path, display: str, environ: Mapping[str, str], project: Path | None = None
) -> Declared:
    """Runtime requirements of a pip requirements file, following -r includes.

    ``display`` names the file in messages; ``environ`` fills in ``${VAR}``. Problems
    inside the files are collected in ``Declared.errors``, quoting lines as written
    (before ``${VAR}`` expansion, credentials in URLs hidden); an included file outside
    ``project`` (a folder) is named, never quoted. Raises ReqsInputError only when the
    file itself is missing, a folder, unreadable or not text.
    """
    try:
        text = _load(str(path))
    except _Missing:
        raise ReqsInputError(display, None, "no such file") from None
    except _Unreadable as exc:
        raise ReqsInputError(display, None, exc.reason) from None
    with quoting_as_written() as expanded:
        return _Reading(environ, project, expanded).run(_source(str(path), display), text)


def read_requirement_lines(
    path: Path, display: str, text: str, environ: Mapping[str, str], project: Path | None = None
) -> Declared:
    """The requirements of ``text``, pip requirements-file lines written inside the file
    ``path`` (a conda environment.yml's ``pip:`` list, blank lines elsewhere, so that line
    numbers are the file's): includes are relative to its folder, as read_requirements_file
    reads them."""
    with quoting_as_written() as expanded:
        return _Reading(environ, project, expanded).run(_source(str(path), display), text)


class _Reading:
    """One read: the -r chain open now, the files done, and what was found so far."""

    def __init__(
        self, environ: Mapping[str, str], project: Path | None, expanded: dict[str, str]
    ) -> None:
        self.environ = environ
        self.project = _real(str(project)) if project is not None else None
        self.expanded = expanded  # value -> ${NAME}, for shown()
        self.options = _OptionParser()
        self.chain: list[_Open] = []
        self.done: set[str] = set()
        self.requirements: list[Requirement] = []
        self.constraints: list[str] = []
        self.errors: list[ReqsInputError] = []

    def run(self, top: _Source, text: str) -> Declared:
        # A loop over an explicit chain rather than recursion: deep -r nesting cannot
        # exhaust Python's stack.
        self.chain.append(_Open(top, self._lines(text)))
        while self.chain and len(self.errors) < _MOST_PROBLEMS:
            current = self.chain[-1]
            outside = current.outside
            item = next(current.lines, None)
            if item is None or (outside is not None and outside.problems >= _MOST_PROBLEMS):
                self.done.add(current.source.key)
                self.chain.pop()
                if outside is not None and outside.key == current.source.key and outside.problems:
                    self._drop(outside)
                continue
            try:
                self._read_line(current.source, *item)
            except LineProblem as problem:
                if outside is not None:
                    outside.problems += 1  # a secret may be on the line: it is not quoted
                else:
                    self.errors.append(
                        ReqsInputError(current.source.display, item[0], str(problem))
                    )
        if len(self.errors) >= _MOST_PROBLEMS:
            last = self.errors[-1]
            message = f"stopped reading after {_MOST_PROBLEMS} problems; fix those first"
            self.errors.append(ReqsInputError(last.path, last.line, message))
        return Declared(
            runtime=tuple(self.requirements),
            errors=tuple(self.errors),
            constraints=tuple(dict.fromkeys(self.constraints)),
        )

    def _read_line(self, source: _Source, number: int, line: str) -> None:
        # pip's order: words before the options are a requirement; else the first -e;
        # else the first -r. Options are parsed first, as pip rejects unknown ones anywhere.
        arguments, option_text = split_arguments(line)
        values = self.options.parse(option_text) if option_text else None
        if values is not None and values.constraint:
            folder = os.path.dirname(source.real)
            targets = [str(target) for target in values.constraint if not is_url(str(target))]
            self.constraints += [os.path.join(folder, target) for target in targets]
        if arguments:
            req = parse_arguments(arguments, source.folder)
            local = local_project(arguments, source.folder, editable=False)
        elif values is None:
            return
        elif values.editable:
            req = parse_editable(str(values.editable[0]), source.folder)
            local = local_project(str(values.editable[0]), source.folder, editable=True)
        elif values.requirement:
            self._include(source, number, str(values.requirement[0]))
            return
        else:
            return
        self.requirements.append(Requirement.of(req, source.display, number, local))

    def _lines(self, text: str) -> Iterator[tuple[int, str]]:
        return logical_lines(text, self.environ, self.expanded)

    def _include(self, source: _Source, number: int, target: str) -> None:
        if is_url(target):
            raise LineProblem(f"-r target '{shown(target)}' is a URL; only local files are read")
        included = _source(
            os.path.join(os.path.dirname(source.real), target),
            os.path.normpath(os.path.join(os.path.dirname(source.display), target)),
        )
        self._check_cycle(included)
        if included.key in self.done:
            return  # read in full already: its requirements are declared once
        try:
            text = _load(included.real)
        except _Missing:
            raise LineProblem(f"-r target '{shown(target)}' not found") from None
        except _Unreadable as exc:
            raise LineProblem(f"-r target '{shown(target)}' {exc.reason}") from None
        # What a file outside the project includes is counted with it, quoted or not.
        outside = self.chain[-1].outside
        if outside is None and self._is_outside(included):
            first = len(self.requirements)
            outside = _Outside(included.key, source.display, number, target, first)
        self.chain.append(_Open(included, self._lines(text), outside))

    def _is_outside(self, source: _Source) -> bool:
        """Whether ``source`` is not in the project folder or below it (however linked)."""
        folder = self.project
        return folder is not None and not source.key.startswith(folder.rstrip(os.sep) + os.sep)

    def _drop(self, outside: _Outside) -> None:
        """An included file outside the project that is not all requirements (a stray -r
        to a credentials file): one problem names it, and it declares nothing."""
        del self.requirements[outside.first :]
        if outside.problems == 1:
            lines = "1 line that is not a requirement"
        elif outside.problems < _MOST_PROBLEMS:
            lines = f"{outside.problems} lines that are not requirements"
        else:  # reading stopped there
            lines = f"{_MOST_PROBLEMS} or more lines that are not requirements"
        message = (
            f"-r target '{shown(outside.target)}' is outside the project and has {lines}; "
            "its lines are not shown, and it declares nothing"
        )
        self.errors.append(ReqsInputError(outside.display, outside.line, message))

    def _check_cycle(self, included: _Source) -> None:
        keys = [open_file.source.key for open_file in self.chain]
        if included.key in keys:
            names = [
                open_file.source.display for open_file in self.chain[keys.index(included.key) :]
            ]
            raise LineProblem("include cycle: " + " -> ".join([*names, included.display]))


def hash_options(text: str) -> tuple[dict[int, tuple[str, ...]], bool]:
    """pip's hash-checking options in a requirements file's text: the ``--hash`` values of
    each logical line that has any (by its first physical line), and whether a line says
    ``--require-hashes``. Variables are not expanded (a hash holds none); a line whose
    options pip would refuse counts for neither."""
    parser = _OptionParser()
    hashes: dict[int, tuple[str, ...]] = {}
    required = False
    for number, line in logical_lines(text, {}):
        option_text = split_arguments(line)[1]
        if "hash" not in option_text:
            continue
        try:
            values = parser.parse(option_text)
        except LineProblem:
            continue
        if values.hash:
            hashes[number] = tuple(values.hash)
        required = required or bool(values.require_hashes)
    return hashes, required


class _OptionParser(optparse.OptionParser):
    """pip's requirements-file options, raising LineProblem instead of exiting."""

    def __init__(self) -> None:
        super().__init__(add_help_option=False)
        for flags, action in _OPTIONS:
            self.add_option(*flags, action=action)

    def parse(self, text: str) -> optparse.Values:
        try:
            words = _split_words(text)
        except ValueError as exc:
            message = lower_first(str(exc))
            raise LineProblem(f"cannot split pip options '{shown(text)}': {message}") from None
        if len(words) > _MOST_OPTION_WORDS:
            message = (
                f"{len(words)} option words on one line, more than the {_MOST_OPTION_WORDS} read"
            )
            raise LineProblem(f"{message}; split the line")
        values, _ = self.parse_args(words)
        return values

    def error(self, msg: str) -> NoReturn:
        # optparse calls error() inside its except clause; the exception names the unknown
        # option without reading it back out of translatable message text.
        raised = sys.exc_info()[1]
        if type(raised) is optparse.BadOptionError:
            raise LineProblem(f"unknown pip option '{shown(raised.opt_str)}'")
        raise LineProblem(f"invalid pip option: {shown(msg)}")


def _split_words(text: str) -> list[str]:
    """shlex.split, which is pure Python and slow on a long line: without quotes or
    backslashes its words are the runs of its whitespace, found faster by a regex."""
    if "'" in text or '"' in text or "\\" in text:
        import shlex  # only here: a quote in an option line is rare, and shlex costs 0.23 ms

        return shlex.split(text)
    return _SHELL_WORD_RE.findall(text)


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _load(path: str) -> str:
    """The text of the file at ``path``; raises _Missing or _Unreadable."""
    note_read(path)
    if os.path.isdir(path):
        raise _Unreadable("is a directory, not a requirements file")
    try:
        data = read_file(path)
    except Unreadable as exc:
        if exc.missing:
            raise _Missing from None
        raise _Unreadable(exc.reason) from None
    try:
        return decode_text(data)
    except TextDecodeError as exc:
        raise _Unreadable(exc.reason) from None
