"""Dockerfile instructions: continuation lines joined, heredoc bodies read, the escape directive."""

from __future__ import annotations

import re

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.named_tuple import NamedTuple

# (?<!<) and (?!<): a here-string (<<<) is not a heredoc.
HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z]+)\s*=\s*(\S+)")


class Instruction(NamedTuple):
    """One instruction: its first line, keyword (upper case), arguments and heredoc bodies."""

    line: int
    keyword: str  # upper case
    args: str
    heredocs: tuple[str, ...] = ()


def read_instructions(text: str, display: str, errors: list[ReqsInputError]) -> list[Instruction]:
    """The instructions of a Dockerfile; problems go to ``errors``."""
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
            for match in HEREDOC.finditer(args):
                body_lines, index = _heredoc(lines, index, match.group(3), match.group(1) == "-")
                if index > len(lines):
                    message = f"heredoc '{match.group(3)}' is not terminated"
                    errors.append(ReqsInputError(display, start, message))
                heredocs.append("\n".join(body_lines))
        result.append(Instruction(start, keyword.upper(), args.strip(), tuple(heredocs)))
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
