"""Output formats of ``flake8-reqs check``: text, json, github and sarif."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flake8_reqs.codes import CODES

FORMATS = ("text", "json", "github", "sarif")
JSON_VERSION = 1
HELP = "https://github.com/flake8-reqs/flake8-reqs#{}-{}"


@dataclass(frozen=True)
class Finding:
    path: str  # POSIX, relative to the working directory
    line: int  # 1-based
    col: int  # 1-based, as flake8 prints it
    code: str
    message: str  # without the code
    module: str | None  # None for requirement-level findings (REQ201)
    distribution: str | None
    chain: tuple[str, ...] | None = None  # "main.py:1", ..., ending with the finding itself
    reachable: bool | None = None  # None: no entry points given


def render(findings: Sequence[Finding], fmt: str, *, tool_version: str) -> str:
    """``findings`` in format ``fmt``; text and github are empty when there is nothing."""
    if fmt == "json":
        return _json(findings, tool_version)
    if fmt == "sarif":
        return _sarif(findings, tool_version)
    if fmt == "github":
        return "".join(_github(finding) + "\n" for finding in findings)
    return "".join(_text(finding) for finding in findings)


def _via(finding: Finding) -> str | None:
    if finding.chain:
        return " -> ".join(finding.chain) + f": '{finding.module}'"
    return None


def _text(finding: Finding) -> str:
    line = f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}\n"
    via = _via(finding)
    if via is not None:
        return line + f"  via {via}\n"
    if finding.reachable is False:
        return line + "  unreachable from the entry points\n"
    return line


def _json(findings: Sequence[Finding], tool_version: str) -> str:
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "flake8-reqs", "version": tool_version},
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.col,
                "code": f.code,
                "slug": CODES[f.code].slug,
                "message": f.message,
                "module": f.module,
                "distribution": f.distribution,
                "chain": list(f.chain) if f.chain is not None else None,
                "reachable": f.reachable,
            }
            for f in findings
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(finding: Finding) -> str:
    title = f"{finding.code} {CODES[finding.code].slug}"
    message = finding.message
    via = _via(finding)
    if via is not None:
        message += f" (via {via})"
    properties = (
        f"file={_escape_property(finding.path)},line={finding.line},col={finding.col},"
        f"title={_escape_property(title)}"
    )
    return f"::error {properties}::{_escape_data(message)}"


def _sarif(findings: Sequence[Finding], tool_version: str) -> str:
    codes = sorted(CODES)
    rules = [
        {
            "id": code,
            "name": CODES[code].slug,
            "shortDescription": {"text": CODES[code].summary},
            "helpUri": HELP.format(code.lower(), CODES[code].slug),
            "defaultConfiguration": {"level": "error" if CODES[code].default_on else "none"},
        }
        for code in codes
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8-reqs",
                        "version": tool_version,
                        "informationUri": "https://github.com/flake8-reqs/flake8-reqs",
                        "rules": rules,
                    }
                },
                "results": [_sarif_result(f, codes.index(f.code)) for f in findings],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _location(path: str, line: int, col: int = 1) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": col},
        }
    }


def _sarif_result(finding: Finding, index: int) -> dict[str, Any]:
    fingerprint = hashlib.sha256(
        f"{finding.code}:{finding.path}:{finding.module or finding.distribution}".encode()
    ).hexdigest()
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [_location(finding.path, finding.line, finding.col)],
        "partialFingerprints": {"primaryLocationLineHash/v1": fingerprint[:32]},
    }
    if finding.chain:
        steps = [step.rsplit(":", 1) for step in finding.chain]
        result["codeFlows"] = [
            {
                "threadFlows": [
                    {
                        "locations": [
                            {"location": _location(path, int(line))} for path, line in steps
                        ]
                    }
                ]
            }
        ]
    return result
