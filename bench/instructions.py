"""Count the instructions one editor run of the plugin adds to flake8's (issue 18).

    python bench/instructions.py [--corpus large] [--sample django/core/handlers/base.py]
                                 [--keep DIR]

The editor target is a difference of 5 ms in a run of 130, and on a shared VM one run's CPU
time moves by more than that: even 301 interleaved rounds leave a median that moves by
±0.2 ms, too much to tell a change of 0.1 ms. Valgrind's callgrind counts the instructions a
process runs, the same count every time for the same code and input: this script runs the
bench's editor sample (the file on stdin, as `bench/run.py` does) under callgrind with
flake8 alone and with the plugin, and prints both counts and their difference. Python's
hash seed is fixed and its collector off in both, so that an allocation more or less does
not move a collection into or out of the run. It counts instructions in the process only:
not the kernel's work for system calls (a stat, an open), and not cache misses.

Each variant first runs twice outside valgrind, so that the `.pyc` files are written and
the plugin's editor entry is kept, as on an editor's second save. It needs the bench's
virtual environments and corpora (`python bench/run.py` makes them) and valgrind
(`apt-get install -y valgrind`); each count takes about 10 seconds. With ``--keep DIR`` the
callgrind files are kept there for `callgrind_annotate`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENVS = BENCH / ".cache" / "venvs"
# flake8 run as `python -m flake8` with the collector off (see above).
RUN = (
    "import gc, runpy, sys; gc.disable(); sys.argv[0] = 'flake8'; "
    "runpy.run_module('flake8', run_name='__main__', alter_sys=True)"
)


def count(python: Path, args: list[str], where: Path, stdin: bytes, out: Path) -> int:
    """The instructions of one run of flake8 with ``args`` under callgrind."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for _ in range(2):  # .pyc files written, the editor entry kept
        subprocess.run(
            [str(python), "-c", RUN, *args],
            cwd=where,
            input=stdin,
            env=env,
            capture_output=True,
            check=False,
        )
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            str(python),
            "-c",
            RUN,
            *args,
        ],
        cwd=where,
        input=stdin,
        env=env,
        capture_output=True,
        check=False,
    )
    found = re.search(rb"refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind gave no count:\n{done.stderr.decode(errors='replace')}")
    return int(found.group(1).replace(b",", b""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="large")
    parser.add_argument("--sample", default="django/core/handlers/base.py")
    parser.add_argument("--keep", type=Path, help="keep the callgrind files in this folder")
    options = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install -y valgrind)", file=sys.stderr)
        return 2
    where = BENCH / ".cache" / "corpora" / options.corpus
    plain, plugin = VENVS / "flake8" / "bin" / "python", VENVS / "flake8-reqs" / "bin" / "python"
    if not (where / options.sample).is_file() or not plain.exists() or not plugin.exists():
        print("no corpus or environments: run `python bench/run.py` first", file=sys.stderr)
        return 2
    stdin = (where / options.sample).read_bytes()
    common = ["--select=E,F,W,REQ,I9", "--stdin-display-name", options.sample, "-"]
    folder = options.keep or Path(tempfile.mkdtemp(prefix="flake8-reqs-callgrind-"))
    folder.mkdir(parents=True, exist_ok=True)
    alone = count(plain, common, where, stdin, folder / "callgrind.flake8")
    reqs_file = ["--reqs-file=requirements.txt"] if (where / "requirements.txt").exists() else []
    added = count(plugin, [*reqs_file, *common], where, stdin, folder / "callgrind.flake8-reqs")
    print(f"flake8 alone      {alone:>15,}")
    print(f"with flake8-reqs  {added:>15,}")
    print(f"added             {added - alone:>+15,} ({(added - alone) / alone:+.2%})")
    if options.keep is None:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
