"""Time the project state's building from one requirements file of N lines (issue 18).

    python bench/state_lines.py [--lines 100,1000,10000,100000,400000] [--repeat 3] [--json]

Each size is a fresh Python process with an empty cache folder that builds the state of a
project whose requirements.txt has N distinct requirements (pinned, some with extras and
markers) and stores it in the cache folder, as a cold run does, and, in the same process,
times packaging's own parse of the same lines. (The file and its folder are dated a minute
back: a file written less than a second before a build is "racy", and its state is kept in
memory only, which would leave the storing out of the figure.) It
prints the CPU time of each (time.process_time), and the cost per line beyond packaging's:
the target is at most 20 microseconds a line, linear, a 400,000-line file well under 30 s
and an ordinary one (under 500 lines) under 30 ms. Each size is measured ``--repeat`` times
and the run with the median cost beyond packaging is reported, with the range: on a shared
VM one run moves by a microsecond a line. With ``--json`` it prints one JSON object
(bench/run.py reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROGRAM = """
import json, sys, time
import flake8.main.cli  # the plugin's context: flake8 has imported what it imports
from pathlib import Path
from packaging.requirements import Requirement
from flake8_reqs.settings import Settings, SourceFile
from flake8_reqs.project.load import load_state
root = Path(sys.argv[1])
lines = [line for line in (root / "requirements.txt").read_text().splitlines() if line]
settings = Settings(
    reqs_files=(SourceFile(root / "requirements.txt", "requirements.txt"),),
    start=root,
    search_from=root,
)
from flake8_reqs.cache import stamped
stored = []
store = stamped.store
def timed_store(*args):
    began = time.process_time()
    store(*args)
    stored.append(time.process_time() - began)
stamped.store = timed_store
t0 = time.process_time()
state = load_state(settings, root)
t1 = time.process_time()
for line in lines:
    Requirement(line)
t2 = time.process_time()
written = any(Path(sys.argv[2]).rglob("project-*.json"))
print(json.dumps({"lines": len(lines), "state": t1 - t0, "packaging": t2 - t1,
                  "store": sum(stored), "stored": written}))
"""


def requirements(lines: int) -> str:
    out = []
    for number in range(lines):
        text = f"dist-{number}=={number % 7}.{number % 13}"
        if number % 5 == 0:
            text = f"dist-{number}[extra]>={number % 3}.0"
        if number % 11 == 0:
            text += f'; python_version >= "3.{number % 4 + 8}"'
        out.append(text)
    return "\n".join(out) + "\n"


def measure(lines: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        (root / "requirements.txt").write_text(requirements(lines))
        a_minute_ago = time.time() - 60
        for path in (root / "requirements.txt", root):
            os.utime(path, (a_minute_ago, a_minute_ago))
        cache = Path(folder) / "cache"
        completed = subprocess.run(
            [sys.executable, "-c", PROGRAM, str(root), str(cache)],
            cwd=root,  # `-c` puts the working directory first on sys.path: not a checkout
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        )
    result: dict[str, float] = json.loads(completed.stdout.splitlines()[-1])
    if not result["stored"]:
        raise SystemExit(f"the state of {lines} lines was not stored: the figure would omit it")
    return result


def _beyond(found: dict[str, float]) -> float:
    return (found["state"] - found["packaging"]) / found["lines"] * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", default="100,1000,10000,100000,400000")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size (median)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    sizes = [int(size) for size in args.lines.split(",")]
    rows = []
    for lines in sizes:
        runs = []
        for _ in range(max(1, args.repeat)):
            found = measure(lines)
            runs.append({**found, "beyond_us_per_line": _beyond(found)})
        runs.sort(key=lambda run: run["beyond_us_per_line"])
        median = runs[len(runs) // 2]
        spread = [run["beyond_us_per_line"] for run in runs]
        rows.append({**median, "beyond_min": spread[0], "beyond_max": spread[-1]})
        if not args.json:
            print(
                f"{lines:>7} lines: state {median['state']:.3f} s CPU (of which storing "
                f"{median['store']:.3f} s), packaging's parse {median['packaging']:.3f} s, "
                f"{median['beyond_us_per_line']:.1f} us a line beyond it "
                f"(median of {len(runs)}: {spread[0]:.1f}-{spread[-1]:.1f})",
                flush=True,
            )
    if args.json:
        print(json.dumps({"sizes": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
