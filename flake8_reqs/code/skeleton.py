"""The import skeleton of a source file: its import statements and the blocks around them.

``check`` reads the imports of every file of a project, and parsing whole files was most
of its cold run: CPython's ``ast.parse`` spends about 0.15 s per megabyte of source, where
the imports are a few lines of it (bench/README.md, "check cold"). The skeleton keeps, at
their own line numbers and columns, the logical lines that mention ``import`` (or a
``find_spec`` probe) in code and the headers of the compound statements around them (with
the ``else``, ``except``, ``finally`` and ``case`` clauses that go with those headers);
every other line is blank, and a header whose kept body would be empty gets ``pass``.
Parsing the skeleton gives the same imports, guards and positions as parsing the file, at
a thirtieth of the cost.

Finding logical lines takes no tokenizer: comments and strings are found by one regular
expression, and what is left is code, in which brackets and backslashes alone join
physical lines. Whatever the scanner cannot be sure of (an unterminated string, unbalanced
brackets, tab indentation, NUL bytes, a lone carriage return) raises :class:`Unsure`, and
so does a skeleton that does not parse: the caller then parses the whole file.

The one thing the skeleton does not keep is a syntax error in a statement without an
import: flake8 reports those as E999, and ``check`` reads the imports around them.
"""

from __future__ import annotations

import ast
import re
import sys

from flake8_reqs.code.guards import Target
from flake8_reqs.code.imports import ImportRef, extract_imports, lines_mentioning_import
from flake8_reqs.code.sys_path import PathAddition, path_additions


class Unsure(Exception):
    """The scanner cannot tell the file's logical lines apart; parse the whole file."""


# String literals, as bytes patterns. A quote is escaped by a backslash even in a raw
# string, so the prefix does not matter for where a string ends.
_TRIPLE_1 = rb"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
# A string on one line; not the first two quotes of a triple-quoted one (tried first: most
# strings are on one line, and the patterns for the others scan each of them to its end).
_ONE_LINE_1 = rb"'(?!'')[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*'"
_SPLIT_1 = rb"'[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*\\\r?\n(?:[^'\\]|\\.)*'"  # \ + newline inside


def _both_quotes(pattern: bytes) -> list[bytes]:
    return [pattern, pattern.replace(b"'", b'"')]


# Group 1 is a string on one line, group 2 a string that spans lines; comments are neither.
_STRINGS_AND_COMMENTS = re.compile(
    b"(?=[#'\"])(?:("
    + b"|".join(_both_quotes(_ONE_LINE_1))
    + b")|("
    + b"|".join([*_both_quotes(_SPLIT_1), *_both_quotes(_TRIPLE_1)])
    + rb")|\#[^\r\n]*)",
    re.DOTALL,
)
# Python 3.12 lets an f-string's fields hold its own quotes (PEP 701): f"{d["k"]}".
_NESTED_QUOTES = sys.version_info >= (3, 12)
_F_STRING_FIELD = re.compile(rb"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")  # with a {width} inside
_LONE_BACKSLASH = re.compile(rb"^ *\\\r?$", re.MULTILINE)
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b"()[]{}\\\n")
_EMPTY_PAIR = re.compile(rb"\(\)|\[\]|\{\}")
_UNBALANCED_LINE = re.compile(rb"[^\n]+")
_IMPORT = re.compile(rb"import")
_IMPORT_OR_PROBE = re.compile(rb"import|find_spec|find_loader")
_KEYWORDS = rb"(?:if|elif|else|try|except|finally|with|async|def|class|for|while|match|case)\b"
_HEADER = re.compile(rb"\n *(?=[acdefimtw])" + _KEYWORDS)
_FIRST_HEADER = re.compile(rb" *" + _KEYWORDS)
_TAB_INDENT = re.compile(rb"^ *[\t\f]", re.MULTILINE)
_CONTINUES = (b"elif", b"else", b"except", b"finally")  # clauses of the block before them
# A line break before a line at the margin that may begin a statement and begins no clause.
# (A closing bracket there ends a statement begun above, as in a parenthesised import
# list: a cut before it would only leave the scanner unsure.)
_MARGIN = re.compile(rb"\n(?![ \t\f\r\n#)\]}]|(?:elif|else|except|finally)\b)")


def source_imports(
    source: bytes, target: Target, *, filename: str = "<unknown>"
) -> list[ImportRef]:
    """Every import in a module's ``source`` that can run on ``target``, relative ones
    included, from its skeleton when the scanner is sure of it and the whole file otherwise.

    Raises SyntaxError (or ValueError, for NUL bytes before Python 3.12) when the file
    cannot be parsed where its imports are.
    """
    return read_imports(source, target, filename=filename)[0]


def read_imports(
    source: bytes, target: Target, *, filename: str = "<unknown>"
) -> tuple[list[ImportRef], tuple[PathAddition, ...]]:
    """source_imports, and the folders the module adds to sys.path (code/sys_path.py)."""
    try:
        skeleton = import_skeleton(source)
    except Unsure:
        pass
    else:
        if skeleton is None:
            return [], ()
        try:
            tree = ast.parse(skeleton, filename)
        except SyntaxError:
            pass  # parsing the whole file names the error, or finds the scanner was wrong
        else:
            # The headers' expressions (a def's parameters, a class's bases) need no walk
            # unless a line of theirs mentions import, as in a whole file's tree.
            lines = lines_mentioning_import(skeleton)
            refs = extract_imports(tree, target, relative=True, import_lines=lines)
            return refs, _additions(source, filename)
    tree = ast.parse(source, filename)
    lines = lines_mentioning_import(source)
    refs = extract_imports(tree, target, relative=True, import_lines=lines)
    return refs, path_additions(tree) if b"sys.path" in source else ()


def _additions(source: bytes, filename: str) -> tuple[PathAddition, ...]:
    """The sys.path additions of a module whose imports came from its skeleton."""
    if b"sys.path" not in source:
        return ()
    try:
        return path_additions(ast.parse(source, filename))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()  # flake8 reports it (E999); its imports still count


def import_skeleton(source: bytes) -> bytes | None:
    """``source`` with only the lines its imports depend on, or None when no code in it
    mentions ``import``. Raises :class:`Unsure` when its logical lines are not certain.

    The lines after the last mention of an import are read only up to the first statement
    at the margin that begins no clause: that statement closes every block that holds an
    import (as in ``_header_lines``), so nothing after it is kept. The skeleton is then
    shorter than the source. When the cut falls inside a string or brackets, the scanner
    is unsure of the shorter text and reads the whole source instead.
    """
    if b"\0" in source or source.count(b"\r") != source.count(b"\r\n"):
        raise Unsure("NUL bytes or line ends other than \\n and \\r\\n")
    end = _imports_end(source)
    if end is None:
        return None  # no import, not even in a string or a comment
    if end < len(source):
        try:
            return _skeleton(source[:end])
        except Unsure:
            pass  # the cut fell inside a string or brackets
    return _skeleton(source)


def _imports_end(source: bytes) -> int | None:
    """Where the first line at the margin after the last mention of an import begins: a
    line of code (not blank, a comment, a closing bracket or a clause such as ``except``)
    whose line before does not end with a backslash. None when nothing mentions an import;
    the length of ``source`` when no such line follows."""
    last = max(source.rfind(b"import"), source.rfind(b"find_"))
    if last < 0:
        return None
    for found in _MARGIN.finditer(source, last):
        if not source.endswith((b"\\", b"\\\r"), 0, found.start()):
            return found.end()
    return len(source)


def _skeleton(source: bytes) -> bytes | None:
    code = _code_only(source)
    if (b"\t" in code or b"\f" in code) and _TAB_INDENT.search(code):
        raise Unsure("indentation with tabs or form feeds")
    lines = source.split(b"\n")
    continued = _continued_lines(code)
    if b"\\" in code and any(
        line not in continued for line in _logical_starts(code, _LONE_BACKSLASH, set())
    ):
        # A statement that begins with a line that is only a backslash: the next line,
        # perhaps a header, is part of it, and the header search would miss that.
        raise Unsure("a statement that begins with a lone backslash")
    # A probe bound to a name (HAS_X = find_spec("x") is not None) decides the branches
    # of a later ``if HAS_X:``: its lines are kept with the imports.
    imports = _logical_starts(code, _IMPORT_OR_PROBE if b"find_" in code else _IMPORT, continued)
    if not imports:
        return None
    imports = _with_decorated(imports, lines, continued)
    # A statement at the margin is in no block: when every import is, and none is on a
    # header's line (``try: import x``), no header is kept, and a file of top-level
    # imports is not searched for its headers.
    nested = any(lines[line][:1] == b" " or _FIRST_HEADER.match(lines[line]) for line in imports)
    headers = _header_lines(code, continued, imports[-1]) if nested else []
    kept = [b""] * len(lines)
    for line in range(min(2, len(lines))):  # an encoding declaration, in the first comments
        if line in continued or not lines[line].lstrip().startswith(b"#"):
            break  # after a line of code, a comment declares no encoding (PEP 263)
        kept[line] = lines[line]
    starts = [*imports, *_enclosing(lines, headers, imports)]
    for line in starts:
        end = _logical_end(line, continued)
        kept[line : end + 1] = lines[line : end + 1]
    _fill_empty_blocks(kept, lines, code, continued, starts)
    return b"\n".join(kept)


def _code_only(source: bytes) -> bytes:
    """``source`` without comments and one-line strings, with each string that spans lines
    replaced by brackets around its line breaks: code, with its lines where they were."""
    parts = _STRINGS_AND_COMMENTS.split(source)  # code, group 1, group 2, code, ...
    strings = [one_line or spanning for one_line, spanning in zip(parts[1::3], parts[2::3])]
    for index, string in enumerate(strings):
        if string and (b"import" in string or (_NESTED_QUOTES and b"{" in string)):
            _check_f_string(parts[3 * index], string)
    parts[2::3] = [b"(" + b"\n" * part.count(b"\n") + b")" if part else b"" for part in parts[2::3]]
    parts[1::3] = [b""] * len(strings)
    code = b"".join(parts)
    if b"'" in code or b'"' in code:
        raise Unsure("an unterminated string")
    return code


def _check_f_string(before: bytes, string: bytes) -> None:
    """Raise Unsure when ``string`` (after the code ``before`` it) is an f-string whose
    fields may hold code the scanner took for text: an import (``f"{__import__('x')}"``),
    or, from Python 3.12, quotes that ended the string early (its braces do not pair up).
    A prefix is one or two letters, so ``before`` ends with it."""
    if b"f" not in before[-2:].lower():
        return
    text = string.replace(b"{{", b"").replace(b"}}", b"")  # braces that are text
    if any(b"import" in field for field in _F_STRING_FIELD.findall(text)):
        raise Unsure("an f-string field that mentions import")
    if _NESTED_QUOTES and text.count(b"{") != text.count(b"}"):
        raise Unsure("an f-string whose fields may hold quotes")


def _continued_lines(code: bytes) -> set[int]:
    """The (0-based) lines that continue a logical line begun above them: inside brackets
    (or a string that spans lines), or after a backslash."""
    reduced = code.translate(None, _NOT_STRUCTURE)
    while True:  # drop the brackets opened and closed on one line
        shorter = _EMPTY_PAIR.sub(b"", reduced)
        if len(shorter) == len(reduced):
            break
        reduced = shorter
    continued: set[int] = set()
    depth = line = position = 0
    for match in _UNBALANCED_LINE.finditer(reduced):
        here = line + reduced.count(b"\n", position, match.start())
        if depth:
            continued.update(range(line + 1, here + 1))
        line, position = here, match.start()
        for char in match.group():
            if char in b"([{":
                depth += 1
            elif char != ord("\\"):
                depth -= 1
                if depth < 0:
                    raise Unsure("a closing bracket that closes nothing")
        if not depth and char == ord("\\"):
            continued.add(line + 1)
    if depth:
        raise Unsure("a bracket left open")
    return continued


def _logical_starts(code: bytes, pattern: re.Pattern[bytes], continued: set[int]) -> list[int]:
    """The first lines of the logical lines in which ``pattern`` matches, in order."""
    starts: list[int] = []
    line = position = 0
    for match in pattern.finditer(code):
        line += code.count(b"\n", position, match.start())
        position = match.start()
        start = line
        while start in continued:
            start -= 1
        if not starts or starts[-1] != start:
            starts.append(start)
    return starts


def _header_lines(code: bytes, continued: set[int], last_import: int) -> list[int]:
    """The lines that begin with the keyword of a compound statement, in order. (A keyword
    that begins a continued line, as an ``if`` in a comprehension, begins no statement.)

    After ``last_import`` a header matters only as a clause (``else``, ``except``, ...) of
    a statement that holds an import: the first header at the margin that begins no clause
    closes every such statement, and the search stops there (most of a large module lies
    beyond its last import).
    """
    headers = [0] if _FIRST_HEADER.match(code) else []
    line = position = 0
    for match in _HEADER.finditer(code):  # each match begins at the \n before its line
        line += code.count(b"\n", position, match.start()) + 1
        position = match.start() + 1
        if line in continued:
            continue
        if (
            line > last_import
            and code[position : position + 1] != b" "
            and not code.startswith(_CONTINUES, position)
        ):
            break
        headers.append(line)
    return headers


def _with_decorated(imports: list[int], lines: list[bytes], continued: set[int]) -> list[int]:
    """``imports`` and, after a decorator among them, the definition it decorates.

    Raises Unsure when the definition is not in ``lines``: the source was cut before it
    (``import_skeleton`` then reads it all), or it ends with a decorator (a syntax error,
    which the whole file's parse reports)."""
    added = []
    for line in imports:
        while lines[line].lstrip(b" ").startswith(b"@"):
            line = _next_statement(_logical_end(line, continued), lines, continued)
            if line >= len(lines):
                raise Unsure("a decorator without its definition")
            added.append(line)
    return sorted({*imports, *added}) if added else imports


def _next_statement(end: int, lines: list[bytes], continued: set[int]) -> int:
    """The first line of the logical line after the one that ends at ``end``."""
    line = end + 1
    while line < len(lines) and (line in continued or lines[line].strip()[:1] in (b"", b"#")):
        line += 1
    return line


def _logical_end(line: int, continued: set[int]) -> int:
    while line + 1 in continued:
        line += 1
    return line


def _enclosing(lines: list[bytes], headers: list[int], imports: list[int]) -> list[int]:
    """The headers of the blocks that hold an import, with the clauses that go with them.

    In line order, the open blocks form a stack by indentation: the nearest header above
    a line and less indented than it opens the block the line is in.
    """
    is_header, is_import = set(headers), set(imports)
    clause_of: dict[int, int] = {}  # header -> the first header of its if/try/match chain
    needed: set[int] = set()
    stack: list[tuple[int, int]] = []  # (line, indent) of the open headers, innermost last
    for line in sorted(is_header | is_import):
        text = lines[line].lstrip(b" ")
        indent = len(lines[line]) - len(text)
        before = None  # the header just closed at the same indentation
        while stack and stack[-1][1] >= indent:
            closed, closed_indent = stack.pop()
            if closed_indent == indent:
                before = closed
        if line in is_header:
            goes_with = before is not None and (
                text.startswith(_CONTINUES)
                or (text.startswith(b"case") and lines[before].lstrip(b" ").startswith(b"case"))
            )
            clause_of[line] = clause_of[before] if goes_with and before is not None else line
            stack.append((line, indent))
        if line in is_import:
            for header, _ in reversed(stack):
                if clause_of[header] in needed:
                    break  # so are the blocks around it
                needed.add(clause_of[header])
    return [header for header in headers if clause_of[header] in needed]


def _fill_empty_blocks(
    kept: list[bytes], lines: list[bytes], code: bytes, continued: set[int], starts: list[int]
) -> None:
    """Put ``pass`` on the first body line of each kept header whose body was dropped."""
    code_lines = code.split(b"\n")
    opening = []
    for line in starts:
        end = _logical_end(line, continued)
        if code_lines[end].rstrip().endswith(b":"):
            opening.append(end)
    for end in opening:
        body = _next_statement(end, lines, continued)
        if body < len(lines) and not kept[body]:
            text = lines[body]
            kept[body] = text[: len(text) - len(text.lstrip(b" "))] + b"pass"
