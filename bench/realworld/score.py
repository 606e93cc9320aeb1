"""Score a real-world run: every finding against classified.toml, then precision and recall.

    python bench/realworld/score.py results.jsonl

Precision counts findings (output lines): true / (true + false). Recall counts problems: a
problem is a (project, top-level module) that some true finding names, or an entry of
`missed`; recall is the share of them that the run reports. Unclassified findings are listed
(classify them before trusting the numbers).
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).parent


def main(results: Path) -> int:
    data = tomllib.loads((HERE / "classified.toml").read_text(encoding="utf-8"))
    rules, missed = data.get("rule", []), data.get("missed", [])
    findings = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    notes = [f for f in findings if "stderr" in f]
    findings = [f for f in findings if "stderr" not in f]
    rows: dict[str, Counter[str]] = {}
    causes: Counter[str] = Counter()
    problems: set[tuple[str, str]] = set()
    unclassified = []
    for finding in findings:
        rule = next((r for r in rules if matches(r, finding)), None)
        counts = rows.setdefault(finding["project"], Counter())
        counts["findings"] += 1
        if rule is None:
            counts["unclassified"] += 1
            unclassified.append(finding)
            continue
        counts[rule["verdict"]] += 1
        if rule["verdict"] == "false":
            causes[rule["cause"]] += 1
        else:
            counts[f"true {rule['kind']}"] += 1
            problems.add((finding["project"], top(finding["subject"])))
    recovered = 0
    for entry in missed:
        counts = rows.setdefault(entry["project"], Counter())
        if any(matches({**entry, "code": "*"}, f) for f in findings):
            recovered += 1
        else:
            counts["missed"] += 1
    total = Counter[str]()
    print(f"{'project':32} findings  true  false  unclassified  missed")
    for project, counts in sorted(rows.items()):
        total.update(counts)
        print(
            f"{project:32} {counts['findings']:8} {counts['true']:5} {counts['false']:6} "
            f"{counts['unclassified']:13} {counts['missed']:7}"
        )
    print(
        f"{'all':32} {total['findings']:8} {total['true']:5} {total['false']:6} "
        f"{total['unclassified']:13} {total['missed']:7}"
    )
    judged = total["true"] + total["false"]
    found = len(problems) + recovered
    print(f"precision: {total['true']}/{judged} = {total['true'] / judged:.0%}" if judged else "")
    kinds = {k: v for k, v in total.items() if k.startswith("true ")}
    print("true findings by kind: " + ", ".join(f"{k[5:]} {v}" for k, v in sorted(kinds.items())))
    problems_total = found + total["missed"]
    print(f"recall (problems): {found}/{problems_total} = {found / problems_total:.0%}")
    print("false alarms by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))
    for note in notes:
        print(f"note: {note['project']}: {note['stderr']}")
    for finding in unclassified:
        where = f"{finding['path']}:{finding['line']}"
        print(f"UNCLASSIFIED {finding['project']} {where} {finding['code']} {finding['message']}")
    return 0


def top(subject: str) -> str:
    return subject.split(".")[0]


def matches(rule: dict[str, str], finding: dict[str, object]) -> bool:
    return (
        rule["project"] == finding.get("project")
        and rule.get("code", "*") in ("*", finding.get("code"))
        and rule["subject"] == top(str(finding.get("subject", "")))
        and fnmatch.fnmatch(str(finding.get("path", "")), rule.get("path", "*"))
    )


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
