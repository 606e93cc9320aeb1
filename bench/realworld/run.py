#!/usr/bin/env python3
"""Run flake8-reqs over the real-world projects of projects.toml and record every finding.

Stdlib only, Python 3.9+. Each project is run from its folder under --projects-dir with the
commands projects.toml gives, using the flake8 and flake8-reqs of --venv. Every run gets a
fresh, empty XDG_CACHE_HOME, so runs are cold and independent. Findings are written as JSON
lines to --out: one object per finding, plus one "run" record per command (exit status,
time, stderr) so a silent run is visible too.

    python3 bench/realworld/run.py --venv /work/rw-venv-before \
        --projects-dir /work/rw-projects --out bench/realworld/results-before.jsonl [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

if sys.version_info >= (3, 11):
    import tomllib
else:  # flake8-reqs depends on tomli there
    import tomli as tomllib


def _load_toml(path):
    with open(path, "rb") as file:
        return tomllib.load(file)


HERE = os.path.dirname(os.path.abspath(__file__))

# flake8's default format: path:row:col: CODE text
FLAKE8_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$"
)
QUOTED = re.compile(r"'([^']+)'")


def norm_path(path):
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def subject_of(code, message):
    """The module (or distribution, for REQ201) a message is about: its first quoted name."""
    m = QUOTED.search(message)
    return m.group(1) if m else None


def parse_flake8(stdout):
    out = []
    for line in stdout.splitlines():
        m = FLAKE8_LINE.match(line)
        if not m:
            continue
        out.append(
            {
                "path": norm_path(m.group("path")),
                "line": int(m.group("line")),
                "code": m.group("code"),
                "module": subject_of(m.group("code"), m.group("msg")),
                "message": m.group("msg"),
            }
        )
    return out


def parse_check_json(stdout):
    if not stdout.strip():  # nothing checked (e.g. no requirement source found): no document
        return []
    doc = json.loads(stdout)
    out = []
    for f in doc.get("findings", []):
        out.append(
            {
                "path": norm_path(f.get("path") or ""),
                "line": f.get("line"),
                "code": f.get("code"),
                "module": f.get("module") or subject_of(f.get("code"), f.get("message") or ""),
                "message": f.get("message"),
                "distribution": f.get("distribution"),
            }
        )
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("names", nargs="*", help="projects to run (default: all)")
    ap.add_argument(
        "--venv", required=True, help="virtual environment whose bin/ has flake8 and flake8-reqs"
    )
    ap.add_argument("--projects-dir", default="/work/rw-projects")
    ap.add_argument("--projects", default=os.path.join(HERE, "projects.toml"))
    ap.add_argument("--out", required=True, help="JSON-lines results file (overwritten)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per command (default 600)")
    args = ap.parse_args(argv)

    projects = _load_toml(args.projects)["project"]
    known = {p["name"] for p in projects}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        ap.error("unknown project(s): {}".format(", ".join(unknown)))
    if args.names:
        projects = [p for p in projects if p["name"] in args.names]

    bindir = os.path.join(os.path.abspath(args.venv), "bin")
    total = 0
    with open(args.out, "w") as out:
        for p in projects:
            folder = os.path.join(args.projects_dir, p["checkout"], p.get("subfolder", "."))
            folder = os.path.normpath(folder)
            if not os.path.isdir(folder):
                print(
                    "{}: missing folder {} (fetch it first, see README.md)".format(
                        p["name"], folder
                    ),
                    file=sys.stderr,
                )
                out.write(
                    json.dumps(
                        {"record": "run", "project": p["name"], "error": "missing folder " + folder}
                    )
                    + "\n"
                )
                continue
            for tool, command in (("flake8", p["flake8_command"]), ("check", p["check_command"])):
                argv_ = shlex.split(command)
                exe = os.path.join(bindir, argv_[0])
                env = dict(os.environ)
                env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
                env["VIRTUAL_ENV"] = os.path.abspath(args.venv)
                env.pop("PYTHONPATH", None)
                with tempfile.TemporaryDirectory(prefix="rw-cache-") as cache:
                    env["XDG_CACHE_HOME"] = cache
                    t0 = time.monotonic()
                    try:
                        proc = subprocess.run(
                            [exe, *argv_[1:]],
                            cwd=folder,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=args.timeout,
                        )
                        rc, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
                    except subprocess.TimeoutExpired:
                        rc, stdout, stderr = "timeout", "", f"timeout after {args.timeout}s"
                    elapsed = time.monotonic() - t0
                findings = []
                error = None
                try:
                    if rc != "timeout":
                        findings = (
                            parse_check_json(stdout) if tool == "check" else parse_flake8(stdout)
                        )
                except ValueError as e:
                    error = f"cannot parse output: {e}"
                out.write(
                    json.dumps(
                        {
                            "record": "run",
                            "project": p["name"],
                            "tool": tool,
                            "command": command,
                            "cwd": os.path.relpath(folder, args.projects_dir),
                            "exit": rc,
                            "seconds": round(elapsed, 2),
                            "findings": len(findings),
                            "error": error,
                            "stderr": stderr[-4000:],
                        }
                    )
                    + "\n"
                )
                for f in findings:
                    rec = {"record": "finding", "project": p["name"], "tool": tool}
                    rec.update(f)
                    out.write(json.dumps(rec) + "\n")
                total += len(findings)
                print(
                    "%-28s %-7s exit=%-7s %6.1fs %4d findings%s"
                    % (
                        p["name"],
                        tool,
                        rc,
                        elapsed,
                        len(findings),
                        ("  " + error) if error else "",
                    ),
                    file=sys.stderr,
                )
    print("%d findings written to %s" % (total, args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
