"""fix never loses or breaks a line: random requirements files, edited, read back.

Each example is a pip requirements file built from the pieces that make editing hard
(continuations, comments, option lines, includes, markers, hashes, CRLF and lone CR line
ends, a byte order mark, no final line end, a dangling continuation), and a few
distributions to add (some already declared) and requirements to remove. After the edit,
our reader and packaging must read every original requirement but the removed ones, and
each added one once; every problem the reader found before is still there, and no
original line is lost or changed unless it was removed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.commands.fix.edit import Addition
from flake8_reqs.commands.fix.plan import plan_edit
from flake8_reqs.declared.sources.pip import read_requirements_file

NAMES = ("flask", "Django", "requests", "zope.interface", "a-b_c", "python_magic")
ADDED = ("python-magic", "pillow", "aaa-first", "zzz-last", "Flask", "mmm")
SPECIFIERS = ("", "==1.0", ">=2,<3", "~=1.4", " >= 2.0")
MARKERS = ("", "; python_version >= '3.8'", ' ; sys_platform == "linux"')
OPTIONS = (
    "--index-url https://example.com/simple",
    "-c constraints.txt",
    "-r other.txt",
    "--pre",
    "-e git+https://example.com/x.git#egg=xpkg",
)
COMMENTS = ("# a comment", "# a comment that ends in a backslash \\", "   # indented")


@st.composite
def requirement_line(draw):
    text = draw(st.sampled_from(NAMES))
    text += draw(st.sampled_from(("", "[extra]")))
    text += draw(st.sampled_from(SPECIFIERS))
    text += draw(st.sampled_from(MARKERS))
    if draw(st.booleans()):
        text += " --hash=sha256:" + "0" * 64
    if draw(st.booleans()):
        text += "  # pinned"
    spaces = [index for index, char in enumerate(text) if char == " "]
    if spaces and draw(st.booleans()):  # go on on the next physical line
        at = draw(st.sampled_from(spaces))
        text = text[:at] + " \\\n    " + text[at + 1 :]
    return text


LINE = st.one_of(
    requirement_line(),
    st.sampled_from(OPTIONS),
    st.sampled_from(COMMENTS),
    st.just(""),
)


@st.composite
def requirements_file(draw):
    lines = draw(st.lists(LINE, max_size=8))
    ending = draw(st.sampled_from(("\n", "\r\n")))
    text = ""
    for line in lines:
        # Mostly the file's own line end; now and then another one, as real files have.
        text += line.replace("\n", ending) + draw(
            st.sampled_from((ending, ending, ending, "\n", "\r\n", "\r"))
        )
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end after the last line
    if draw(st.booleans()):
        text += "flask \\"  # a continuation that the file ends in
    bom = draw(st.booleans())
    additions = draw(st.lists(st.sampled_from(ADDED), max_size=3))
    versions = draw(st.lists(st.sampled_from((None, "1.0", "2.5.1")), min_size=3, max_size=3))
    remove = draw(st.lists(st.integers(0, 7), max_size=3))
    return ("\ufeff" if bom else "") + text, additions, versions, remove


def requirements(declared):
    return Counter(str(req.req) for req in declared.runtime)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requirements_file())
# A repeated pair of lines: difflib once paired an inserted line with an old one.
@example(("-r other.txt\nflask==1.0\n-r other.txt\nflask==1.0", ["magic", "aaa"], [None] * 2, []))
# Mostly '\r' line ends, a line added before a lone '\n': '\r' + '\n' was one line end.
@example(("\r--index-url https://x.org/simple\r\rflask\n\n\n", ["python-magic"], [None] * 3, []))
def test_fix_keeps_every_requirement_and_line(tmp_path, example):
    text, names, versions, remove = example
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "other.txt").write_text("six\n", encoding="utf-8")
    (folder / "constraints.txt").write_text("six<2\n", encoding="utf-8")
    path = folder / "requirements.txt"
    path.write_bytes(text.encode("utf-8"))
    before = read_requirements_file(path, "requirements.txt", {})
    own = [req for req in before.runtime if req.path == "requirements.txt"]
    removals = list({own[index].line: own[index] for index in remove if index < len(own)}.values())
    additions = [Addition(name, version) for name, version in zip(names, versions)]

    edit = plan_edit(path, "requirements.txt", additions, removals)
    Path(path).write_bytes(edit.new.encode("utf-8"))
    after = read_requirements_file(path, "requirements.txt", {})

    # Every requirement but the removed ones, and each new distribution once.
    declared = {req.name for req in before.runtime} - {req.name for req in removals}
    added = Counter()
    for name in dict.fromkeys(canonicalize_name(name) for name in names):
        if name not in {req.name for req in before.runtime}:
            added[name] += 1
    expected = requirements(before) - Counter(str(req.req) for req in removals)
    new = requirements(after) - expected
    assert requirements(after) - new == expected
    assert Counter(canonicalize_name(PackagingRequirement(text).name) for text in new) == added
    assert {req.name for req in after.runtime} >= declared
    # No new problem, and the old ones are still found.
    assert Counter(error.message for error in after.errors) == Counter(
        error.message for error in before.errors
    )
    # Without removals, the edit only inserts lines: nothing is lost or rewritten, but for
    # a last line without a line end, which gets one.
    if not removals:
        assert edit.new.startswith("\ufeff") == edit.old.startswith("\ufeff")
        old_lines = edit.old.removeprefix("\ufeff").splitlines(keepends=True)
        new_lines = edit.new.removeprefix("\ufeff").splitlines(keepends=True)
        ends = [line != line.splitlines()[0] for line in old_lines]  # only the last may not

        def same(old: str, new: str, has_end: bool) -> bool:
            return old == new if has_end else old == new.splitlines()[0]

        # Old lines in order among the new ones (not a diff's alignment: with repeated lines,
        # difflib may pair an inserted line with an old one and call that a replacement).
        remaining = iter(new_lines)
        assert all(
            any(same(line, new, end) for new in remaining) for line, end in zip(old_lines, ends)
        )
