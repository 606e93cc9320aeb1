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
import monorepo
import report
from measure import CommandFailed, compare
from tools import FLAKE8_TOOLS, PEERS, Tools

# What --only can select; every one runs by default.
MEASUREMENTS = ("plugin", "editor", "check", "changed", "scaling", "monorepo", "state")

BENCH = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="offline smoke run, nothing written")
    parser.add_argument("--reps", type=int, default=None, help="timed rounds (default 5; quick 1)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timer", choices=["auto", "hyperfine", "builtin"], default="auto")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--only",
        default=",".join(MEASUREMENTS),
        metavar="NAMES",
        help=f"comma-separated measurements to run, of {', '.join(MEASUREMENTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    args.only = {name.strip() for name in args.only.split(",") if name.strip()}
    if not args.only <= set(MEASUREMENTS):
        parser.error(f"--only: unknown {sorted(args.only - set(MEASUREMENTS))}")
    reps = args.reps or (1 if args.quick else 5)
    timer = args.timer
    if timer == "auto":
        timer = "hyperfine" if shutil.which("hyperfine") else "builtin"
    # Stopped with kill: unwind as for Ctrl-C, so that the running tool is killed and the
    # scratch folder removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # Measured as users run the tools: with the .pyc files Python writes (a sandbox or CI that
    # sets PYTHONDONTWRITEBYTECODE would otherwise time a compile of every module, every run).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
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
        corpora.isolate(cache)
        log = cache / "setup.log"
        bins = {name: envs.ensure(name, cache / "venvs", log) for name in envs.TOOLS}
        tools = Tools.in_venvs(bins, args.jobs, scratch)
        python = bins["flake8"] / "python"
        sets = [corpora.build(name, cache, python) for name in ("small", "medium", "large")]
        large = sets[-1]
        scale_root = cache
    results = report.Results.start(tools, reps, timer, quick=args.quick)
    for name in PEERS:
        if not tools.has(name):
            print(f"{name}: skipped: not installed", file=sys.stderr)
            results.skipped.append(name)
    results.corpora.extend(sets)
    # A failed command ends its own measurement only: the others still run and are reported.
    only = args.only
    if "plugin" in only:
        for corpus in sets:
            _attempt(results, _plugin_cost, results, tools, corpus, reps, timer)
    editor_reps = 3 if args.quick else max(21, reps * 5)
    if "editor" in only:
        _attempt(results, _editor_latency, results, tools, large, editor_reps)
    if "check" in only:
        for corpus in sets:
            _attempt(results, _check, results, tools, corpus, reps, timer, scratch)
    if "changed" in only and "check" in only:
        _attempt(results, _check_changed, results, tools, large, reps, timer, scratch)
    scale_reps = max(1, reps - 2)
    if "scaling" in only:
        _attempt(results, _scaling, results, tools, large, scale_reps, timer, scale_root, scratch)
    if "monorepo" in only:
        shape = (4, 10) if args.quick else (50, 100)
        root = scratch if args.quick else cache
        _attempt(results, _monorepo, results, tools, shape, scale_reps, editor_reps, root, scratch)
    if "state" in only:
        sizes = "100,1000" if args.quick else "100,1000,10000,100000,400000"
        _attempt(results, _state_lines, results, tools, sizes)
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


def _monorepo(
    results: report.Results,
    tools: Tools,
    shape: tuple[int, int],
    reps: int,
    editor_reps: int,
    root: Path,
    scratch: Path,
) -> None:
    """6. A monorepo of many projects: check cold at a fifth and at all of the projects
    (memory, and time in the number of projects), and one file on stdin in a 20-project one
    (only the file's own project is loaded)."""
    projects, files = shape
    groups = []
    for count in sorted({max(1, projects // 5), projects}):
        folder = monorepo.make_monorepo(root / f"monorepo-{count}x{files}", count, files)
        corpus = corpora.Corpus(
            f"monorepo {count}x{files}",
            folder,
            count * files,
            monorepo.sample(count),
            f"{count} projects of {files} files (bench/monorepo.py)",
        )
        cache = scratch / f"cache-monorepo-{count}"
        command = tools.check_all(f"check cold, {count} projects", corpus, cache)
        groups.append((corpus, command))
    _progress(f"monorepo: {', '.join(c.name for c, _ in groups)}")
    samples = compare([command for _, command in groups], reps, "builtin", results.failures)
    for corpus, command in groups:
        if command.label in samples:
            results.add("monorepo", corpus, {command.label: samples[command.label]}, None)
    twenty = min(20, projects)
    folder = monorepo.make_monorepo(root / f"monorepo-{twenty}x{files}", twenty, files)
    corpus = corpora.Corpus(
        f"monorepo {twenty}x{files}",
        folder,
        twenty * files,
        monorepo.sample(twenty),
        f"{twenty} projects of {files} files",
    )
    commands = [
        tools.flake8_stdin(name, corpus, own_project=True)
        for name in ("flake8", "flake8-reqs")
        if tools.has(name)
    ]
    _progress(f"editor latency in {corpus.name}")
    results.add(
        "editor, monorepo",
        corpus,
        compare(commands, editor_reps, "builtin", results.failures),
        baseline="flake8",
    )


def _state_lines(results: report.Results, tools: Tools, sizes: str) -> None:
    """7. State building from one requirements file of N lines (bench/state_lines.py)."""
    python = str(tools.python("flake8-reqs"))
    _progress(f"state building: {sizes} lines")
    completed = subprocess.run(
        [python, str(BENCH / "state_lines.py"), "--lines", sizes, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        results.failures.append(f"state_lines.py: exit {completed.returncode}\n{completed.stderr}")
        return
    import json

    rows = json.loads(completed.stdout)["sizes"]
    results.state_rows += [
        "| lines | state, CPU s | of which storing | packaging's parse, CPU s "
        "| beyond packaging, us a line (median; min-max) | beyond, without storing |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    results.state_rows += [
        f"| {row['lines']} | {row['state']:.3f} | {row['store']:.3f} | {row['packaging']:.3f} | "
        f"{row['beyond_us_per_line']:.1f} ({row['beyond_min']:.1f}-{row['beyond_max']:.1f}) | "
        f"{(row['state'] - row['store'] - row['packaging']) / row['lines'] * 1e6:.1f} |"
        for row in rows
    ]
    big = [row for row in rows if row["lines"] >= 10000]
    worst = max((row["beyond_us_per_line"] for row in big), default=None)
    results.state_targets.append(
        (
            "state building <= 20 us a line beyond packaging (10,000 lines and more)",
            worst,
            lambda us: us <= 20,
            "{:.1f} us",
        )
    )
    largest = max(rows, key=lambda row: row["lines"])
    results.state_targets.append(
        (
            f"state of a {largest['lines']}-line file well under 30 s (CPU)",
            largest["state"],
            lambda seconds: seconds < 30,
            "{:.1f} s",
        )
    )
    small = [row for row in rows if row["lines"] < 500]
    results.state_targets.append(
        (
            "state of an ordinary file (< 500 lines) adds < 30 ms",
            max((row["state"] for row in small), default=None),
            lambda seconds: seconds < 0.030,
            "{:.3f} s",
        )
    )


if __name__ == "__main__":
    sys.exit(main())
