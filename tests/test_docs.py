"""The code table, the README and the CHANGELOG agree; the repository passes its own plugin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_reqs.codes import CODES
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SECTIONS = ("What it does", "Why it matters", "Example", "How to fix", "Options", "Limits")


def _documented_codes() -> set[str]:
    return set(re.findall(r"^### (REQ\d{3}) ", README, flags=re.MULTILINE))


def test_every_code_has_a_readme_section_and_every_section_a_code():
    assert _documented_codes() == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_section_has_every_heading_and_the_table_row(code):
    entry = CODES[code]
    section = README.split(f"### {code} {entry.slug}\n", 1)[1].split("\n### ", 1)[0]
    for heading in SECTIONS:
        assert f"**{heading}.**" in section, f"{code} lacks '{heading}'"
    default = "on" if entry.default_on else "off"
    row = (
        f"| [{code}](#{code.lower()}-{entry.slug}) | `{entry.slug}` | {entry.summary} | {default} |"
    )
    assert row in README


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
