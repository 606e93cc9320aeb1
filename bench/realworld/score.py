#!/usr/bin/env python3
"""Score a results file of run.py against classified.toml. Stdlib only, Python 3.9+.

    python3 bench/realworld/score.py bench/realworld/results-before.jsonl [--classified FILE]

Per project and tool (flake8 = `flake8 --select REQ .`, check = `flake8-reqs check`):
  findings     findings reported (every line, duplicates included)
  true/false   findings classified as a real problem / a false alarm
  unclassified findings whose (project, path, code, module) is not in classified.toml: listed
               below the table; classify them before trusting the numbers
  missed       distinct true problems this tool did not report: [[missed]] entries, plus
               findings classified true that this run no longer reports (REQ201 is reported
               by `check` only, so it is not counted as missed for flake8)
  precision    true / (true + false)
  recall       distinct true problems found / (found + missed)
Then the false-alarm causes with their counts. Always exits 0.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # flake8-reqs depends on tomli there
    import tomli as tomllib


def _load_toml(path):
    with open(path, "rb") as file:
        return tomllib.load(file)


HERE = os.path.dirname(os.path.abspath(__file__))

TOOLS = ("flake8", "check")
CHECK_ONLY = {"REQ201"}


def key(d):
    return (d["project"], d["path"], d["code"], d["module"])


def applies(tool, code):
    return not (tool == "flake8" and code in CHECK_ONLY)


def pct(num, den):
    return "-" if den == 0 else "%.0f%%" % (100.0 * num / den)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("results", help="JSON-lines file written by run.py")
    ap.add_argument("--classified", default=os.path.join(HERE, "classified.toml"))
    ap.add_argument(
        "--installed",
        action="store_true",
        help="the runs had the projects' dependencies installed: count the true findings "
        'marked needs = "installed" towards recall',
    )
    args = ap.parse_args(argv)

    cls = _load_toml(args.classified)
    verdict = {}
    for f in cls.get("finding", []):
        verdict[key(f)] = f
    missed_entries = cls.get("missed", [])

    runs, findings = [], []
    with open(args.results) as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            (runs if rec.get("record") == "run" else findings).append(rec)
    projects = []
    for r in runs:
        if r["project"] not in projects:
            projects.append(r["project"])

    # true problems: classified true keys and [[missed]] entries, per project
    true_problems = collections.defaultdict(set)
    for k, f in verdict.items():
        if f.get("real") and (args.installed or f.get("needs") != "installed"):
            true_problems[k[0]].add(k)
    for m in missed_entries:
        true_problems[m["project"]].add(key(m))

    rows, unclassified = [], []
    causes = {t: collections.Counter() for t in TOOLS}
    totals = {t: collections.Counter() for t in TOOLS}
    errors = [r for r in runs if r.get("error") or r.get("exit") == "timeout"]
    for project in projects:
        for tool in TOOLS:
            mine = [f for f in findings if f["project"] == project and f["tool"] == tool]
            if not any(r["project"] == project and r.get("tool") == tool for r in runs):
                continue
            c = collections.Counter(findings=len(mine))
            found_true = set()
            for f in mine:
                v = verdict.get(key(f))
                if v is None:
                    c["unclassified"] += 1
                    unclassified.append(f)
                elif v.get("real"):
                    c["true"] += 1
                    found_true.add(key(f))
                else:
                    c["false"] += 1
                    causes[tool][v.get("cause", "other")] += 1
            relevant = {k for k in true_problems[project] if applies(tool, k[2])}
            c["found"] = len(found_true)
            c["missed"] = len(relevant - found_true)
            rows.append((project, tool, c))
            totals[tool].update(c)

    print(
        "%-22s %-6s %8s %5s %5s %6s %6s %9s %6s"
        % ("project", "tool", "findings", "true", "false", "unclf", "missed", "precision", "recall")
    )
    for project, tool, c in rows:
        print(
            "%-22s %-6s %8d %5d %5d %6d %6d %9s %6s"
            % (
                project,
                tool,
                c["findings"],
                c["true"],
                c["false"],
                c["unclassified"],
                c["missed"],
                pct(c["true"], c["true"] + c["false"]),
                pct(c["found"], c["found"] + c["missed"]),
            )
        )
    for tool in TOOLS:
        c = totals[tool]
        if not c:
            continue
        print(
            "%-22s %-6s %8d %5d %5d %6d %6d %9s %6s"
            % (
                "ALL",
                tool,
                c["findings"],
                c["true"],
                c["false"],
                c["unclassified"],
                c["missed"],
                pct(c["true"], c["true"] + c["false"]),
                pct(c["found"], c["found"] + c["missed"]),
            )
        )

    for tool in TOOLS:
        if causes[tool]:
            print(
                "\nfalse-alarm causes ({}): {}".format(
                    tool, ", ".join("%s %d" % (k, v) for k, v in causes[tool].most_common())
                )
            )

    for r in runs:
        if r.get("findings") == 0 and r.get("stderr"):
            print(
                "\nnote: {} {} reported nothing; stderr: {}".format(
                    r["project"], r.get("tool"), r["stderr"].strip()[:300]
                )
            )
    for r in errors:
        print(
            "\nERROR: {} {}: exit={} {}".format(
                r["project"], r.get("tool"), r.get("exit"), r.get("error") or ""
            )
        )

    if unclassified:
        print(
            "\n%d unclassified finding(s) (add them to %s):"
            % (len(unclassified), os.path.basename(args.classified))
        )
        seen = set()
        for f in unclassified:
            k = key(f)
            if k in seen:
                continue
            seen.add(k)
            print(
                "  {} [{}] {}:{} {} {}: {}".format(
                    f["project"],
                    f["tool"],
                    f["path"],
                    f["line"],
                    f["code"],
                    f["module"],
                    f["message"],
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
