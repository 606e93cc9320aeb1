"""Time the project state's building on the benchmark corpora, with and without the index.

    python bench/state_timing.py [--runs N]

Needs the corpora that ``bench/run.py`` makes (``bench/.cache/corpora/{medium,large}``).
Each measurement is a fresh Python process that imports flake8 (as the plugin runs inside
it) and times ``load_state`` for ``--reqs-file requirements.txt`` in the corpus root:

- cold: an empty cache folder, so the state is built (requirement files read, every declared
  distribution resolved: installed metadata, bundled data, the index, the guess) and the
  data files are parsed;
- warm: the cache folder that a cold run filled, so the stored state is loaded and its
  stamps checked.

"Without the index" replaces its look-up with one that finds nothing, so that every
distribution the other sources do not know gets the name guess. The interpreter's
start-up and flake8's import are not counted. Each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / ".cache" / "corpora"

PROGRAM = """
import json, sys, time
import flake8.main.cli  # the plugin's context: flake8 has imported what it imports
from pathlib import Path
if {without_index}:
    import flake8_reqs.declared.import_index as index
    index.indexed_import_names = lambda names: {{}}
from flake8_reqs.settings import Settings, SourceFile
root = Path({root!r})
settings = Settings(
    reqs_files=(SourceFile(root / "requirements.txt", "requirements.txt"),),
    start=root,
    search_from=root,
)
t0 = time.perf_counter()
from flake8_reqs.project.load import load_state
state = load_state(settings)
t1 = time.perf_counter()
from flake8_reqs.declared import resolve
declared = {{p.requirement.name for found in state.provisions.values() for p in found}}
print(json.dumps({{"seconds": t1 - t0, "declared": len(declared), "names": len(state.provisions),
                   "unknown": len(state.unknown_names)}}))
"""


def measure(root: Path, cache: Path, without_index: bool) -> dict[str, float]:
    program = PROGRAM.format(root=str(root), without_index=without_index)
    completed = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    result: dict[str, float] = json.loads(completed.stdout.splitlines()[-1])
    return result


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} ms ({min(seconds) * 1000:.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rows = []
    # The 50 declared distributions of bench/import_index.py, 23 of them in the index: the
    # corpora's own requirements are mostly names the guess gets right.
    sys.path.insert(0, str(ROOT / "bench"))
    from import_index import NAMES

    names = Path(tempfile.mkdtemp()) / "names50"
    names.mkdir()
    (names / "requirements.txt").write_text("".join(f"{name}\n" for name in NAMES))
    corpora = [("medium", CORPORA / "medium"), ("large", CORPORA / "large"), ("50 names", names)]
    for corpus, root in corpora:
        if not (root / "requirements.txt").is_file():
            print(f"{root}: missing; run python bench/run.py first", file=sys.stderr)
            return 2
        # Interleaved, with and without, so that a busy minute on a shared machine hits both.
        cold: dict[bool, list[float]] = {False: [], True: []}
        warm: dict[bool, list[float]] = {False: [], True: []}
        facts: dict[bool, dict[str, float]] = {}
        for _ in range(args.runs):
            for without_index in (False, True):
                with tempfile.TemporaryDirectory() as folder:
                    facts[without_index] = measure(root, Path(folder), without_index)
                    cold[without_index].append(facts[without_index]["seconds"])
                    warm[without_index].append(
                        measure(root, Path(folder), without_index)["seconds"]
                    )
        for without_index in (False, True):
            rows.append(
                (
                    corpus,
                    "without" if without_index else "with",
                    int(facts[without_index]["declared"]),
                    int(facts[without_index]["unknown"]),
                    cold[without_index],
                    warm[without_index],
                )
            )
    print("| corpus | index | declared | guess only | cold, median (min) | warm, median (min) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for corpus, index, declared, unknown, cold_s, warm_s in rows:
        print(f"| {corpus} | {index} | {declared} | {unknown} | {_ms(cold_s)} | {_ms(warm_s)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
