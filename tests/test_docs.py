"""The code table, the code pages, the README and the CHANGELOG agree; every page's example
and fix run for real; the repository passes its own plugin."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from flake8_reqs.codes import CODES
from tests.conftest import Result, make_project, run_cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
PAGES = REPO / "docs" / "codes"
# ruff's rule-page sections, in this order, on every page.
HEADINGS = (
    "What it finds",
    "Why it matters",
    "Example",
    "How to fix",
    "Options",
    "Limits",
    "See also",
)
# A file of an example: its path alone in backticks with a colon, then a fenced block.
_FILE = re.compile(r"^`(?P<path>[^`\s]+)`:\n\n```[\w-]*\n(?P<text>.*?)^```$", re.M | re.S)
# The command of an example and the lines it prints.
_CONSOLE = re.compile(r"^```console\n\$ (?P<command>.+?)\n(?P<output>.*?)^```$", re.M | re.S)
_FENCED = re.compile(r"^```.*?^```$", re.M | re.S)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _page(code: str) -> str:
    return (PAGES / f"{code}.md").read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    """``{heading: body}`` for the ``## `` sections of a page, in order."""
    parts = re.split(r"^## (.+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def _files(section: str) -> dict[str, str]:
    return {match["path"]: match["text"] for match in _FILE.finditer(section)}


def _command(code: str) -> tuple[list[str], list[str]]:
    """The example's command line as arguments, and the output lines the page shows."""
    match = _CONSOLE.search(_sections(_page(code))["Example"])
    assert match is not None, f"{code}: the example has no ```console block"
    return shlex.split(match["command"]), match["output"].splitlines()


@pytest.fixture
def run_example(run_flake8, tmp_path, monkeypatch, capsys):
    """Run a page's command, ``flake8 ...`` or ``flake8-reqs ...``, in-process in ``project``."""
    from flake8_reqs.commands.cli import main

    def run(project: Path, argv: list[str]) -> Result:
        program, *args = argv
        if program == "flake8":
            return run_flake8(project, *args)
        assert program == "flake8-reqs", f"unknown program {program!r}"
        monkeypatch.chdir(project)
        capsys.readouterr()
        command, *rest = args
        code = main([command, f"--cache-dir={tmp_path / '_cache'}", "-j1", *rest])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), captured.err.splitlines())

    return run


def _anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown text: lower case, punctuation
    dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", _FENCED.sub("", text), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def _lands(linked: Path, anchor: str) -> bool:
    """True when ``linked`` is a file and, if an anchor is given, has that heading."""
    if not linked.is_file():
        return False
    return not anchor or anchor in _anchors(linked.read_text(encoding="utf-8"))


def test_every_code_has_a_page_and_every_page_a_code():
    assert {page.stem for page in PAGES.glob("*.md")} == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_page_has_title_summary_default_and_every_heading(code):
    entry = CODES[code]
    title, blank, summary, blank_2, default, *_ = _page(code).splitlines()
    assert (title, blank, blank_2) == (f"# {code} {entry.slug}", "", "")
    assert summary == f"{entry.summary[0].upper()}{entry.summary[1:]}."
    assert default.startswith(f"**Default:** {'on' if entry.default_on else 'off'}")
    assert tuple(_sections(_page(code))) == HEADINGS


@pytest.mark.parametrize("code", sorted(CODES))
def test_page_example_shows_the_message_of_its_code(code):
    # The template with every field as a wildcard: the documented line must be this code's.
    fields = re.split(r"\{\w+\}", CODES[code].template)
    message = "(.*)".join(re.escape(field) for field in fields)
    _, output = _command(code)
    assert output, f"{code}: the example prints nothing"
    assert any(re.fullmatch(rf"\S+:\d+:\d+: {code} {message}", line) for line in output)


@pytest.mark.parametrize("code", sorted(CODES))
def test_page_example_prints_what_the_page_shows(code, tmp_path, run_example):
    files = _files(_sections(_page(code))["Example"])
    argv, output = _command(code)
    result = run_example(make_project(tmp_path / "example", files), argv)
    # As a terminal shows them: what flake8-reqs says on stderr comes first.
    assert (result.err + result.out, result.exit_code) == (output, 1)


@pytest.mark.parametrize("code", sorted(CODES))
def test_page_fix_makes_the_example_clean(code, tmp_path, run_example):
    sections = _sections(_page(code))
    fixed = _files(sections["How to fix"])
    assert fixed, f"{code}: 'How to fix' shows no corrected file"
    argv, output = _command(code)
    project = make_project(tmp_path / "fixed", {**_files(sections["Example"]), **fixed})
    result = run_example(project, argv)
    said = [line for line in output if line.startswith("flake8-reqs: target Python")]
    assert (result.out, result.exit_code, result.err) == ([], 0, said)


@pytest.mark.parametrize("code", sorted(CODES))
def test_readme_table_links_the_page(code):
    entry = CODES[code]
    default = "on" if entry.default_on else "off"
    row = f"| [{code}](docs/codes/{code}.md) | `{entry.slug}` | {default} | {entry.summary} |"
    assert row in README


@pytest.mark.parametrize(
    "document",
    [Path("README.md"), *sorted(path.relative_to(REPO) for path in PAGES.glob("*.md"))],
    ids=str,
)
def test_relative_links_land_on_a_file_and_heading(document):
    text = (REPO / document).read_text(encoding="utf-8")
    broken = []
    for target in _LINK.findall(_FENCED.sub("", text)):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        if not _lands((REPO / document).parent / path if path else REPO / document, anchor):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_in_the_changelog(code):
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"{code} `{CODES[code].slug}`" in changelog


def test_slugs_are_unique_and_read_after_allow():
    slugs = [entry.slug for entry in CODES.values()]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs)
    assert not any(slug.endswith(("-error", "-missing")) or "ban-" in slug for slug in slugs)


def test_this_repository_passes_its_own_plugin():
    result = run_cli(REPO, "--select=REQ", "flake8_reqs", "tests")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


def test_install_snippets_name_the_release_the_changelog_dates():
    """README's `pip install git+…@vX` and pre-commit's `rev: vX` name the release tag of the
    version the package says it is, and the CHANGELOG has a dated section for that release."""
    version = __import__("flake8_reqs").__version__
    tags = set(re.findall(r"flake8-reqs@(v[\w.]+)", README)) | set(
        re.findall(r"^\s*rev: (v[\w.]+)", README, re.M)
    )
    assert tags == {f"v{version}"}
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(version)} \(\d{{4}}-\d{{2}}-\d{{2}}\)$", changelog, re.M)
