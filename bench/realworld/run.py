"""Run flake8's REQ checks on the real-world projects and write every finding as JSON lines.

    python bench/realworld/run.py --venv VENV --projects-dir DIR --out results.jsonl [NAME ...]

VENV is a virtual environment with flake8 and flake8-reqs installed; DIR holds one checkout
per project of projects.toml, named as the project. Each run has a fresh, private cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).parent
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>REQ\d+) (?P<message>.*)$")
SUBJECT = re.compile(r"^'([^']+)'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--projects-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    projects = tomllib.loads((HERE / "projects.toml").read_text(encoding="utf-8"))["project"]
    with args.out.open("w", encoding="utf-8") as out:
        for project in projects:
            if args.names and project["name"] not in args.names:
                continue
            for finding in run(project, args.venv, args.projects_dir):
                out.write(json.dumps(finding, sort_keys=True) + "\n")
    return 0


def run(project: dict[str, str], venv: Path, projects_dir: Path) -> list[dict[str, object]]:
    folder = projects_dir / project["name"] / project["run"]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        completed = subprocess.run(
            [str(venv / "bin" / "flake8"), "--select=REQ", "--jobs=1", "."],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    findings = []
    for line in completed.stdout.splitlines():
        match = LINE.match(line)
        if match is None:
            continue
        subject = SUBJECT.match(match["message"])
        findings.append(
            {
                "project": project["name"],
                "path": os.path.normpath(match["path"]),
                "line": int(match["line"]),
                "code": match["code"],
                "subject": subject.group(1) if subject else "",
                "message": match["message"],
            }
        )
    for line in completed.stderr.splitlines():
        findings.append({"project": project["name"], "stderr": line})
    return findings


if __name__ == "__main__":
    raise SystemExit(main())
