"""Output formats of flake8-reqs check: exact text, json, github and SARIF, checked by schema."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from flake8_reqs.codes import CODES
from flake8_reqs.commands.check.report import FORMATS, Finding, render
from tests.conftest import make_project

REPO = Path(__file__).resolve().parents[3]
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
# The official file, unmodified (see tests/data/sarif-schema-2.1.0.NOTICE.md).
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
VERSION = "0.1.0"

REACHED = Finding(
    path="src/utils/validators.py",
    line=11,
    col=1,
    code="REQ001",
    message="'magic' is imported but not declared as a runtime requirement (r.txt); "
    "it is provided by 'python-magic'",
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
NO_ENTRY = Finding(
    path="app.py",
    line=3,
    col=1,
    code="REQ003",
    message="'ujson' is imported under an ImportError guard but not declared as a runtime "
    "requirement (r.txt); production runs without it",
    module="ujson",
    distribution=None,
)
UNUSED = Finding(
    path="requirements-prod.txt",
    line=4,
    col=1,
    code="REQ201",
    message="'requests' is declared but never imported",
    module=None,
    distribution="requests",
)
FINDINGS = [REACHED, UNREACHABLE, NO_ENTRY, UNUSED]
IDS = ["reached from an entry point", "unreachable", "no entry given", "requirement-level"]


def _sarif(findings):
    return json.loads(render(findings, "sarif", tool_version=VERSION))


def _docs_json_blocks():
    text = (REPO / "docs" / "output-formats.md").read_text(encoding="utf-8")
    return text, re.findall(r"^```json\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _documented_json_schema():
    text, _ = _docs_json_blocks()
    section = text.split("### JSON Schema\n", 1)[1]
    block = re.search(r"^```json\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)
    assert block is not None, "docs/output-formats.md has no JSON Schema block"
    return json.loads(block.group(1))


# --- text -------------------------------------------------------------------------------------

TEXT = [
    pytest.param(
        REACHED,
        "src/utils/validators.py:11:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (r.txt); it is provided by 'python-magic'\n"
        "  via main.py:1 -> src/utils/__init__.py:1 -> src/utils/validators.py:11: 'magic'\n",
        id="chain on a second line, ending with the module",
    ),
    pytest.param(
        UNREACHABLE,
        "scripts/x.py:2:5: REQ001 'yaml' is imported but not declared as a runtime requirement "
        "(r.txt)\n"
        "  unreachable from the entry points\n",
        id="unreachable on a second line",
    ),
    pytest.param(
        NO_ENTRY,
        "app.py:3:1: REQ003 'ujson' is imported under an ImportError guard but not declared as a "
        "runtime requirement (r.txt); production runs without it\n",
        id="no entry given: one line",
    ),
    pytest.param(
        UNUSED,
        "requirements-prod.txt:4:1: REQ201 'requests' is declared but never imported\n",
        id="requirement-level finding",
    ),
    pytest.param(
        dataclasses.replace(NO_ENTRY, chain=(), reachable=True),
        "app.py:3:1: REQ003 'ujson' is imported under an ImportError guard but not declared as a "
        "runtime requirement (r.txt); production runs without it\n",
        id="empty chain: one line",
    ),
]


@pytest.mark.parametrize(("finding", "expected"), TEXT)
def test_text(finding, expected):
    assert render([finding], "text", tool_version=VERSION) == expected


def test_text_keeps_the_order_it_is_given():
    expected = "".join(render([finding], "text", tool_version=VERSION) for finding in FINDINGS)
    assert render(FINDINGS, "text", tool_version=VERSION) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("text", "", id="text"),
        pytest.param("github", "", id="github"),
        pytest.param(
            "json",
            '{\n  "version": 1,\n  "tool": {\n    "name": "flake8-reqs",\n'
            '    "version": "0.1.0"\n  },\n  "findings": []\n}\n',
            id="json",
        ),
    ],
)
def test_nothing_to_report(fmt, expected):
    assert render([], fmt, tool_version=VERSION) == expected


def test_unknown_format_is_refused():
    expected = "unknown output format 'xml'; expected one of text, json, github, sarif"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        render(FINDINGS, "xml", tool_version=VERSION)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_one_newline(fmt):
    output = render(FINDINGS, fmt, tool_version=VERSION)
    assert (output.endswith("\n"), output.endswith("\n\n")) == (True, False)


# --- github -----------------------------------------------------------------------------------

GITHUB = [
    pytest.param(
        REACHED,
        "::error file=src/utils/validators.py,line=11,col=1,title=REQ001 undeclared-import"
        "::'magic' is imported but not declared as a runtime requirement (r.txt); it is provided "
        "by 'python-magic' (via main.py:1 -> src/utils/__init__.py:1 -> "
        "src/utils/validators.py:11: 'magic')\n",
        id="chain in parentheses after the message",
    ),
    pytest.param(
        UNREACHABLE,
        "::error file=scripts/x.py,line=2,col=5,title=REQ001 undeclared-import"
        "::'yaml' is imported but not declared as a runtime requirement (r.txt) "
        "(unreachable from the entry points)\n",
        id="unreachable in parentheses after the message",
    ),
    pytest.param(
        NO_ENTRY,
        "::error file=app.py,line=3,col=1,title=REQ003 optional-undeclared-import"
        "::'ujson' is imported under an ImportError guard but not declared as a runtime "
        "requirement (r.txt); production runs without it\n",
        id="no entry given",
    ),
    pytest.param(
        UNUSED,
        "::error file=requirements-prod.txt,line=4,col=1,title=REQ201 unused-requirement"
        "::'requests' is declared but never imported\n",
        id="requirement-level finding",
    ),
]


@pytest.mark.parametrize(("finding", "expected"), GITHUB)
def test_github(finding, expected):
    assert render([finding], "github", tool_version=VERSION) == expected


ESCAPES = [
    pytest.param(
        {"message": "100% sure"},
        "::error file=a.py,line=1,col=1,title=REQ201 unused-requirement::100%25 sure",
        id="percent in the message",
    ),
    pytest.param(
        {"message": "one\r\ntwo\nthree"},
        "::error file=a.py,line=1,col=1,title=REQ201 unused-requirement::one%0D%0Atwo%0Athree",
        id="line breaks in the message",
    ),
    pytest.param(
        {"message": "needs libmagic: apt-get install a, b"},
        "::error file=a.py,line=1,col=1,title=REQ201 unused-requirement"
        "::needs libmagic: apt-get install a, b",
        id="colon and comma stay in the message",
    ),
    pytest.param(
        {"path": "a,b:c.py"},
        "::error file=a%2Cb%3Ac.py,line=1,col=1,title=REQ201 unused-requirement::m",
        id="colon and comma in the file property",
    ),
    pytest.param(
        {"path": "100%/a\nb.py"},
        "::error file=100%25/a%0Ab.py,line=1,col=1,title=REQ201 unused-requirement::m",
        id="percent and newline in the file property",
    ),
    pytest.param(
        {"path": "%3A.py"},
        "::error file=%253A.py,line=1,col=1,title=REQ201 unused-requirement::m",
        id="an escape-like path is escaped once, percent first",
    ),
    pytest.param(
        {"message": "m", "module": "x", "chain": ("C:/a.py:1", "b,c.py:2")},
        "::error file=a.py,line=1,col=1,title=REQ201 unused-requirement"
        "::m (via C:/a.py:1 -> b,c.py:2: 'x')",
        id="chain is message data: colon and comma stay",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), ESCAPES)
def test_github_escapes_what_github_requires(changes, expected):
    finding = dataclasses.replace(
        Finding("a.py", 1, 1, "REQ201", "m", None, "x"),
        **changes,
    )
    assert render([finding], "github", tool_version=VERSION) == expected + "\n"


# --- json -------------------------------------------------------------------------------------


def test_json_document():
    assert json.loads(render(FINDINGS, "json", tool_version=VERSION)) == {
        "version": 1,
        "tool": {"name": "flake8-reqs", "version": "0.1.0"},
        "findings": [
            {
                "path": "src/utils/validators.py",
                "line": 11,
                "column": 1,
                "code": "REQ001",
                "slug": "undeclared-import",
                "message": REACHED.message,
                "module": "magic",
                "distribution": "python-magic",
                "chain": ["main.py:1", "src/utils/__init__.py:1", "src/utils/validators.py:11"],
                "reachable": True,
            },
            {
                "path": "scripts/x.py",
                "line": 2,
                "column": 5,
                "code": "REQ001",
                "slug": "undeclared-import",
                "message": UNREACHABLE.message,
                "module": "yaml",
                "distribution": None,
                "chain": None,
                "reachable": False,
            },
            {
                "path": "app.py",
                "line": 3,
                "column": 1,
                "code": "REQ003",
                "slug": "optional-undeclared-import",
                "message": NO_ENTRY.message,
                "module": "ujson",
                "distribution": None,
                "chain": None,
                "reachable": None,
            },
            {
                "path": "requirements-prod.txt",
                "line": 4,
                "column": 1,
                "code": "REQ201",
                "slug": "unused-requirement",
                "message": "'requests' is declared but never imported",
                "module": None,
                "distribution": "requests",
                "chain": None,
                "reachable": None,
            },
        ],
    }


def test_json_text_has_the_documented_key_order_and_layout():
    assert render([UNUSED], "json", tool_version=VERSION) == (
        "{\n"
        '  "version": 1,\n'
        '  "tool": {\n'
        '    "name": "flake8-reqs",\n'
        '    "version": "0.1.0"\n'
        "  },\n"
        '  "findings": [\n'
        "    {\n"
        '      "path": "requirements-prod.txt",\n'
        '      "line": 4,\n'
        '      "column": 1,\n'
        '      "code": "REQ201",\n'
        '      "slug": "unused-requirement",\n'
        '      "message": "\'requests\' is declared but never imported",\n'
        '      "module": null,\n'
        '      "distribution": "requests",\n'
        '      "chain": null,\n'
        '      "reachable": null\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_documented_json_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(_documented_json_schema())


@pytest.mark.parametrize(
    "findings",
    [pytest.param(FINDINGS, id="every kind of finding"), pytest.param([], id="no findings")],
)
def test_json_output_is_valid_against_the_documented_schema(findings):
    document = json.loads(render(findings, "json", tool_version=VERSION))
    jsonschema.Draft202012Validator(_documented_json_schema()).validate(document)


def test_documented_json_example_is_valid_against_the_documented_schema():
    _, blocks = _docs_json_blocks()
    examples = [json.loads(block) for block in blocks if '"findings": [' in block]
    assert len(examples) == 1
    jsonschema.Draft202012Validator(_documented_json_schema()).validate(examples[0])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(("version",), 2, id="another version"),
        pytest.param(("findings", 0, "chain"), [], id="empty chain"),
        pytest.param(("findings", 0, "column"), 0, id="0-based column"),
        pytest.param(("findings", 0, "extra"), 1, id="undocumented key"),
    ],
)
def test_documented_json_schema_rejects_what_it_does_not_describe(path, value):
    document = json.loads(render(FINDINGS, "json", tool_version=VERSION))
    *parents, key = path
    target = document
    for parent in parents:
        target = target[parent]
    target[key] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(_documented_json_schema()).validate(document)


# --- sarif ------------------------------------------------------------------------------------


def _official_sarif_schema():
    data = SARIF_SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SARIF_SCHEMA_SHA256, "the schema was edited"
    return json.loads(data)


def test_vendored_sarif_schema_is_the_official_one():
    schema = _official_sarif_schema()
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator


@pytest.mark.parametrize(
    "findings",
    [pytest.param(FINDINGS, id="every kind of finding"), pytest.param([], id="no findings")],
)
def test_sarif_is_valid_against_the_official_schema(findings):
    jsonschema.validate(_sarif(findings), _official_sarif_schema())


def test_official_schema_catches_a_broken_log():
    # Proves the validation above has teeth: a result without its message is invalid SARIF.
    document = _sarif([REACHED])
    del document["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError, match="'message' is a required property"):
        jsonschema.validate(document, _official_sarif_schema())


def test_sarif_log_and_driver():
    document = _sarif(FINDINGS)
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert (document["$schema"], document["version"], sorted(run)) == (
        "https://json.schemastore.org/sarif-2.1.0.json",
        "2.1.0",
        ["results", "tool"],
    )
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "flake8-reqs",
        "0.1.0",
        "https://github.com/flake8-reqs/flake8-reqs",
    )
    assert [rule["id"] for rule in driver["rules"]] == sorted(CODES)
    assert [run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in run["results"]] == [
        "REQ001",
        "REQ001",
        "REQ003",
        "REQ201",
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param(
            "REQ001",
            {
                "id": "REQ001",
                "name": "undeclared-import",
                "shortDescription": {
                    "text": "third-party import that no runtime requirement provides"
                },
                "helpUri": "https://github.com/flake8-reqs/flake8-reqs/blob/main/docs/codes/"
                "REQ001.md",
                "defaultConfiguration": {"level": "error"},
            },
            id="on by default",
        ),
        pytest.param(
            "REQ003",
            {
                "id": "REQ003",
                "name": "optional-undeclared-import",
                "shortDescription": {
                    "text": "undeclared import inside try/except ImportError: "
                    "the feature is silently lost"
                },
                "helpUri": "https://github.com/flake8-reqs/flake8-reqs/blob/main/docs/codes/"
                "REQ003.md",
                "defaultConfiguration": {"level": "none"},
            },
            id="off by default",
        ),
    ],
)
def test_sarif_rule(code, expected):
    rules = _sarif([])["runs"][0]["tool"]["driver"]["rules"]
    assert rules[sorted(CODES).index(code)] == expected


@pytest.mark.parametrize("code", sorted(CODES))
def test_sarif_help_links_land_on_the_code_page(code):
    rules = _sarif([])["runs"][0]["tool"]["driver"]["rules"]
    (rule,) = [rule for rule in rules if rule["id"] == code]
    page = rule["helpUri"].split("/blob/main/", 1)[1]
    assert (REPO / page).read_text(encoding="utf-8").startswith(f"# {code} {CODES[code].slug}\n")


def _location(path, line, col, text=None):
    location = {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": col},
        }
    }
    if text is not None:
        location["message"] = {"text": text}
    return location


SARIF_RESULTS = [
    pytest.param(
        REACHED,
        {
            "ruleId": "REQ001",
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": REACHED.message},
            "locations": [_location("src/utils/validators.py", 11, 1)],
            "codeFlows": [
                {
                    "threadFlows": [
                        {
                            "locations": [
                                {
                                    "location": _location(
                                        "main.py", 1, 1, "imports src/utils/__init__.py"
                                    )
                                },
                                {
                                    "location": _location(
                                        "src/utils/__init__.py",
                                        1,
                                        1,
                                        "imports src/utils/validators.py",
                                    )
                                },
                                {
                                    "location": _location(
                                        "src/utils/validators.py", 11, 1, "imports 'magic'"
                                    )
                                },
                            ]
                        }
                    ]
                }
            ],
        },
        id="chain as a code flow, one location per step",
    ),
    pytest.param(
        UNREACHABLE,
        {
            "ruleId": "REQ001",
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": f"{UNREACHABLE.message} (unreachable from the entry points)"},
            "locations": [_location("scripts/x.py", 2, 5)],
        },
        id="unreachable noted in the message",
    ),
    pytest.param(
        NO_ENTRY,
        {
            "ruleId": "REQ003",
            "ruleIndex": 2,
            "level": "error",
            "message": {"text": NO_ENTRY.message},
            "locations": [_location("app.py", 3, 1)],
        },
        id="no entry given",
    ),
    pytest.param(
        UNUSED,
        {
            "ruleId": "REQ201",
            "ruleIndex": sorted(CODES).index("REQ201"),
            "level": "error",
            "message": {"text": "'requests' is declared but never imported"},
            "locations": [_location("requirements-prod.txt", 4, 1)],
        },
        id="requirement-level finding",
    ),
]


@pytest.mark.parametrize(("finding", "expected"), SARIF_RESULTS)
def test_sarif_result(finding, expected):
    (result,) = _sarif([finding])["runs"][0]["results"]
    fingerprints = result.pop("partialFingerprints")
    assert result == expected
    assert list(fingerprints) == ["flake8-reqs/v1"]
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprints["flake8-reqs/v1"])


def test_sarif_file_outside_the_working_directory_is_a_file_uri():
    outside = dataclasses.replace(NO_ENTRY, path="/srv/other project/app.py")
    (result,) = _sarif([outside])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///srv/other%20project/app.py"
    }
    jsonschema.validate(_sarif([outside]), _official_sarif_schema())


def _fingerprint(finding, tool_version=VERSION):
    (result,) = json.loads(render([finding], "sarif", tool_version=tool_version))["runs"][0][
        "results"
    ]
    return result["partialFingerprints"]


FINGERPRINTS = [
    pytest.param(REACHED, {"line": 40}, True, id="same after the import moves down"),
    pytest.param(REACHED, {"col": 9}, True, id="same in another column"),
    pytest.param(REACHED, {"chain": None, "reachable": None}, True, id="same without --entry"),
    pytest.param(REACHED, {"message": "other words"}, True, id="same when the message changes"),
    pytest.param(REACHED, {"module": "magic.compat"}, False, id="differs for another module"),
    pytest.param(REACHED, {"path": "src/other.py"}, False, id="differs for another file"),
    pytest.param(REACHED, {"code": "REQ101"}, False, id="differs for another code"),
    pytest.param(UNUSED, {"distribution": "flask"}, False, id="REQ201: differs per distribution"),
    pytest.param(UNUSED, {"line": 9}, True, id="REQ201: same after the line moves"),
]


@pytest.mark.parametrize(("finding", "changes", "same"), FINGERPRINTS)
def test_sarif_fingerprint(finding, changes, same):
    changed = dataclasses.replace(finding, **changes)
    assert (_fingerprint(finding) == _fingerprint(changed)) is same


def test_sarif_fingerprint_is_stable_across_runs_and_versions():
    assert _fingerprint(REACHED) == _fingerprint(copy.deepcopy(REACHED), tool_version="9.9")


def check(project: Path, *args: str) -> list[str]:
    """``python -m flake8_reqs check`` in ``project`` (a subprocess, as CI runs it)."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    return completed.stdout.splitlines()


@pytest.fixture
def service_in_a_repository(tmp_path):
    """A project two folders below the repository's root, as in a monorepo."""
    (tmp_path / ".git").mkdir()
    return make_project(
        tmp_path / "services" / "api",
        {"requirements.txt": "flask\n", "my app.py": "import flask\nimport yaml\n"},
    )


def test_github_paths_are_relative_to_the_repository_root(service_in_a_repository):
    assert check(service_in_a_repository, "--format=github") == [
        "::error file=services/api/my app.py,line=2,col=1,title=REQ001 undeclared-import::"
        "'yaml' is imported but not declared as a runtime requirement (requirements.txt); "
        "it is provided by 'pyyaml'"
    ]


def test_sarif_uris_are_relative_to_the_repository_root_and_percent_encoded(
    service_in_a_repository,
):
    log = json.loads("\n".join(check(service_in_a_repository, "--format=sarif")))
    [result] = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "services/api/my%20app.py", "uriBaseId": "%SRCROOT%"}


def test_text_paths_stay_relative_to_the_working_directory(service_in_a_repository):
    assert check(service_in_a_repository)[0].startswith("my app.py:2:1: REQ001 'yaml'")


def test_without_a_repository_paths_are_relative_to_the_project_root(tmp_path):
    project = make_project(
        tmp_path / "project",
        {"requirements.txt": "flask\n", "pkg/app.py": "import yaml\nimport flask\n"},
    )
    assert check(project / "pkg", "--format=github", "--reqs-file=../requirements.txt", ".") == [
        "::error file=pkg/app.py,line=1,col=1,title=REQ001 undeclared-import::"
        "'yaml' is imported but not declared as a runtime requirement (../requirements.txt); "
        "it is provided by 'pyyaml'"
    ]


def test_sarif_uri_of_a_file_name_that_is_not_utf8():
    finding = dataclasses.replace(NO_ENTRY, path="caf\udce9.py")  # b"caf\xe9.py", fsdecoded
    (result,) = _sarif([finding])["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "caf%E9.py", "uriBaseId": "%SRCROOT%"}
