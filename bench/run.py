"""Benchmark flake8-reqs against flake8 alone and its peers; see bench/README.md.

    python bench/run.py            # full run: downloads corpora and tools, writes bench/RESULTS.md
    python bench/run.py --quick    # smoke run: offline, tiny corpus, this environment only

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora
import envs
import report
from measure import CommandFailed, compare
from tools import FLAKE8_TOOLS, PEERS, Tools

BENCH = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="offline smoke run, nothing written")
    parser.add_argument("--reps", type=int, default=None, help="timed rounds (default 5; quick 1)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timer", choices=["auto", "hyperfine", "builtin"], default="auto")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    reps = args.reps or (1 if args.quick else 5)
    timer = args.timer
    if timer == "auto":
        timer = "hyperfine" if shutil.which("hyperfine") else "builtin"
    # Stopped with kill: unwind as for Ctrl-C, so that the running tool is killed and the
    # scratch folder removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="flake8-reqs-bench-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            results = _run(args, reps, timer, scratch)
        except (CommandFailed, envs.SetupError, subprocess.CalledProcessError) as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("bench: interrupted", file=sys.stderr)
            return 130
    text = report.markdown(results)
    print(report.table(results))
    if args.quick:
        print("\n(--quick: tiny corpus, one round; nothing written. Targets are indicative only.)")
    else:
        args.output.write_text(text)
        print(f"\nwritten: {args.output}")
    if results.failures:
        return 2
    if args.quick:
        return 0
    return 0 if all(target.passed is not False for target in results.targets) else 1


def _run(args: argparse.Namespace, reps: int, timer: str, scratch: Path) -> report.Results:
    cache = BENCH / ".cache"
    if args.quick:
        tools = Tools.here(args.jobs, scratch)
        large = corpora.quick(scratch / "quick")
        sets = [large]
        scale_root = scratch
    else:
        cache.mkdir(exist_ok=True)
        log = cache / "setup.log"
        bins = {name: envs.ensure(name, cache / "venvs", log) for name in envs.TOOLS}
        tools = Tools.in_venvs(bins, args.jobs, scratch)
        python = bins["flake8"] / "python"
        sets = [corpora.build("medium", cache, python), corpora.build("large", cache, python)]
        large = sets[-1]
        scale_root = cache
    results = report.Results.start(tools, reps, timer, quick=args.quick)
    for name in PEERS:
        if not tools.has(name):
            print(f"{name}: skipped: not installed", file=sys.stderr)
            results.skipped.append(name)
    results.corpora.extend(sets)
    # A failed command ends its own measurement only: the others still run and are reported.
    for corpus in sets:
        _attempt(results, _plugin_cost, results, tools, corpus, reps, timer)
    _attempt(results, _editor_latency, results, tools, large, reps * 4 if not args.quick else 3)
    for corpus in sets:
        _attempt(results, _check, results, tools, corpus, reps, timer, scratch)
    _attempt(results, _check_changed, results, tools, large, reps, timer, scratch)
    scale_reps = max(1, reps - 2)
    _attempt(results, _scaling, results, tools, large, scale_reps, timer, scale_root, scratch)
    results.evaluate(large)
    return results


def _attempt(results: report.Results, measurement: Callable[..., None], *args: object) -> None:
    before = len(results.failures)
    try:
        measurement(*args)
    except CommandFailed as error:
        results.failures.append(str(error))
    for failure in results.failures[before:]:
        _progress(f"FAILED: {failure}")


def _progress(message: str) -> None:
    print(f"bench: {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _plugin_cost(
    results: report.Results, tools: Tools, corpus: corpora.Corpus, reps: int, timer: str
) -> None:
    """1. flake8 -j N over the whole tree, with each plugin and without."""
    commands = [tools.flake8_tree(name, corpus) for name in FLAKE8_TOOLS if tools.has(name)]
    crashes = corpora.pyflakes_crashes(corpus.root)
    if crashes:
        results.notes.append(
            f"flake8, {corpus.name}: {len(crashes)} file(s) excluded from every flake8 run, "
            f"on which pyflakes itself crashes (RecursionError): {', '.join(crashes)}"
        )
    _progress(f"plugin cost on {corpus.name} ({corpus.files} files): {len(commands)} commands")
    results.add(
        "plugin cost", corpus, compare(commands, reps, timer, results.failures), baseline="flake8"
    )


def _editor_latency(
    results: report.Results, tools: Tools, corpus: corpora.Corpus, reps: int
) -> None:
    """2. One file through stdin, as an editor runs flake8."""
    commands = [tools.flake8_stdin(name, corpus) for name in FLAKE8_TOOLS if tools.has(name)]
    _progress(f"editor latency on {corpus.sample}")
    results.add(
        "editor latency",
        corpus,
        compare(commands, reps, "builtin", results.failures),
        baseline="flake8",
    )


def _check(
    results: report.Results,
    tools: Tools,
    corpus: corpora.Corpus,
    reps: int,
    timer: str,
    scratch: Path,
) -> None:
    """3. flake8-reqs check cold and warm, against deptry and fawltydeps."""
    cold_cache = scratch / f"cache-cold-{corpus.name}"
    commands = [
        tools.check("check cold", corpus, cold_cache, ("rm", "-rf", str(cold_cache))),
        # The untimed first run fills this cache; the timed runs change nothing.
        tools.check("check warm", corpus, scratch / f"cache-warm-{corpus.name}", None),
    ]
    if tools.has("deptry"):
        command, skipped = tools.deptry(corpus)
        commands.append(command)
        if skipped:
            results.notes.append(
                f"deptry, {corpus.name}: {len(skipped)} file(s) excluded that it crashes on "
                f"(`import_module('.x', package)`): {', '.join(skipped)}"
            )
    if tools.has("fawltydeps"):
        commands.append(tools.fawltydeps(corpus))
    _progress(f"check on {corpus.name}: {', '.join(c.label for c in commands)}")
    results.add(
        "project check", corpus, compare(commands, reps, timer, results.failures), baseline="deptry"
    )


def _check_changed(
    results: report.Results,
    tools: Tools,
    corpus: corpora.Corpus,
    reps: int,
    timer: str,
    scratch: Path,
) -> None:
    """3. check with one changed file against the warm cache of _check; the file is restored.

    A separate group, so that the runs of _check saw an unchanged tree.
    """
    sample = corpus.root / corpus.sample
    original = sample.read_bytes()
    change = ("sh", "-c", f'echo "# bench $$" >> "{sample}"')
    cache = scratch / f"cache-warm-{corpus.name}"
    touched = tools.check("check 1 changed", corpus, cache, change)
    try:
        _progress("check with one changed file")
        results.add(
            "project check", corpus, compare([touched], reps, timer, results.failures), "deptry"
        )
    finally:
        sample.write_bytes(original)


def _scaling(
    results: report.Results,
    tools: Tools,
    corpus: corpora.Corpus,
    reps: int,
    timer: str,
    root: Path,
    scratch: Path,
) -> None:
    """5. check (cold) on 1x, 2x and 4x the corpus."""
    commands = []
    for factor in (1, 2, 4):
        copy = corpora.scaled(corpus, factor, root)
        results.scaled[factor] = copy.files
        cache = scratch / f"cache-x{factor}"
        empty = ("rm", "-rf", str(cache))
        commands.append(tools.check(f"check cold x{factor}", copy, cache, empty))
    _progress(f"scaling: {', '.join(str(n) for n in results.scaled.values())} files")
    results.add(
        "scaling",
        corpus,
        compare(commands, reps, timer, results.failures),
        baseline="check cold x1",
    )


if __name__ == "__main__":
    sys.exit(main())
