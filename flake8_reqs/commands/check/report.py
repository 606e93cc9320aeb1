"""Output formats of ``flake8-reqs check``: text, json, github, sarif (docs/output-formats.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flake8_reqs.codes import CODES

FORMATS = ("text", "json", "github", "sarif")
JSON_VERSION = 1
NAME = "flake8-reqs"
HOME = "https://github.com/flake8-reqs/flake8-reqs"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
UNREACHABLE = "unreachable from the entry points"


@dataclass(frozen=True)
class Finding:
    """One finding of ``flake8-reqs check``, in the words and places the user sees."""

    path: str  # POSIX, relative to the working directory (absolute when outside it)
    line: int  # 1-based
    col: int  # 1-based, as flake8 prints it
    code: str  # "REQ001"
    message: str  # without the code
    module: str | None  # as imported; None for requirement-level findings (REQ201)
    distribution: str | None
    chain: tuple[str, ...] | None = None  # "main.py:1", ..., ending with the finding itself
    reachable: bool | None = None  # None: no entry points given
    project: str | None = None  # its project's root as shown, when a run checks several


def render(findings: Sequence[Finding], fmt: str, *, tool_version: str) -> str:
    """``findings`` in format ``fmt`` (one of ``FORMATS``).

    text and github are empty when there is nothing to report; json and sarif are always a
    whole document. Raises ``ValueError`` for an unknown format.
    """
    if fmt == "text":
        return "".join(_grouped(findings))
    if fmt == "github":
        return "".join(_github(finding) + "\n" for finding in findings)
    if fmt == "json":
        return _dump(_json(findings, tool_version))
    if fmt == "sarif":
        return _dump(_sarif(findings, tool_version))
    raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")


def from_repository(findings: Sequence[Finding], repository: Path) -> list[Finding]:
    """``findings`` with their paths (and chains) relative to ``repository`` instead of the
    working directory, for the formats CI reads: GitHub places an annotation and code
    scanning an alert by the path from the repository's root, whatever the step's
    ``working-directory:``. A path outside ``repository`` stays absolute."""

    def moved(path: str) -> str:
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute, repository)
        outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
        return Path(absolute).as_posix() if outside else Path(relative).as_posix()

    def moved_step(step: str) -> str:
        path, _, line = step.rpartition(":")
        return f"{moved(path)}:{line}"

    return [
        replace(
            finding,
            path=moved(finding.path),
            chain=None if finding.chain is None else tuple(map(moved_step, finding.chain)),
        )
        for finding in findings
    ]


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def _via(finding: Finding) -> str | None:
    """``main.py:1 -> src/app.py:3: 'magic'``, or None when there is no chain to show."""
    if not finding.chain:
        return None
    steps = " -> ".join(finding.chain)
    return steps if finding.module is None else f"{steps}: '{finding.module}'"


def _note(finding: Finding) -> str | None:
    """What the text format prints on the second line, without its indent."""
    via = _via(finding)
    if via is not None:
        return f"via {via}"
    if finding.reachable is False:
        return UNREACHABLE
    return None


def _grouped(findings: Sequence[Finding]) -> list[str]:
    """The text lines of ``findings``; when they come from several projects, each project's
    under a line that names it and counts them (``project services/api: 2 findings``)."""
    counts: dict[str | None, int] = {}
    for finding in findings:
        counts[finding.project] = counts.get(finding.project, 0) + 1
    lines = []
    current: object = object()
    for finding in findings:
        if finding.project != current and finding.project is not None:
            count = counts[finding.project]
            lines.append(f"project {finding.project}: {count} finding{'s' * (count != 1)}\n")
        current = finding.project
        lines.append(_text(finding))
    return lines


def _text(finding: Finding) -> str:
    line = f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}\n"
    note = _note(finding)
    return line if note is None else f"{line}  {note}\n"


def _json(findings: Sequence[Finding], tool_version: str) -> dict[str, Any]:
    # Keys in the documented order: the schema is public interface, and diffs of two runs'
    # documents should line up.
    return {
        "version": JSON_VERSION,
        "tool": {"name": NAME, "version": tool_version},
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
                "chain": None if f.chain is None else list(f.chain),
                "reachable": f.reachable,
            }
            for f in findings
        ],
    }


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's actions/toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: the message escapes plus ``:`` and ``,``."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(finding: Finding) -> str:
    note = _note(finding)
    message = finding.message if note is None else f"{finding.message} ({note})"
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (
            ("file", finding.path),
            ("line", str(finding.line)),
            ("col", str(finding.col)),
            ("title", f"{finding.code} {CODES[finding.code].slug}"),
        )
    )
    return f"::error {properties}::{_escape_data(message)}"


def _sarif(findings: Sequence[Finding], tool_version: str) -> dict[str, Any]:
    codes = sorted(CODES)
    driver = {
        "name": NAME,
        "version": tool_version,
        "informationUri": HOME,
        "rules": [_sarif_rule(code) for code in codes],
    }
    results = [_sarif_result(finding, codes.index(finding.code)) for finding in findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _sarif_rule(code: str) -> dict[str, Any]:
    entry = CODES[code]
    return {
        "id": code,
        "name": entry.slug,
        "shortDescription": {"text": entry.summary},
        "helpUri": f"{HOME}/blob/main/docs/codes/{code}.md",  # the code's own page
        "defaultConfiguration": {"level": "error" if entry.default_on else "none"},
    }


def _sarif_location(path: str, line: int, col: int) -> dict[str, Any]:
    # Files outside the repository are shown absolute; SARIF wants a file URI for those,
    # without a base.
    # URIs are percent-encoded (RFC 3986); a file name that is not UTF-8 keeps its bytes.
    artifact = (
        {"uri": "file://" + quote(os.fsencode(path), safe="/")}
        if Path(path).is_absolute()
        else {"uri": quote(os.fsencode(path), safe="/"), "uriBaseId": "%SRCROOT%"}
    )
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": line, "startColumn": col},
        }
    }


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the code, the file and what the finding is about."""
    import hashlib  # slow to import: only for SARIF fingerprints

    subject = finding.module if finding.module is not None else finding.distribution
    key = "\0".join((finding.code, finding.path, subject or ""))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = finding.message
    if finding.reachable is False:
        message = f"{message} ({UNREACHABLE})"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": message},
        "locations": [_sarif_location(finding.path, finding.line, finding.col)],
        # Our own key: "primaryLocationLineHash" is GitHub's hash of the line's text, which
        # the upload action computes itself.
        "partialFingerprints": {"flake8-reqs/v1": _fingerprint(finding)},
    }
    if finding.chain:
        steps = _sarif_steps(finding.chain, finding.col, finding.module)
        result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    return result


def _sarif_steps(chain: tuple[str, ...], col: int, module: str | None) -> list[dict[str, Any]]:
    """One threadFlowLocation per step ``path:line``, saying what that line imports."""
    places = [step.rsplit(":", 1) for step in chain]
    imported = [path for path, _ in places[1:]] + [
        "the module" if module is None else f"'{module}'"
    ]
    steps = []
    for number, ((path, line), target) in enumerate(zip(places, imported), 1):
        # Only the last step is the finding itself, whose column is known.
        location = _sarif_location(path, int(line), col if number == len(places) else 1)
        location["message"] = {"text": f"imports {target}"}
        steps.append({"location": location})
    return steps
