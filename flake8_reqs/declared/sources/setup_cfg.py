"""setup.cfg: setuptools' install_requires, extras_require, name and python_requires."""

from __future__ import annotations

import bisect
import configparser
import re
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.metadata import (
    OUTSIDE_FOLDER,
    SetupCfgParser,
    beside,
    extra_selectors,
    is_inside,
    parse_requirements,
    split_extras,
)
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text

OPTIONS = "options"
EXTRAS = "options.extras_require"
# configparser's SECTCRE, applied (as configparser does) to the stripped line.
_SECTION = re.compile(r"\[(?P<header>.+)\]")
# A line that names an option: its text up to the first '=' or ':'.
_OPTION = re.compile(r"[ \t]*([^=:\n]*)[=:]")


def read_setup_cfg(path: Path, display: str) -> Declared:
    """What the setuptools sections of a setup.cfg declare.

    Raises ReqsInputError when the file cannot be read. A file configparser rejects gives
    only its errors.
    """
    text = read_text(path, display)
    parser = SetupCfgParser()
    try:
        parser.read_string(text, source=display)
    except configparser.Error as exc:
        return Declared(errors=parser_errors(display, exc))
    reading = _Reading(display, text, parser, path.parent)
    runtime = reading.requirements(OPTIONS, "install_requires")
    extras = (
        (key, reading.option_line(EXTRAS, key), reading.requirements(EXTRAS, key))
        for key in (parser.options(EXTRAS) if parser.has_section(EXTRAS) else ())
    )
    conditional, groups = split_extras(extras, display, f"[{EXTRAS}]", reading.errors)
    return Declared(
        runtime=runtime + conditional,
        groups=groups,
        requires_python=_get(parser, OPTIONS, "python_requires"),
        project_name=_get(parser, "metadata", "name"),
        errors=tuple(reading.errors),
        selectors=extra_selectors(groups, display, f"[{EXTRAS}]"),
    )


def _get(parser: configparser.RawConfigParser, section: str, option: str) -> str | None:
    """The option's value; None when it is absent or blank."""
    value = parser.get(section, option, fallback="").strip()
    return value or None


def parser_errors(display: str, exc: configparser.Error) -> tuple[ReqsInputError, ...]:
    """What configparser found wrong with an ini file, one error per line it names."""
    if isinstance(exc, configparser.DuplicateSectionError):
        return (ReqsInputError(display, exc.lineno, f"section [{exc.section}] appears twice"),)
    if isinstance(exc, configparser.DuplicateOptionError):
        message = f"option '{exc.option}' appears twice in section [{exc.section}]"
        return (ReqsInputError(display, exc.lineno, message),)
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return (ReqsInputError(display, exc.lineno, "text before the first [section] header"),)
    if isinstance(exc, configparser.ParsingError):
        message = "line is not a [section] header, a 'name = value' option or a continuation"
        return tuple(ReqsInputError(display, lineno, message) for lineno, _ in exc.errors)
    return (ReqsInputError(display, None, f"invalid setup.cfg: {exc.message}"),)


class _Reading:
    """One read of a parsed setup.cfg: the text for line numbers, and the errors found."""

    def __init__(
        self, display: str, text: str, parser: configparser.RawConfigParser, folder: Path
    ) -> None:
        self.display = display
        self.text = text
        self.parser = parser
        self.folder = folder
        self.errors: list[ReqsInputError] = []
        self._lines: tuple[list[int], list[tuple[int, str]]] | None = None
        self._options: dict[str, dict[str, tuple[int, int]]] = {}

    def requirements(self, section: str, option: str) -> tuple[Requirement, ...]:
        """The requirements of an option, as setuptools' _parse_requirements_list reads it."""
        value = self.parser.get(section, option, fallback=None)
        if value is None:
            return ()
        if value.strip().startswith("file:"):
            return self._read_files(section, option, value.strip()[len("file:") :])
        items = _split_list(value)
        if "\n" not in value and len(items) > 1 and _is_one_requirement(value):
            message = (
                f"[{section}] {option} is on one line, so setuptools splits it at ';' and cuts "
                f"the marker off '{value.strip()}'; start the list on the next line"
            )
            line = self.option_line(section, option)
            self.errors.append(ReqsInputError(self.display, line, message))
            items = [value.strip()]
        lines = self._item_lines(section, option, items)
        return parse_requirements(zip(items, lines), self.display, self.errors)

    def option_line(self, section: str, option: str) -> int:
        found = self._find_option(section, option)
        return self._line_at(self._section_offset(section) if found is None else found[0])

    def _read_files(self, section: str, option: str, names: str) -> tuple[Requirement, ...]:
        # Imported here: the pip reader is only needed for projects that use file:.
        from flake8_reqs.declared.sources.pip import read_requirements_file

        reqs: list[Requirement] = []
        for name in (name.strip() for name in names.split(",") if name.strip()):
            line = self.option_line(section, option)
            if not is_inside(self.folder / name, self.folder):
                message = f"[{section}] {option} names '{name}', {OUTSIDE_FOLDER}"
                self.errors.append(ReqsInputError(self.display, line, message))
                continue
            try:
                # setuptools reads the lines as they are: no ${VAR} expansion.
                declared = read_requirements_file(
                    self.folder / name, beside(self.display, name), {}, self.folder
                )
            except ReqsInputError as exc:
                message = f"[{section}] {option} names '{name}': {exc.message}"
                self.errors.append(ReqsInputError(self.display, line, message))
                continue
            reqs.extend(declared.runtime)
            self.errors.extend(declared.errors)
        return tuple(reqs)

    def _item_lines(self, section: str, option: str, items: list[str]) -> list[int]:
        """The line of each item, found in order after the option's '=' or ':'."""
        found = self._find_option(section, option)
        cursor = self._section_offset(section) if found is None else found[1]
        end = self._section_end(cursor)
        lines = []
        for item in items:
            offset = self.text.find(item, cursor, end)
            if offset >= 0:
                cursor = offset + len(item)
            lines.append(self._line_at(cursor))
        return lines

    # The text is indexed once: its line starts, its section headers and each section's
    # options. A setup.cfg of 10,000 extras is then read in linear time; searching the text
    # afresh for each option took quadratic time.

    def _find_option(self, section: str, option: str) -> tuple[int, int] | None:
        """Where ``option`` is written in ``section``: the start of its line and the offset
        after its '=' or ':'. An option name holds neither, so only a line's first one counts."""
        if section not in self._options:
            start = self._section_offset(section)
            found: dict[str, tuple[int, int]] = {}
            for line_start in self._line_starts(start, self._section_end(start)):
                written = _OPTION.match(self.text, line_start)
                if written is not None:
                    name = written.group(1).rstrip(" \t")
                    found.setdefault(name, (line_start, written.end()))
            self._options[section] = found
        return self._options[section].get(option)

    def _line_starts(self, start: int, end: int) -> list[int]:
        starts = self._index()[0]
        return starts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def _index(self) -> tuple[list[int], list[tuple[int, str]]]:
        """The offset of each line, and of each section header line with its name."""
        if self._lines is None:
            starts = [0, *(found.end() for found in re.finditer("\n", self.text))]
            headers = []
            for start, line in zip(starts, self.text.split("\n")):
                header = _SECTION.match(line.strip())
                if header is not None:
                    headers.append((start, header.group("header")))
            self._lines = (starts, headers)
        return self._lines

    def _section_offset(self, section: str) -> int:
        return next((start for start, name in self._index()[1] if name == section), 0)

    def _section_end(self, start: int) -> int:
        """The start of the first header line after the line at ``start``."""
        line_end = self.text.find("\n", start)
        if line_end < 0:
            return len(self.text)
        headers = [offset for offset, _ in self._index()[1]]
        index = bisect.bisect_left(headers, line_end + 1)
        return len(self.text) if index == len(headers) else headers[index]

    def _line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._index()[0], offset)


def _split_list(value: str) -> list[str]:
    """setuptools' _parse_list_semicolon: one item per line, or on one line split at ';'."""
    chunks = value.splitlines() if "\n" in value else value.split(";")
    items = (chunk.strip() for chunk in chunks)
    return [item for item in items if item and not item.startswith("#")]


def _is_one_requirement(value: str) -> bool:
    """Whether ``value`` is a single requirement with a marker (not a list split at ';')."""
    try:
        PackagingRequirement(value)
    except InvalidRequirement:
        return False
    return True
